// The pre-roll: thinned to the clip's frame rate, bounded in stream time and in bytes, never mixing two streams.
#include "clips/PreRollBuffer.h"

#include <QTest>

using namespace std::chrono_literals;

namespace garage {

namespace {
ClipFrame jpegFrame(std::chrono::milliseconds t, int bytes = 1000)
{
    return ClipFrame{t, QByteArray(bytes, 'j'), {}, {}};
}
} // namespace

class TestPreRollBuffer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepsTheLastSecondsAtTheClipRate_data()
    {
        QTest::addColumn<int>("sourceFps");
        QTest::addColumn<int>("clipFps");
        QTest::addColumn<int>("preSeconds");
        QTest::addColumn<int>("expectedFrames");
        QTest::newRow("15 fps camera, defaults") << 15 << 5 << 2 << 11;
        QTest::newRow("10 fps file, defaults") << 10 << 5 << 2 << 11;
        QTest::newRow("30 fps camera, defaults") << 30 << 5 << 2 << 11;
        QTest::newRow("25 fps, 10 fps clip") << 25 << 10 << 2 << 21;
        QTest::newRow("source slower than the clip") << 2 << 5 << 2 << 5;
        QTest::newRow("5 s pre-roll") << 15 << 5 << 5 << 26;
        QTest::newRow("no pre-roll") << 15 << 5 << 0 << 1;
    }
    void keepsTheLastSecondsAtTheClipRate()
    {
        QFETCH(int, sourceFps);
        QFETCH(int, clipFps);
        QFETCH(int, preSeconds);
        QFETCH(int, expectedFrames);
        PreRollBuffer buffer(std::chrono::seconds(preSeconds), clipFps);
        std::chrono::milliseconds newest{};
        for (int n = 0; n < sourceFps * 10; ++n) {
            newest = std::chrono::milliseconds(n * 1000 / sourceFps);
            buffer.push(jpegFrame(newest));
        }
        const auto frames = buffer.frames();
        QCOMPARE(int(frames.size()), expectedFrames);
        const auto interval = std::chrono::milliseconds(1000 / clipFps);
        QVERIFY(newest - frames.back().timestamp < interval); // the newest slot is there
        QVERIFY(frames.back().timestamp - frames.front().timestamp <= std::chrono::seconds(preSeconds));
        for (std::size_t i = 1; i < frames.size(); ++i) {
            const auto gap = frames[i].timestamp - frames[i - 1].timestamp;
            QVERIFY2(gap >= interval * 3 / 4, qPrintable(QString::number(gap.count())));
            QVERIFY2(gap <= std::max(interval * 3 / 2, std::chrono::milliseconds(1000 / sourceFps)),
                     qPrintable(QString::number(gap.count())));
        }
    }

    void wantsOnlyFramesAtTheClipRate()
    {
        PreRollBuffer buffer(2s, 5);
        QVERIFY(buffer.wants(0ms));
        QVERIFY(buffer.push(jpegFrame(0ms)));
        QVERIFY(!buffer.wants(67ms));
        QVERIFY(!buffer.push(jpegFrame(67ms)));
        QVERIFY(buffer.wants(200ms));
        QCOMPARE(buffer.size(), 1u);
    }

    void memoryIsTheSumOfTheFramesAndBounded()
    {
        PreRollBuffer buffer(10s, 5, 3'500'000);
        const cv::Mat picture(480, 640, CV_8UC3, cv::Scalar(1, 2, 3)); // 921 600 bytes
        for (int n = 0; n < 20; ++n)
            buffer.push(ClipFrame{std::chrono::milliseconds(n * 200), {}, picture.clone(), {}});
        QCOMPARE(buffer.size(), 3u);
        QCOMPARE(buffer.memoryBytes(), 3u * 921'600u);
        QVERIFY(buffer.memoryBytes() <= buffer.maxBytes());
        QCOMPARE(buffer.frames().front().timestamp, 3400ms);

        buffer.push(jpegFrame(4000ms, 5000));
        QCOMPARE(buffer.memoryBytes(), 3u * 921'600u + 5000u);
        buffer.clear();
        QCOMPARE(buffer.memoryBytes(), 0u);
        QCOMPARE(buffer.size(), 0u);
    }

    void defaultsStayUnder16MegabytesForReducedPictures()
    {
        // a camera that is not MJPEG: pictures reduced to 640×480 BGR before they are kept
        PreRollBuffer buffer(2s, 5);
        const cv::Mat picture(480, 640, CV_8UC3, cv::Scalar::all(9));
        for (int n = 0; n < 150; ++n)
            buffer.push(ClipFrame{std::chrono::milliseconds(n * 1000 / 15), {}, picture, {}});
        QCOMPARE(buffer.size(), 11u);
        QVERIFY(buffer.memoryBytes() <= 16u * 1024 * 1024);
    }

    void aFrameLargerThanTheBoundIsNotKept()
    {
        PreRollBuffer buffer(2s, 5, 1000);
        QVERIFY(!buffer.push(jpegFrame(0ms, 2000)));
        QCOMPARE(buffer.size(), 0u);
        QCOMPARE(buffer.memoryBytes(), 0u);
    }

    void aRestartedStreamEmptiesTheBuffer()
    {
        PreRollBuffer buffer(2s, 5);
        for (int n = 0; n < 10; ++n)
            buffer.push(jpegFrame(std::chrono::milliseconds(50'000 + n * 200)));
        QVERIFY(buffer.push(jpegFrame(100ms)));
        QCOMPARE(buffer.size(), 1u);
        QCOMPARE(buffer.frames().front().timestamp, 100ms);
        QCOMPARE(buffer.memoryBytes(), 1000u);
    }

    void nullFramesAreNotKept()
    {
        PreRollBuffer buffer(2s, 5);
        QVERIFY(!buffer.push(ClipFrame{0ms, {}, {}, {}}));
        QCOMPARE(buffer.size(), 0u);
    }

    void sinceReturnsTheFramesFromATime()
    {
        PreRollBuffer buffer(2s, 5);
        for (int n = 0; n < 10; ++n)
            buffer.push(jpegFrame(std::chrono::milliseconds(n * 200)));
        const auto frames = buffer.since(1100ms);
        QCOMPARE(frames.size(), 4u);
        QCOMPARE(frames.front().timestamp, 1200ms);
        QCOMPARE(buffer.since(1801ms).size(), 0u);
        QCOMPARE(buffer.since(0ms).size(), 10u);
    }
};

} // namespace garage

QTEST_GUILESS_MAIN(garage::TestPreRollBuffer)
#include "tst_PreRollBuffer.moc"
