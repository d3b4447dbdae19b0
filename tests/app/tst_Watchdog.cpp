// The systemd watchdog is fed only while every supervisor is alive: one stuck supervisor (camera, XMPP, sensors,
// storage writer) stops the pings, names itself, and the change is reported once.
#include "app/Watchdog.h"

#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

class TestWatchdog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pingsOnlyWhileEverySupervisorIsAlive()
    {
        QString cameraProblem;
        QString xmppProblem;
        std::chrono::steady_clock::time_point seen{};
        Watchdog watchdog;
        watchdog.add(QStringLiteral("camera"), [&](auto now) {
            seen = now;
            return cameraProblem;
        });
        watchdog.add(QStringLiteral("xmpp"), [&](auto) { return xmppProblem; });
        const auto now = std::chrono::steady_clock::time_point(5h);

        auto verdict = watchdog.evaluate(now);
        QVERIFY(verdict.ping);
        QVERIFY(!verdict.changed);
        QCOMPARE(seen, now); // the checks get the time they are judged at

        cameraProblem = QStringLiteral("no reconnect scheduled for 300 s");
        verdict = watchdog.evaluate(now);
        QVERIFY(!verdict.ping);
        QVERIFY(verdict.changed); // log it
        QCOMPARE(verdict.problems, QStringList{QStringLiteral("camera: no reconnect scheduled for 300 s")});
        verdict = watchdog.evaluate(now);
        QVERIFY(!verdict.ping);
        QVERIFY(!verdict.changed); // ... once

        xmppProblem = QStringLiteral("not connected, no reconnect pending");
        verdict = watchdog.evaluate(now);
        QVERIFY(!verdict.ping);
        QVERIFY(verdict.changed);
        QCOMPARE(verdict.problems.size(), 2);

        cameraProblem.clear();
        xmppProblem.clear();
        verdict = watchdog.evaluate(now);
        QVERIFY(verdict.ping);
        QVERIFY(verdict.changed); // "alive again"
    }

    void noSupervisorsMeansTheLoopAlone()
    {
        Watchdog watchdog;
        QVERIFY(watchdog.evaluate(std::chrono::steady_clock::now()).ping);
    }
};

QTEST_GUILESS_MAIN(TestWatchdog)
#include "tst_Watchdog.moc"
