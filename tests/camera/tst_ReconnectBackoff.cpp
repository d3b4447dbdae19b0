// Reconnect delays: 1 s doubling to 60 s with jitter, back to 1 s once the stream works.
#include "camera/ReconnectBackoff.h"

#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

class tst_ReconnectBackoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void doublesToTheCap();
    void jitterSpreadsCameras();
    void resetStartsOver();
};

void tst_ReconnectBackoff::doublesToTheCap()
{
    ReconnectBackoff backoff(42);
    const std::chrono::milliseconds bases[] = {1s, 2s, 4s, 8s, 16s, 32s, 60s, 60s, 60s, 60s};
    for (const auto base : bases) {
        const auto d = backoff.next();
        QVERIFY2(d >= base * 8 / 10 && d <= std::min<std::chrono::milliseconds>(base * 12 / 10, 60s),
                 qPrintable(QStringLiteral("%1 ms for base %2 ms").arg(d.count()).arg(base.count())));
    }
    QCOMPARE(backoff.attempts(), 10);
}

void tst_ReconnectBackoff::jitterSpreadsCameras()
{
    ReconnectBackoff a(1), b(2);
    QVERIFY(a.next() != b.next());
}

void tst_ReconnectBackoff::resetStartsOver()
{
    ReconnectBackoff backoff(7);
    for (int i = 0; i < 8; ++i)
        backoff.next();
    backoff.reset();
    QCOMPARE(backoff.attempts(), 0);
    QVERIFY(backoff.next() <= 1200ms);
}

QTEST_GUILESS_MAIN(tst_ReconnectBackoff)
#include "tst_ReconnectBackoff.moc"
