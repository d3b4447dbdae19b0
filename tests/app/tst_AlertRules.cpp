// What reaches the owner's phone and when: quiet hours, mute durations typed in chat, arm/disarm, cooldown,
// persons-only, and safety alerts that are never held back.
#include "app/AlertPolicy.h"
#include "app/DurationText.h"
#include "app/MuteSchedule.h"

#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

namespace {
// Wednesday 2026-11-25
QDateTime at(const QString &dayTime)
{
    return QDateTime::fromString(dayTime, QStringLiteral("yyyy-MM-dd HH:mm"));
}
Moment moment(const QString &dayTime)
{
    return {at(dayTime), std::chrono::steady_clock::time_point(1000h)};
}
Moment later(const Moment &m, std::chrono::seconds by)
{
    return {m.wall.addSecs(by.count()), m.steady + by};
}
} // namespace

class TestAlertRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void schedule_data()
    {
        QTest::addColumn<QString>("schedule");
        QTest::addColumn<QString>("when");
        QTest::addColumn<bool>("muted");
        QTest::newRow("weekday inside") << "mon-fri 08:30-15:30" << "2026-11-25 09:00" << true;
        QTest::newRow("weekday before") << "mon-fri 08:30-15:30" << "2026-11-25 08:29" << false;
        QTest::newRow("end is exclusive") << "mon-fri 08:30-15:30" << "2026-11-25 15:30" << false;
        QTest::newRow("saturday not in range") << "mon-fri 08:30-15:30" << "2026-11-28 09:00" << false;
        QTest::newRow("list") << "sat+sun 10:00-12:00" << "2026-11-29 11:00" << true;
        QTest::newRow("second window") << "mon 01:00-02:00, wed 10:00-11:00" << "2026-11-25 10:30" << true;
        QTest::newRow("midnight evening") << "daily 22:00-06:00" << "2026-11-25 23:00" << true;
        QTest::newRow("midnight morning") << "daily 22:00-06:00" << "2026-11-25 05:59" << true;
        QTest::newRow("midnight day") << "daily 22:00-06:00" << "2026-11-25 12:00" << false;
        QTest::newRow("crossing belongs to start day") << "fri 22:00-06:00" << "2026-11-29 05:00" << false; // Sunday
        QTest::newRow("crossing into saturday") << "fri 22:00-06:00" << "2026-11-28 05:00" << true;
        QTest::newRow("wrapping day range") << "fri-mon 10:00-11:00" << "2026-11-30 10:10" << true; // Monday
        QTest::newRow("empty") << "" << "2026-11-25 09:00" << false;
    }
    void schedule()
    {
        QFETCH(QString, schedule);
        QFETCH(QString, when);
        QFETCH(bool, muted);
        const auto parsed = MuteSchedule::parse(schedule);
        QVERIFY(parsed);
        QCOMPARE(parsed->isMuted(at(when)), muted);
    }

    void badSchedule_data()
    {
        QTest::addColumn<QString>("schedule");
        QTest::newRow("no time") << "mon-fri";
        QTest::newRow("bad day") << "moon 08:00-09:00";
        QTest::newRow("bad time") << "mon 25:00-26:00";
        QTest::newRow("empty window") << "mon 08:00-08:00";
    }
    void badSchedule()
    {
        QFETCH(QString, schedule);
        QVERIFY(!MuteSchedule::parse(schedule));
    }

    void muteEnd_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("end"); // empty: error
        QTest::newRow("minutes") << "30m" << "2026-11-25 10:30";
        QTest::newRow("hours") << "2h" << "2026-11-25 12:00";
        QTest::newRow("combined") << "1h 30min" << "2026-11-25 11:30";
        QTest::newRow("compact") << "1h30m" << "2026-11-25 11:30";
        QTest::newRow("words") << "2 hours" << "2026-11-25 12:00";
        QTest::newRow("default one hour") << "" << "2026-11-25 11:00";
        QTest::newRow("until later today") << "until 17:45" << "2026-11-25 17:45";
        QTest::newRow("until tomorrow") << "until 07:00" << "2026-11-26 07:00";
        QTest::newRow("garbage") << "soon" << "";
        QTest::newRow("trailing garbage") << "2h please" << "";
        QTest::newRow("zero") << "0m" << "";
        QTest::newRow("too long") << "400d" << "";
        QTest::newRow("bad clock") << "until 7pm" << "";
        // 213503982334602 × 86400 wraps 64 bits to 61184 s: without the bound before multiplying it muted for 17 h
        QTest::newRow("days overflowing 64 bits") << "213503982334602d" << "";
        QTest::newRow("number beyond 64 bits") << "99999999999999999999999s" << "";
        QTest::newRow("parts summing past 30 days") << "20d 20d" << "";
        QTest::newRow("30 days exactly") << "30d" << "2026-12-25 10:00";
    }
    void muteEnd()
    {
        QFETCH(QString, text);
        QFETCH(QString, end);
        const auto parsed = parseMuteEnd(text, at(QStringLiteral("2026-11-25 10:00")));
        if (end.isEmpty()) {
            QVERIFY2(!parsed, qPrintable(parsed ? parsed->toString(Qt::ISODate) : QString()));
            QVERIFY(!parsed.error().isEmpty());
        } else {
            QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error()));
            QCOMPARE(*parsed, at(end));
        }
    }

    void formatting()
    {
        QCOMPARE(formatDuration(42s), QStringLiteral("42 s"));
        QCOMPARE(formatDuration(12min), QStringLiteral("12 min"));
        QCOMPARE(formatDuration(2h + 5min), QStringLiteral("2 h 5 min"));
        QCOMPARE(formatDuration(3h), QStringLiteral("3 h"));
        QCOMPARE(formatDuration(std::chrono::seconds(3 * 86400 + 4 * 3600)), QStringLiteral("3 d 4 h"));
    }

    void disarmedHoldsIntrusionNotSafety()
    {
        AlertPolicy policy(false, 300s, false, {});
        const Moment now = moment(QStringLiteral("2026-11-25 10:00"));
        QVERIFY(!policy.decide(AlertKind::Motion, now).send);
        QVERIFY(!policy.decide(AlertKind::DoorActivity, now).send);
        QVERIFY(policy.decide(AlertKind::Safety, now).send);
        policy.setArmed(true);
        QVERIFY(policy.decide(AlertKind::Motion, now).send);
    }

    void muteUntilAndExpiry()
    {
        AlertPolicy policy(true, 0s, false, {});
        const Moment now = moment(QStringLiteral("2026-11-25 10:00"));
        policy.muteUntil(now.wall.addSecs(1800));
        const auto held = policy.decide(AlertKind::Motion, later(now, 60s));
        QVERIFY(!held.send);
        QVERIFY(held.reason.contains(QLatin1String("muted until")));
        QVERIFY(policy.decide(AlertKind::Safety, later(now, 60s)).send);
        QVERIFY(policy.decide(AlertKind::Motion, later(now, 1800s)).send);
        policy.muteUntil(now.wall.addSecs(1800));
        policy.unmute();
        QVERIFY(policy.decide(AlertKind::Motion, later(now, 60s)).send);
    }

    // "mute 1h" holds one hour of real time: a wall clock stepping forward 3 h does not end it, one stepping back
    // does not stretch it.
    void muteForHoldsRealTimeAcrossClockSteps_data()
    {
        QTest::addColumn<int>("wallStepSeconds");
        QTest::newRow("no step") << 0;
        QTest::newRow("3 h forward") << 3 * 3600;
        QTest::newRow("2 h back") << -2 * 3600;
        QTest::newRow("a year forward") << 365 * 86400;
    }
    void muteForHoldsRealTimeAcrossClockSteps()
    {
        QFETCH(int, wallStepSeconds);
        AlertPolicy policy(true, 0s, false, {});
        const Moment now = moment(QStringLiteral("2026-11-25 10:00"));
        policy.muteFor(1h, now);
        Moment stepped = later(now, 59min);
        stepped.wall = stepped.wall.addSecs(wallStepSeconds);
        const auto held = policy.decide(AlertKind::Motion, stepped);
        QVERIFY(!held.send);
        QVERIFY(held.reason.contains(QLatin1String("muted until")));
        QCOMPARE(policy.mutedUntil(stepped), stepped.wall.addSecs(60)); // shown as what is left
        Moment over = later(now, 1h);
        over.wall = over.wall.addSecs(wallStepSeconds);
        QVERIFY(policy.decide(AlertKind::Motion, over).send);
        QVERIFY(!policy.mutedUntil(over).isValid());
    }

    void scheduleMutes()
    {
        AlertPolicy policy(true, 0s, false, *MuteSchedule::parse(QStringLiteral("wed 09:00-11:00")));
        QVERIFY(!policy.decide(AlertKind::Motion, moment(QStringLiteral("2026-11-25 10:00"))).send);
        QVERIFY(policy.decide(AlertKind::Motion, moment(QStringLiteral("2026-11-25 11:00"))).send);
    }

    void cooldownAfterSentAlertOnly()
    {
        AlertPolicy policy(true, 300s, false, {});
        const Moment now = moment(QStringLiteral("2026-11-25 10:00"));
        QVERIFY(policy.decide(AlertKind::Motion, now).send);
        QVERIFY(policy.decide(AlertKind::Motion, later(now, 10s)).send); // nothing sent yet: no cooldown
        policy.motionAlertSent(now);
        const auto held = policy.decide(AlertKind::Motion, later(now, 299s));
        QVERIFY(!held.send);
        QVERIFY(held.reason.contains(QLatin1String("cooldown")));
        QVERIFY(policy.decide(AlertKind::DoorActivity, later(now, 10s)).send);
        QVERIFY(policy.decide(AlertKind::Motion, later(now, 300s)).send);
    }

    // The cooldown is real time: the wall clock stepping 2 h back right after an alert (NTP on a Pi without RTC) does
    // not hold the next alert for 2 h; stepping forward does not cut the cooldown short.
    void cooldownAcrossWallClockSteps_data()
    {
        QTest::addColumn<int>("wallStepSeconds");
        QTest::newRow("2 h back") << -2 * 3600;
        QTest::newRow("2 h forward") << 2 * 3600;
    }
    void cooldownAcrossWallClockSteps()
    {
        QFETCH(int, wallStepSeconds);
        AlertPolicy policy(true, 300s, false, {});
        const Moment now = moment(QStringLiteral("2026-11-25 10:00"));
        policy.motionAlertSent(now);
        Moment during = later(now, 100s);
        during.wall = during.wall.addSecs(wallStepSeconds);
        QVERIFY(!policy.decide(AlertKind::Motion, during).send);
        Moment after = later(now, 301s);
        after.wall = after.wall.addSecs(wallStepSeconds);
        QVERIFY(policy.decide(AlertKind::Motion, after).send);
    }

    void personsOnly()
    {
        AlertPolicy policy(true, 0s, true, {});
        const Moment now = moment(QStringLiteral("2026-11-25 10:00"));
        QVERIFY(!policy.decide(AlertKind::Motion, now, false).send);
        QVERIFY(!policy.decide(AlertKind::Motion, now, std::nullopt).send);
        QVERIFY(policy.decide(AlertKind::Motion, now, true).send);
    }
};

QTEST_GUILESS_MAIN(TestAlertRules)
#include "tst_AlertRules.moc"
