// Frost/heat alerts as series of readings: one alert per crossing, one recovery, nothing while the value wanders
// inside the hysteresis, and a failing sensor alerts once and recovers once, timed on the steady clock whatever the
// wall clock does.
#include "sensors/ThresholdMonitor.h"

#include <QTest>

using namespace garage;
using namespace std::chrono_literals;
using Kind = ThresholdEvent::Kind;
using Clock = std::chrono::steady_clock;

namespace {

TemperatureConfig config()
{
    TemperatureConfig c;
    c.lowCelsius = 2.0;
    c.highCelsius = 35.0;
    c.hysteresisCelsius = 1.0;
    c.staleAfter = std::chrono::minutes(10);
    return c;
}

TemperatureReading reading(double celsius, Clock::time_point t)
{
    return {celsius, QDateTime::currentDateTimeUtc(), TemperatureReading::Quality::Ok, {}, t};
}

TemperatureReading failure(const QString &reason, Clock::time_point t, const QDateTime &wall = QDateTime::currentDateTimeUtc())
{
    return {0, wall, TemperatureReading::Quality::Error, reason, t};
}

std::vector<Kind> run(ThresholdMonitor &m, const std::vector<double> &series, Clock::time_point &t)
{
    std::vector<Kind> kinds;
    for (const double c : series) {
        t += 30s;
        for (const auto &e : m.feed(reading(c, t), t))
            kinds.push_back(e.kind);
    }
    return kinds;
}

} // namespace

class TestThresholdMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void coldSnap()
    {
        ThresholdMonitor m(config());
        Clock::time_point t = Clock::now();
        const auto kinds = run(m, {6, 4, 2.5, 1.9, 1.2, 0.5, -1, 0.4, 1.5, 2.5, 2.9, 3.0, 4}, t);
        QCOMPARE(kinds, (std::vector<Kind>{Kind::TooCold, Kind::BackToNormal}));
    }

    // A monitor restored to "cold" (the owner was warned before a restart) says nothing while it stays cold, and
    // "back to normal" once it is.
    void restoredZoneIsNotWarnedAgain()
    {
        QCOMPARE(ThresholdMonitor::zoneFromName(ThresholdMonitor::zoneName(ThresholdMonitor::Zone::Cold)),
                 ThresholdMonitor::Zone::Cold);
        QCOMPARE(ThresholdMonitor::zoneFromName(QStringLiteral("tepid")), std::nullopt);
        ThresholdMonitor m(config());
        m.restoreZone(ThresholdMonitor::Zone::Cold);
        const auto t = std::chrono::steady_clock::now();
        QVERIFY(m.feed(reading(1.0, t), t).empty());
        const auto back = m.feed(reading(4.0, t + 30s), t + 30s);
        QCOMPARE(back.size(), size_t(1));
        QCOMPARE(back.front().kind, ThresholdEvent::Kind::BackToNormal);
        QCOMPARE(m.zone(), ThresholdMonitor::Zone::Normal);
    }

    void oscillationInsideHysteresisAlertsOnce()
    {
        ThresholdMonitor m(config());
        Clock::time_point t = Clock::now();
        const auto kinds = run(m, {2.1, 1.9, 2.2, 1.8, 2.4, 1.95, 2.8, 1.7, 2.9}, t);
        QCOMPARE(kinds, (std::vector<Kind>{Kind::TooCold}));
    }

    void heatAndText()
    {
        ThresholdMonitor m(config());
        Clock::time_point t = Clock::now();
        const auto events = m.feed(reading(36.2, t), t);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].text, QStringLiteral("Heat warning: 36.2 °C (above 35.0 °C)"));
        QCOMPARE(run(m, {35.5, 34.5, 33.9}, t), (std::vector<Kind>{Kind::BackToNormal}));
    }

    void disabledThresholds()
    {
        TemperatureConfig c = config();
        c.lowCelsius.reset();
        ThresholdMonitor m(c);
        Clock::time_point t = Clock::now();
        QVERIFY(run(m, {-20, -30}, t).empty());
    }

    void failingSensorAlertsOnceAndRecoversOnce()
    {
        ThresholdMonitor m(config());
        Clock::time_point t = Clock::now();
        run(m, {5}, t);
        std::vector<Kind> kinds;
        std::vector<std::chrono::seconds> at;
        const auto firstFailure = t + 30s;
        for (int i = 0; i < 40; ++i) { // 20 minutes of CRC errors, one reading every 30 s
            t += 30s;
            for (const auto &e : m.feed(failure(QStringLiteral("CRC check failed"), t), t)) {
                kinds.push_back(e.kind);
                at.push_back(std::chrono::duration_cast<std::chrono::seconds>(t - firstFailure));
                QCOMPARE(e.text, QStringLiteral("Temperature sensor failing for 10 min: CRC check failed"));
            }
        }
        QCOMPARE(kinds, (std::vector<Kind>{Kind::SensorFailing}));
        QCOMPARE(at, (std::vector<std::chrono::seconds>{600s})); // after stale_minutes of failures, not before
        const auto back = m.feed(reading(5, t + 30s), t + 30s);
        QCOMPARE(back.size(), std::size_t(1));
        QCOMPARE(back[0].kind, Kind::SensorRecovered);
        QCOMPARE(back[0].text, QStringLiteral("Temperature sensor back: 5.0 °C"));
        t += 30s;
        QVERIFY(run(m, {5, 5}, t).empty()); // "back" once
    }

    void briefFailureIsQuiet()
    {
        ThresholdMonitor m(config());
        Clock::time_point t = Clock::now();
        for (int i = 0; i < 5; ++i) {
            t += 30s;
            QVERIFY(m.feed(failure(QStringLiteral("CRC"), t), t).empty());
        }
        QVERIFY(run(m, {5}, t).empty());
    }

    // A Pi without RTC boots in 1970 and steps its clock to 2026 once NTP answers (and a wrong NTP answer can step it
    // back): the failing time is the steady time between readings, not the difference of wall-clock stamps.
    void wallClockStepsDoNotCount_data()
    {
        QTest::addColumn<QDateTime>("firstWall");
        QTest::addColumn<QDateTime>("laterWall");
        const QDateTime boot = QDateTime::fromSecsSinceEpoch(30, QTimeZone::UTC);
        const QDateTime synced = QDateTime(QDate(2026, 12, 2), QTime(6, 0), QTimeZone::UTC);
        QTest::newRow("NTP steps forward 56 years") << boot << synced;
        QTest::newRow("clock steps back a year") << synced << synced.addYears(-1);
    }
    void wallClockStepsDoNotCount()
    {
        QFETCH(QDateTime, firstWall);
        QFETCH(QDateTime, laterWall);
        ThresholdMonitor m(config());
        Clock::time_point t = Clock::now();
        QVERIFY(m.feed(failure(QStringLiteral("no DS18B20"), t, firstWall), t).empty());
        std::vector<std::chrono::seconds> alertsAt;
        const auto start = t;
        for (int i = 0; i < 30; ++i) {
            t += 30s;
            for (const auto &e : m.feed(failure(QStringLiteral("no DS18B20"), t, laterWall.addSecs(30 * i)), t))
                if (e.kind == Kind::SensorFailing)
                    alertsAt.push_back(std::chrono::duration_cast<std::chrono::seconds>(t - start));
        }
        QCOMPARE(alertsAt, (std::vector<std::chrono::seconds>{600s}));
    }

    // A reading measured before the call that feeds it (it waited in the queue) counts from when it was measured.
    void failingCountsFromTheMeasurement()
    {
        TemperatureConfig c = config();
        c.staleAfter = std::chrono::minutes(1);
        ThresholdMonitor m(c);
        const Clock::time_point t = Clock::now();
        QVERIFY(m.feed(failure(QStringLiteral("read timed out after 10 s"), t), t + 50s).empty());
        const auto events = m.feed(failure(QStringLiteral("read timed out after 10 s"), t + 60s), t + 60s);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].text, QStringLiteral("Temperature sensor failing for 1 min: read timed out after 10 s"));
    }
};

QTEST_GUILESS_MAIN(TestThresholdMonitor)
#include "tst_ThresholdMonitor.moc"
