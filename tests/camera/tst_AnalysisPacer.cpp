// Analysis rate cap: which frames of a stream go to motion analysis.
#include "camera/AnalysisPacer.h"

#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

class tst_AnalysisPacer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rates_data();
    void rates();
    void timeGoingBackRestarts();
};

void tst_AnalysisPacer::rates_data()
{
    QTest::addColumn<int>("sourceFps");
    QTest::addColumn<int>("analysisFps");
    QTest::addColumn<int>("expectedPer10s");
    QTest::newRow("30 fps camera at 10: a third") << 30 << 10 << 100;
    QTest::newRow("15 fps at 10") << 15 << 10 << 100;
    QTest::newRow("25 fps at 10") << 25 << 10 << 100;
    QTest::newRow("5 fps at 10: every frame") << 5 << 10 << 50;
    QTest::newRow("30 fps at 1") << 30 << 1 << 10;
    QTest::newRow("10 fps at 10: every frame") << 10 << 10 << 100;
}

void tst_AnalysisPacer::rates()
{
    QFETCH(int, sourceFps);
    QFETCH(int, analysisFps);
    QFETCH(int, expectedPer10s);
    AnalysisPacer pacer(analysisFps);
    int taken = 0;
    for (int i = 0; i < sourceFps * 10; ++i)
        taken += pacer.take(std::chrono::milliseconds(i * 1000 / sourceFps)) ? 1 : 0; // ms timestamps, truncated
    QVERIFY2(std::abs(taken - expectedPer10s) <= 1, qPrintable(QString::number(taken)));
}

void tst_AnalysisPacer::timeGoingBackRestarts()
{
    AnalysisPacer pacer(10);
    QVERIFY(pacer.take(5000ms));
    QVERIFY(!pacer.take(5033ms));
    QVERIFY(pacer.take(0ms)); // a looped file starts again
    QVERIFY(!pacer.take(33ms));
    QVERIFY(pacer.take(100ms));
}

QTEST_GUILESS_MAIN(tst_AnalysisPacer)
#include "tst_AnalysisPacer.moc"
