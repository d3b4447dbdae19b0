// The door contact: bounces are ignored, open/closed changes come once, a door left open alerts once, and a line that
// cannot be used makes the state unknown with the reason, is retried, and gives the real state once it works. The
// line is a stand-in at the hardware edge (an InputLine over a pipe, so the real QSocketNotifier path runs); the
// libgpiod line itself is exercised where no chip exists in tst_SensorFaults.
#include "LineStandIn.h"
#include "sensors/DoorContact.h"

#include <QSignalSpy>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace garage;
using namespace garage::test;
using namespace std::chrono_literals;

namespace {

DoorConfig config()
{
    DoorConfig c;
    c.line = QStringLiteral("gpiochip0:17");
    c.debounce = 30ms;
    c.openAlertAfter = 0s;
    return c;
}

struct Door {
    explicit Door(const DoorConfig &c = config(), bool startHigh = false)
        : line(std::make_shared<LineState>()), contact(c, std::make_unique<LineStandIn>(line))
    {
        line->high = startHigh;
    }
    std::shared_ptr<LineState> line;
    DoorContact contact;
};

} // namespace

class TestDoorContact : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bouncesAreIgnored()
    {
        Door door;
        QSignalSpy changes(&door.contact, &DoorContact::doorChanged);
        door.contact.start(); // closed (active low: a closed contact pulls the line low)
        QVERIFY(door.contact.isKnown());
        QVERIFY(!door.contact.isOpen());
        QVERIFY(door.contact.problem().isEmpty());
        for (int i = 0; i < 7; ++i)
            door.line->edge(i % 2 == 0); // contact bounce while opening, ending high
        QTRY_COMPARE(changes.size(), 1);
        QCOMPARE(changes.at(0).at(0).toBool(), true);
        QVERIFY(door.contact.isOpen());
        door.line->edge(false);
        door.line->edge(true); // a glitch shorter than the debounce: no change
        QTest::qWait(100);
        QCOMPARE(changes.size(), 1);
        QVERIFY(door.contact.isOpen());
    }

    void activeHigh()
    {
        DoorConfig c = config();
        c.activeLow = false;
        Door door(c, true);
        door.contact.start();
        QVERIFY(door.contact.isKnown());
        QVERIFY(!door.contact.isOpen());
        QSignalSpy changes(&door.contact, &DoorContact::doorChanged);
        door.line->edge(false);
        QTRY_COMPARE(changes.size(), 1);
        QVERIFY(door.contact.isOpen());
    }

    void leftOpenAlertsOncePerOpening()
    {
        DoorConfig c = config();
        c.openAlertAfter = 1s;
        Door door(c);
        door.contact.start();
        QSignalSpy leftOpen(&door.contact, &DoorContact::leftOpen);
        door.line->edge(true);
        QTRY_VERIFY(door.contact.isOpen());
        QTRY_COMPARE_WITH_TIMEOUT(leftOpen.size(), 1, 3000);
        QCOMPARE(leftOpen.at(0).at(0).value<std::chrono::seconds>(), 1s);
        QTest::qWait(1500);
        QCOMPARE(leftOpen.size(), 1); // once per opening, not every second
        door.line->edge(false);
        QTRY_VERIFY(!door.contact.isOpen());
        door.line->edge(true);
        QTRY_VERIFY(door.contact.isOpen());
        door.line->edge(false); // closed again before the delay: no alert
        QTRY_VERIFY(!door.contact.isOpen());
        QTest::qWait(1300);
        QCOMPARE(leftOpen.size(), 1);
    }

    // The line cannot be requested at start (chip not there yet): unknown with the reason, one availabilityChanged,
    // retries with backoff; once the request works, the real state and availabilityChanged(true) - no doorChanged,
    // nothing was seen to change.
    void unavailableAtStartRecovers()
    {
        Door door(config(), true);
        door.line->requestError = QStringLiteral("cannot open /dev/gpiochip0 (No such file or directory)");
        QSignalSpy availability(&door.contact, &DoorContact::availabilityChanged);
        QSignalSpy changes(&door.contact, &DoorContact::doorChanged);
        door.contact.start();
        QVERIFY(!door.contact.isKnown());
        QCOMPARE(door.contact.problem(), door.line->requestError);
        QVERIFY(!door.contact.since().isValid()); // no "closed for 0 s"
        QCOMPARE(availability.size(), 1);
        QCOMPARE(availability.at(0).at(0).toBool(), false);
        QCOMPARE(availability.at(0).at(1).toString(), door.line->requestError);
        QVERIFY(door.contact.isRetrying());
        QVERIFY(door.contact.supervisionProblem(std::chrono::steady_clock::now()).isEmpty()); // actively retrying
        QTRY_COMPARE_WITH_TIMEOUT(door.line->requests, 3, 10000); // 1 s, then 2 s (+-20 %)
        QCOMPARE(availability.size(), 1); // once per outage, not per attempt
        QCOMPARE(door.contact.failedAttempts(), 3);
        door.line->requestError.clear();
        QTRY_COMPARE_WITH_TIMEOUT(availability.size(), 2, 10000);
        QCOMPARE(availability.at(1).at(0).toBool(), true);
        QVERIFY(availability.at(1).at(1).toString().isEmpty());
        QVERIFY(door.contact.isKnown());
        QVERIFY(door.contact.isOpen()); // the level the line has now (high = open)
        QVERIFY(door.contact.problem().isEmpty());
        QVERIFY(!door.contact.isRetrying());
        QCOMPARE(door.contact.failedAttempts(), 0);
        QVERIFY(changes.isEmpty());
        door.line->edge(false); // and it follows the line again
        QTRY_COMPARE(changes.size(), 1);
        QVERIFY(!door.contact.isOpen());
    }

    // Reading edge events fails while running (the chip went away): unknown with the reason and a log line, then
    // retried until the line works again.
    void eventReadErrorMakesTheContactUnavailable()
    {
        Door door;
        door.contact.start();
        QVERIFY(door.contact.isKnown());
        QSignalSpy availability(&door.contact, &DoorContact::availabilityChanged);
        door.line->readError = QStringLiteral("cannot read edge events of /dev/gpiochip0 line 17: No such device");
        door.line->requestError = QStringLiteral("cannot open /dev/gpiochip0 (No such device)");
        QTest::ignoreMessage(QtWarningMsg, "door contact: \"cannot read edge events of /dev/gpiochip0 line 17: No such device\"");
        door.line->poke();
        QTRY_COMPARE(availability.size(), 1);
        QCOMPARE(availability.at(0).at(0).toBool(), false);
        QCOMPARE(availability.at(0).at(1).toString(), door.line->readError);
        QVERIFY(!door.contact.isKnown());
        QVERIFY(door.contact.isRetrying());
        const int before = door.line->requests;
        QTRY_VERIFY_WITH_TIMEOUT(door.line->requests > before, 5000);
        QCOMPARE(door.contact.problem(), door.line->requestError); // what the retry ran into
        door.line->readError.clear();
        door.line->requestError.clear();
        QTRY_COMPARE_WITH_TIMEOUT(availability.size(), 2, 10000);
        QVERIFY(door.contact.isKnown());
        QVERIFY(!door.contact.isOpen());
    }

    void stopHaltsRetries()
    {
        Door door;
        door.line->requestError = QStringLiteral("cannot open /dev/gpiochip0");
        door.contact.start();
        QVERIFY(door.contact.isRetrying());
        door.contact.stop();
        QVERIFY(!door.contact.isRetrying());
        QTest::qWait(1500); // past the first retry (1 s + 20 %)
        QCOMPARE(door.line->requests, 1);
        QVERIFY(door.contact.supervisionProblem(std::chrono::steady_clock::now()).isEmpty()); // stopped, not stuck
    }

    // For the watchdog: nothing while the line works or a retry is pending; a retry far overdue is named.
    void supervision()
    {
        Door door;
        door.line->requestError = QStringLiteral("cannot open /dev/gpiochip0");
        door.contact.start();
        const auto now = std::chrono::steady_clock::now();
        QVERIFY(door.contact.supervisionProblem(now).isEmpty());
        const QString stuck = door.contact.supervisionProblem(now + 10min);
        QVERIFY2(stuck.contains(QLatin1String("cannot open /dev/gpiochip0")) && stuck.contains(QLatin1String("overdue")),
                 qPrintable(stuck));
        door.line->requestError.clear();
        QTRY_VERIFY_WITH_TIMEOUT(door.contact.isKnown(), 5000);
        QVERIFY(door.contact.supervisionProblem(std::chrono::steady_clock::now() + 10min).isEmpty()); // a quiet door is fine
    }
};

QTEST_GUILESS_MAIN(TestDoorContact)
#include "tst_DoorContact.moc"
