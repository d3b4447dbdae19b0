// The rules of door control, each in a table: the owner's confirmation (expiry, cancel, another owner, a repeated
// `open`), the press decision against the contact, the travel check, the rate limit (3 presses in 5 min), the alert
// window after a move the owner asked for, and the refusal of a command that arrives late.
#include "app/AlertPolicy.h"
#include "app/DoorAlertWindow.h"
#include "app/DoorConfirmation.h"
#include "app/DoorPressRule.h"
#include "app/DoorRateLimit.h"
#include "app/DoorTravelCheck.h"

#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

namespace {

using TimePoint = std::chrono::steady_clock::time_point;
const TimePoint t0 = TimePoint(1000h);
const QString kMe = QStringLiteral("me@garage.test/phone");
const QString kMeOtherDevice = QStringLiteral("Me@garage.test/laptop");
const QString kWife = QStringLiteral("wife@garage.test/phone");

// One step of a conversation: who says what, how many seconds after the start.
struct Step {
    int atSeconds;
    QString who;  // "me", "me2" (another device of mine), "wife"
    QString what; // "open", "close", "yes", "status"
};

QString jid(const QString &who)
{
    return who == QLatin1String("me") ? kMe : who == QLatin1String("me2") ? kMeOtherDevice : kWife;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<Step>)
Q_DECLARE_METATYPE(std::optional<bool>)

class TestDoorRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The last step is a "yes"; what it gets.
    void confirmation_data()
    {
        QTest::addColumn<std::vector<Step>>("steps");
        QTest::addColumn<int>("outcome"); // DoorConfirmation::Outcome
        QTest::addColumn<int>("action");  // DoorAction, when confirmed or expired
        using O = DoorConfirmation::Outcome;
        QTest::newRow("open then yes") << std::vector<Step>{{0, "me", "open"}, {5, "me", "yes"}} << int(O::Confirmed) << int(DoorAction::Open);
        QTest::newRow("close then yes") << std::vector<Step>{{0, "me", "close"}, {5, "me", "yes"}} << int(O::Confirmed) << int(DoorAction::Close);
        QTest::newRow("yes at 30 s still counts") << std::vector<Step>{{0, "me", "open"}, {30, "me", "yes"}} << int(O::Confirmed) << int(DoorAction::Open);
        QTest::newRow("yes at 31 s expired") << std::vector<Step>{{0, "me", "open"}, {31, "me", "yes"}} << int(O::Expired) << int(DoorAction::Open);
        QTest::newRow("yes without a question") << std::vector<Step>{{0, "me", "yes"}} << int(O::Nothing) << 0;
        QTest::newRow("another owner's yes") << std::vector<Step>{{0, "me", "open"}, {2, "wife", "yes"}} << int(O::Nothing) << 0;
        QTest::newRow("my other device is me") << std::vector<Step>{{0, "me", "open"}, {2, "me2", "yes"}} << int(O::Confirmed) << int(DoorAction::Open);
        QTest::newRow("another message cancels") << std::vector<Step>{{0, "me", "open"}, {2, "me", "status"}, {3, "me", "yes"}} << int(O::Nothing) << 0;
        QTest::newRow("another owner's message does not cancel") << std::vector<Step>{{0, "me", "open"}, {2, "wife", "status"}, {3, "me", "yes"}} << int(O::Confirmed) << int(DoorAction::Open);
        QTest::newRow("a repeated open restarts the 30 s") << std::vector<Step>{{0, "me", "open"}, {20, "me", "open"}, {45, "me", "yes"}} << int(O::Confirmed) << int(DoorAction::Open);
        QTest::newRow("close after open: the last one counts") << std::vector<Step>{{0, "me", "open"}, {2, "me", "close"}, {3, "me", "yes"}} << int(O::Confirmed) << int(DoorAction::Close);
        QTest::newRow("another owner's open replaces mine") << std::vector<Step>{{0, "me", "open"}, {2, "wife", "close"}, {3, "me", "yes"}} << int(O::Nothing) << 0;
        QTest::newRow("a yes is used once") << std::vector<Step>{{0, "me", "open"}, {2, "me", "yes"}, {3, "me", "yes"}} << int(O::Nothing) << 0;
        QTest::newRow("an expired yes is used once too") << std::vector<Step>{{0, "me", "open"}, {40, "me", "yes"}, {41, "me", "yes"}} << int(O::Nothing) << 0;
    }
    void confirmation()
    {
        QFETCH(std::vector<Step>, steps);
        QFETCH(int, outcome);
        QFETCH(int, action);
        DoorConfirmation c;
        DoorConfirmation::Answer answer;
        for (const Step &s : steps) {
            const TimePoint now = t0 + std::chrono::seconds(s.atSeconds);
            if (s.what == QLatin1String("yes")) {
                answer = c.confirm(jid(s.who), now);
                continue;
            }
            c.otherMessage(jid(s.who)); // what the router's observer does for every other command
            if (s.what == QLatin1String("open"))
                c.ask(jid(s.who), DoorAction::Open, now);
            else if (s.what == QLatin1String("close"))
                c.ask(jid(s.who), DoorAction::Close, now);
        }
        QCOMPARE(int(answer.outcome), outcome);
        if (answer.outcome != DoorConfirmation::Outcome::Nothing)
            QCOMPARE(int(answer.action), action);
    }

    void pending()
    {
        DoorConfirmation c;
        QVERIFY(!c.pending(t0));
        c.ask(kMe, DoorAction::Close, t0);
        QVERIFY(c.pending(t0 + 30s));
        QCOMPARE(int(*c.pending(t0 + 30s)), int(DoorAction::Close));
        QVERIFY(!c.pending(t0 + 31s));
    }

    void stale_data()
    {
        QTest::addColumn<int>("receivedSecondsAgo"); // -1: unknown
        QTest::addColumn<int>("staleBy");            // -1: fresh
        QTest::newRow("just now") << 0 << -1;
        QTest::newRow("10 s: a slow relay is still fresh") << 10 << -1;
        QTest::newRow("11 s late") << 11 << 11;
        QTest::newRow("an hour late") << 3600 << 3600;
        QTest::newRow("sibling clock ahead") << -20 << -1;
        QTest::newRow("no stamp") << -1000 << -1;
    }
    void stale()
    {
        QFETCH(int, receivedSecondsAgo);
        QFETCH(int, staleBy);
        const QDateTime now = QDateTime(QDate(2026, 12, 5), QTime(7, 0), QTimeZone::UTC);
        const QDateTime received = receivedSecondsAgo == -1000 ? QDateTime() : now.addSecs(-receivedSecondsAgo);
        const auto late = DoorConfirmation::staleBy(received, now);
        QCOMPARE(late ? int(late->count()) : -1, staleBy);
    }

    void press_data()
    {
        QTest::addColumn<int>("action");
        QTest::addColumn<std::optional<bool>>("contactOpen");
        QTest::addColumn<bool>("moving");
        QTest::addColumn<int>("rateWaitSeconds");
        QTest::addColumn<bool>("press");
        QTest::addColumn<QString>("reply");
        const int open = int(DoorAction::Open), close = int(DoorAction::Close);
        QTest::newRow("open a closed door") << open << std::optional<bool>(false) << false << 0 << true << "Opening the garage door (I will check in 20 s).";
        QTest::newRow("close an open door") << close << std::optional<bool>(true) << false << 0 << true << "Closing the garage door (I will check in 20 s).";
        QTest::newRow("open an open door") << open << std::optional<bool>(true) << false << 0 << false << "It is already open.";
        QTest::newRow("close a closed door") << close << std::optional<bool>(false) << false << 0 << false << "It is already closed.";
        QTest::newRow("unknown: never pressed blind") << open << std::optional<bool>() << false << 0 << false << "Not pressed: the garage door's state is unknown (chip gone), and the button would move it either way.";
        QTest::newRow("moving") << close << std::optional<bool>(true) << true << 0 << false << "Not pressed: the garage door is moving already; wait for it to stop.";
        QTest::newRow("moving beats already") << open << std::optional<bool>(true) << true << 0 << false << "Not pressed: the garage door is moving already; wait for it to stop.";
        QTest::newRow("rate limited") << open << std::optional<bool>(false) << false << 130 << false << "Not pressed: at most 3 presses in 5 min; the next is possible in 2 min.";
        QTest::newRow("already beats the rate limit") << open << std::optional<bool>(true) << false << 130 << false << "It is already open.";
    }
    void press()
    {
        QFETCH(int, action);
        QFETCH(std::optional<bool>, contactOpen);
        QFETCH(bool, moving);
        QFETCH(int, rateWaitSeconds);
        QFETCH(bool, press);
        QFETCH(QString, reply);
        DoorPressFacts f;
        f.name = QStringLiteral("garage");
        f.action = DoorAction(action);
        f.contactOpen = contactOpen;
        f.contactProblem = QStringLiteral("chip gone");
        f.moving = moving;
        f.rateWait = std::chrono::seconds(rateWaitSeconds);
        const DoorPressDecision d = decideDoorPress(f);
        QCOMPARE(d.press, press);
        QCOMPARE(d.reply, reply);
    }

    void travel_data()
    {
        QTest::addColumn<int>("action");
        QTest::addColumn<std::optional<bool>>("contactOpen");
        QTest::addColumn<int>("reachedAfterMs"); // -1: never
        QTest::addColumn<bool>("reached");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("outcome");
        const int open = int(DoorAction::Open), close = int(DoorAction::Close);
        QTest::newRow("opened") << open << std::optional<bool>(true) << 12400 << true << "The garage door is open (moved in 12 s)" << "open after 12 s";
        QTest::newRow("closed") << close << std::optional<bool>(false) << 17000 << true << "The garage door is closed (moved in 17 s)" << "closed after 17 s";
        QTest::newRow("did not close") << close << std::optional<bool>(true) << -1 << false << "The garage door did not close: still open after 20 s" << "did not close: still open after 20 s";
        QTest::newRow("did not open") << open << std::optional<bool>(false) << -1 << false << "The garage door did not open: still closed after 20 s" << "did not open: still closed after 20 s";
        QTest::newRow("closed, then reversed (photo eye)") << close << std::optional<bool>(true) << 15000 << false << "The garage door did not close: still open after 20 s" << "did not close: still open after 20 s";
        QTest::newRow("contact lost meanwhile") << open << std::optional<bool>() << 1000 << false << "The garage door may not have moved: its state is unknown (chip gone) 20 s after the button was pressed to open it" << "unknown after 20 s (chip gone)";
    }
    void travel()
    {
        QFETCH(int, action);
        QFETCH(std::optional<bool>, contactOpen);
        QFETCH(int, reachedAfterMs);
        QFETCH(bool, reached);
        QFETCH(QString, text);
        QFETCH(QString, outcome);
        DoorTravelFacts f;
        f.name = QStringLiteral("garage");
        f.action = DoorAction(action);
        f.contactOpen = contactOpen;
        f.contactProblem = QStringLiteral("chip gone");
        if (reachedAfterMs >= 0)
            f.reachedAfter = std::chrono::milliseconds(reachedAfterMs);
        const DoorTravelVerdict v = checkDoorTravel(f);
        QCOMPARE(v.reached, reached);
        QCOMPARE(v.text, text);
        QCOMPARE(v.outcome, outcome);
    }

    void rateLimit_data()
    {
        QTest::addColumn<QList<int>>("pressesAt"); // seconds
        QTest::addColumn<int>("askAt");
        QTest::addColumn<int>("waitSeconds"); // 0: allowed
        QTest::newRow("none") << QList<int>{} << 0 << 0;
        QTest::newRow("two") << QList<int>{0, 10} << 20 << 0;
        QTest::newRow("three within 5 min") << QList<int>{0, 10, 20} << 30 << 270;
        QTest::newRow("the first has left the window") << QList<int>{0, 10, 20} << 300 << 0;
        QTest::newRow("one second before") << QList<int>{0, 10, 20} << 299 << 1;
        QTest::newRow("spread out") << QList<int>{0, 200, 400} << 450 << 0;
        QTest::newRow("three recent of four") << QList<int>{0, 200, 250, 290} << 310 << 190;
    }
    void rateLimit()
    {
        QFETCH(QList<int>, pressesAt);
        QFETCH(int, askAt);
        QFETCH(int, waitSeconds);
        DoorRateLimit limit;
        for (int s : pressesAt)
            limit.record(t0 + std::chrono::seconds(s));
        const TimePoint now = t0 + std::chrono::seconds(askAt);
        QCOMPARE(int(limit.waitFor(now).count()), waitSeconds);
        QCOMPARE(limit.allows(now), waitSeconds == 0);
    }

    void alertWindow_data()
    {
        QTest::addColumn<QList<int>>("movesAt");
        QTest::addColumn<int>("at");
        QTest::addColumn<bool>("holds");
        // travel 20 s, slack 5 s
        QTest::newRow("no move") << QList<int>{} << 0 << false;
        QTest::newRow("at the press") << QList<int>{0} << 0 << true;
        QTest::newRow("during travel") << QList<int>{0} << 19 << true;
        QTest::newRow("in the slack") << QList<int>{0} << 24 << true;
        QTest::newRow("over") << QList<int>{0} << 25 << false;
        QTest::newRow("a second move extends it") << QList<int>{0, 15} << 35 << true;
        QTest::newRow("after the second") << QList<int>{0, 15} << 40 << false;
    }
    void alertWindow()
    {
        QFETCH(QList<int>, movesAt);
        QFETCH(int, at);
        QFETCH(bool, holds);
        DoorAlertWindow window;
        for (int s : movesAt)
            window.moveStarted(t0 + std::chrono::seconds(s), 20s);
        QCOMPARE(window.holds(t0 + std::chrono::seconds(at)), holds);
    }

    // The window as the alert policy applies it: motion and door alerts held, safety alerts never.
    void alertWindowInPolicy_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("at");
        QTest::addColumn<bool>("send");
        QTest::newRow("motion during the move") << int(AlertKind::Motion) << 10 << false;
        QTest::newRow("door opened during the move") << int(AlertKind::DoorActivity) << 3 << false;
        QTest::newRow("safety during the move (did not close)") << int(AlertKind::Safety) << 20 << true;
        QTest::newRow("motion after the window") << int(AlertKind::Motion) << 26 << true;
        QTest::newRow("door after the window") << int(AlertKind::DoorActivity) << 26 << true;
    }
    void alertWindowInPolicy()
    {
        QFETCH(int, kind);
        QFETCH(int, at);
        QFETCH(bool, send);
        AlertPolicy policy(true, 0s, false, {});
        DoorAlertWindow window;
        window.moveStarted(t0, 20s);
        policy.holdIntrusionUntil(*window.until());
        const Moment now{QDateTime::currentDateTimeUtc(), t0 + std::chrono::seconds(at)};
        const AlertDecision d = policy.decide(AlertKind(kind), now);
        QCOMPARE(d.send, send);
        if (!send)
            QCOMPARE(d.reason, QStringLiteral("a door move the owner asked for"));
    }
};

QTEST_GUILESS_MAIN(TestDoorRules)
#include "tst_DoorRules.moc"
