// The stream time a frame source gives its frames: never backwards, whatever the stream's own timestamps do (a file
// looping back to 0, a camera clock jumping hours ahead or back, no timestamps at all, a reconnect).
#include "camera/StreamClock.h"

#include <QTest>

using namespace garage;
using namespace std::chrono_literals;

namespace {
constexpr qint64 kNone = -1;        // a frame without a source timestamp
constexpr qint64 kReconnect = -2;   // in `source`: the stream is reopened before the next frame (no frame)
} // namespace

class tst_StreamClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void streamTime_data();
    void streamTime();
    void neverBackwardsOverALongRun();
};

void tst_StreamClock::streamTime_data()
{
    QTest::addColumn<QList<qint64>>("source");   // ms, kNone, or kReconnect
    QTest::addColumn<QList<qint64>>("arrival");  // steady ms, one per frame
    QTest::addColumn<QList<qint64>>("expected"); // stream ms, one per frame
    QTest::newRow("a file at 25 fps keeps its own times")
        << QList<qint64>{0, 40, 80, 120} << QList<qint64>{1000, 1040, 1081, 1119} << QList<qint64>{0, 40, 80, 120};
    QTest::newRow("loop back to 0 continues by the arrival time")
        << QList<qint64>{5920, 5960, 0, 40, 80} << QList<qint64>{0, 40, 90, 130, 170}
        << QList<qint64>{5920, 5960, 6010, 6050, 6090};
    QTest::newRow("camera clock jumps hours ahead")
        << QList<qint64>{100, 140, 3'600'140, 3'600'180} << QList<qint64>{0, 40, 80, 120}
        << QList<qint64>{100, 140, 180, 220};
    QTest::newRow("camera clock jumps back")
        << QList<qint64>{10'000, 10'040, 5'000, 5'040} << QList<qint64>{0, 40, 80, 120}
        << QList<qint64>{10'000, 10'040, 10'080, 10'120};
    QTest::newRow("a burst of buffered frames follows the source")
        << QList<qint64>{0, 40, 80, 120} << QList<qint64>{0, 1, 2, 3} << QList<qint64>{0, 40, 80, 120};
    QTest::newRow("ahead by less than the tolerance is the source's")
        << QList<qint64>{0, 1500} << QList<qint64>{0, 40} << QList<qint64>{0, 1500};
    QTest::newRow("ahead by more than the tolerance is a jump")
        << QList<qint64>{0, 2100} << QList<qint64>{0, 40} << QList<qint64>{0, 40};
    QTest::newRow("no timestamps: the arrival times from 0")
        << QList<qint64>{kNone, kNone, kNone} << QList<qint64>{500, 533, 600} << QList<qint64>{0, 33, 100};
    QTest::newRow("no timestamps, two frames at once: still apart")
        << QList<qint64>{kNone, kNone, kNone} << QList<qint64>{0, 0, 0} << QList<qint64>{0, 1, 2};
    QTest::newRow("a stuck source time advances by the arrival time")
        << QList<qint64>{200, 200, 200} << QList<qint64>{0, 40, 80} << QList<qint64>{200, 240, 280};
    QTest::newRow("reconnect: the outage counts, the new timeline is followed")
        << QList<qint64>{0, 40, kReconnect, 0, 40} << QList<qint64>{0, 40, 5040, 5080}
        << QList<qint64>{0, 40, 5040, 5080};
    QTest::newRow("reconnect to a stream that resumes its old times")
        << QList<qint64>{1000, 1040, kReconnect, 1080, 1120} << QList<qint64>{0, 40, 3040, 3080}
        << QList<qint64>{1000, 1040, 4040, 4080};
    QTest::newRow("reconnect without timestamps (MJPEG)")
        << QList<qint64>{kNone, kNone, kReconnect, kNone} << QList<qint64>{0, 100, 3100} << QList<qint64>{0, 100, 3100};
    QTest::newRow("timestamps that appear mid-stream")
        << QList<qint64>{kNone, kNone, 500, 540} << QList<qint64>{0, 40, 80, 120} << QList<qint64>{0, 40, 80, 120};
    QTest::newRow("a negative first source time starts at 0")
        << QList<qint64>{-500, -460} << QList<qint64>{0, 40} << QList<qint64>{0, 40};
}

void tst_StreamClock::streamTime()
{
    QFETCH(QList<qint64>, source);
    QFETCH(QList<qint64>, arrival);
    QFETCH(QList<qint64>, expected);
    const auto origin = std::chrono::steady_clock::time_point{} + 100h;
    StreamClock clock;
    QList<qint64> got;
    qsizetype frame = 0;
    for (const qint64 s : source) {
        if (s == kReconnect) {
            clock.restart();
            continue;
        }
        const auto sourceTime = s == kNone ? std::nullopt : std::optional(std::chrono::milliseconds(s));
        got << clock.next(sourceTime, origin + std::chrono::milliseconds(arrival[frame++])).count();
        QCOMPARE(clock.last().count(), got.last());
    }
    QCOMPARE(got, expected);
    for (qsizetype i = 1; i < got.size(); ++i)
        QVERIFY(got[i] > got[i - 1]);
}

// Months of a looping camera with hiccups: hours of frames, a loop every 6 s, a backwards jump every 1000 frames,
// a reconnect every 5000: strictly increasing, and close to the steady time that passed.
void tst_StreamClock::neverBackwardsOverALongRun()
{
    StreamClock clock;
    const auto origin = std::chrono::steady_clock::time_point{};
    std::chrono::milliseconds previous{-1};
    qint64 source = 0;
    for (qint64 i = 0; i < 200'000; ++i) {
        const auto arrival = origin + std::chrono::milliseconds(i * 100);
        if (i % 5000 == 4999)
            clock.restart();
        source = i % 60 == 0 ? 0 : source + 100;
        if (i % 1000 == 999)
            source -= 50'000;
        const auto t = clock.next(std::chrono::milliseconds(source), arrival);
        QVERIFY(t > previous);
        previous = t;
    }
    QVERIFY2(std::abs(previous.count() - 199'999 * 100) < 1000, qPrintable(QString::number(previous.count())));
}

QTEST_APPLESS_MAIN(tst_StreamClock)
#include "tst_StreamClock.moc"
