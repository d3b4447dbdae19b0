// What the owner hears about a camera, door contact or sensor that stops working: nothing for a short outage, "lost"
// once after the grace, "back" once — on real (steady) time, whatever the wall clock does.
#include "app/DeviceHealth.h"

#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

namespace {
const QDateTime kWall = QDateTime::fromString(QStringLiteral("2026-11-25T10:00:00Z"), Qt::ISODate);
Moment at(std::chrono::seconds steady, qint64 wallStep = 0)
{
    return {kWall.addSecs(steady.count() + wallStep), std::chrono::steady_clock::time_point(1000h + steady)};
}
} // namespace

class TestDeviceHealth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Each row: the device goes down at 0 s and comes back at `backAt`; we poll every second in between.
    void outages_data()
    {
        QTest::addColumn<int>("backAt");
        QTest::addColumn<int>("wallStep"); // the wall clock steps by this after the outage starts
        QTest::addColumn<int>("lostAt");   // -1: never told
        QTest::addColumn<bool>("backTold");
        QTest::newRow("short outage: silent") << 20 << 0 << -1 << false;
        QTest::newRow("just under the grace") << 29 << 0 << -1 << false;
        QTest::newRow("long outage: lost once, back once") << 95 << 0 << 30 << true;
        QTest::newRow("wall clock 2 h forward: still a short outage") << 20 << 7200 << -1 << false;
        QTest::newRow("wall clock 2 h back: lost after the real grace") << 95 << -7200 << 30 << true;
    }
    void outages()
    {
        QFETCH(int, backAt);
        QFETCH(int, wallStep);
        QFETCH(int, lostAt);
        QFETCH(bool, backTold);
        DeviceHealth health(30s);
        health.down(QStringLiteral("no camera found, retrying"), at(0s));
        QVERIFY(health.isDown());
        QCOMPARE(health.deadline(), std::optional(at(30s).steady));
        int lostSeen = -1;
        int lostCount = 0;
        for (int s = 1; s < backAt; ++s) {
            health.down(QStringLiteral("still: no camera found, retrying"), at(std::chrono::seconds(s), wallStep));
            if (const auto change = health.poll(at(std::chrono::seconds(s), wallStep))) {
                QCOMPARE(change->kind, DeviceChange::Kind::Lost);
                QCOMPARE(change->reason, QStringLiteral("still: no camera found, retrying")); // the latest reason
                lostSeen = lostSeen < 0 ? s : lostSeen;
                ++lostCount;
            }
        }
        QCOMPARE(lostSeen, lostAt);
        QVERIFY(lostCount <= 1);
        const auto back = health.up(at(std::chrono::seconds(backAt), wallStep));
        QCOMPARE(back.has_value(), backTold);
        if (back) {
            QCOMPARE(back->kind, DeviceChange::Kind::Back);
            QCOMPARE(back->downFor, std::chrono::seconds(backAt)); // real time, not the stepped wall clock
        }
        QVERIFY(!health.isDown());
        QVERIFY(!health.up(at(std::chrono::seconds(backAt + 1))));   // back is told once
        QVERIFY(!health.poll(at(std::chrono::seconds(backAt + 100)))); // and nothing more
    }

    void downSinceIsTheFirstFailure()
    {
        DeviceHealth health(30s);
        health.down(QStringLiteral("stalled"), at(0s));
        health.down(QStringLiteral("offline"), at(10s));
        QCOMPARE(health.downSinceWall(), kWall);
        QCOMPARE(health.reason(), QStringLiteral("offline"));
        QCOMPARE(health.deadline(), std::optional(at(30s).steady)); // a new reason does not restart the grace
    }
};

QTEST_GUILESS_MAIN(TestDeviceHealth)
#include "tst_DeviceHealth.moc"
