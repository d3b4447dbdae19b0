// The camera layer on real decoded video (Qt Multimedia's ffmpeg backend, headless): frames in order with stream
// timestamps and the right luma, the analysis rate cap, loops, a source that is missing and comes back (Offline,
// backoff, Streaming), and snapshots encoded off the event loop.
#include "ClipWriter.h"
#include "camera/FrameSource.h"
#include "camera/SnapshotEncoder.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

using namespace garage;
using namespace std::chrono_literals;

namespace {

struct Received {
    std::chrono::milliseconds timestamp;
    std::int64_t index;
    cv::Mat grey;
};

test::Scene movingSquare(double fps, double seconds)
{
    return {{320, 240}, fps, seconds, [](cv::Mat &f, int n, double) {
                cv::rectangle(f, cv::Rect(10 + 8 * (n % 30), 80, 40, 40), cv::Scalar(250, 250, 250), cv::FILLED);
            }};
}

CameraConfig fileConfig(const QString &path)
{
    CameraConfig c;
    c.source = path;
    c.analysisFps = 30;
    c.stallTimeout = 5s;
    return c;
}

} // namespace

class TestMediaFrameSource : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    static void collect(FrameSource &source, std::vector<Received> &out)
    {
        QObject::connect(&source, &FrameSource::frameReady, &source, [&out](const LumaFrame &f) {
            out.push_back({f.timestamp, f.index, f.grey.clone()});
        });
    }

private Q_SLOTS:
    void decodesFramesInOrderWithTheRightLuma()
    {
        const QString path = m_dir.filePath(QStringLiteral("square.avi"));
        QVERIFY(test::writeClip(path.toStdString(), movingSquare(10, 3)));
        auto source = createFrameSource(fileConfig(path));
        QVERIFY(source);
        std::vector<Received> frames;
        collect(**source, frames);
        QSignalSpy states(source->get(), &FrameSource::stateChanged);
        (*source)->start();
        QTRY_VERIFY_WITH_TIMEOUT((*source)->state() == FrameSource::State::Offline && !frames.empty(), 15000);
        QCOMPARE((*source)->stateReason(), QStringLiteral("end of stream")); // not looping: the stream ended
        // a real-time player drops late frames on a loaded machine: most of the 30 arrive, in order
        QVERIFY2(frames.size() >= 24 && frames.size() <= 30, qPrintable(QString::number(frames.size())));
        QCOMPARE(frames.front().grey.cols, 320);
        QCOMPARE(frames.front().grey.rows, 240);
        for (std::size_t i = 1; i < frames.size(); ++i) {
            QVERIFY(frames[i].timestamp > frames[i - 1].timestamp);
            QCOMPARE(frames[i].index, frames[i - 1].index + 1);
        }
        const auto span = frames.back().timestamp - frames.front().timestamp; // stream time: 29 frame intervals
        QVERIFY2(span >= 2700ms && span <= 3000ms, qPrintable(QString::number(span.count())));
        // a frame from the middle against the same frame decoded by OpenCV (found by its stream time), in grey:
        // within codec/conversion tolerance
        const Received &middle = frames[frames.size() / 2];
        const int frameNumber = int(std::lround((middle.timestamp - frames.front().timestamp).count() / 100.0));
        cv::VideoCapture reference(path.toStdString());
        cv::Mat bgr, grey, diff;
        for (int i = 0; i <= frameNumber; ++i)
            reference.read(bgr);
        cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
        cv::absdiff(grey, middle.grey, diff);
        QVERIFY2(cv::mean(diff)[0] < 4.0, qPrintable(QString::number(cv::mean(diff)[0])));
        QVERIFY(states.size() >= 2); // Starting -> Streaming -> Offline
    }

    void analysisRateIsCapped()
    {
        const QString path = m_dir.filePath(QStringLiteral("fast.avi"));
        QVERIFY(test::writeClip(path.toStdString(), movingSquare(30, 2)));
        CameraConfig config = fileConfig(path);
        config.analysisFps = 10;
        auto source = createFrameSource(config);
        std::vector<Received> frames;
        collect(**source, frames);
        (*source)->start();
        QTRY_VERIFY_WITH_TIMEOUT((*source)->state() == FrameSource::State::Offline && !frames.empty(), 15000);
        QVERIFY2(frames.size() >= 12 && frames.size() <= 22, qPrintable(QString::number(frames.size()))); // of 60 decoded: about a third
    }

    void loopsKeepTimeMonotonic()
    {
        const QString path = m_dir.filePath(QStringLiteral("loop.avi"));
        QVERIFY(test::writeClip(path.toStdString(), movingSquare(20, 1)));
        CameraConfig config = fileConfig(path);
        config.loop = true;
        auto source = createFrameSource(config);
        std::vector<Received> frames;
        collect(**source, frames);
        (*source)->start();
        QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 50, 15000); // 2.5 loops of 20 frames
        QCOMPARE((*source)->state(), FrameSource::State::Streaming);
        for (std::size_t i = 1; i < frames.size(); ++i)
            QVERIFY(frames[i].timestamp > frames[i - 1].timestamp);
        QVERIFY(frames.back().timestamp >= 2000ms);
        (*source)->stop();
    }

    void missingSourceBacksOffAndRecovers()
    {
        const QString path = m_dir.filePath(QStringLiteral("later.avi"));
        auto source = createFrameSource(fileConfig(path));
        QVERIFY(source);
        QSignalSpy states(source->get(), &FrameSource::stateChanged);
        QElapsedTimer clock;
        clock.start();
        (*source)->start();
        QCOMPARE((*source)->state(), FrameSource::State::Offline);
        QVERIFY((*source)->stateReason().contains(QLatin1String("does not exist")));
        const auto first = (*source)->retryDelay();
        QVERIFY(first >= 800ms && first <= 1200ms);
        QTRY_VERIFY_WITH_TIMEOUT((*source)->retryDelay() >= 1600ms, 5000); // second attempt failed: doubled
        QVERIFY(clock.elapsed() >= 800);
        QVERIFY(test::writeClip(path.toStdString(), movingSquare(10, 2)));
        QTRY_COMPARE_WITH_TIMEOUT((*source)->state(), FrameSource::State::Streaming, 10000);
        QVERIFY(clock.elapsed() >= 2400); // 1 s + 2 s backoff (with jitter) before it was seen
        (*source)->stop();
    }

    void snapshotEncodesOffTheEventLoop()
    {
        const QString path = m_dir.filePath(QStringLiteral("snap.avi"));
        QVERIFY(test::writeClip(path.toStdString(), {{1280, 720}, 10, 2, {}}));
        CameraConfig config = fileConfig(path);
        config.loop = true;
        auto source = createFrameSource(config);
        (*source)->start();
        QTRY_VERIFY_WITH_TIMEOUT(!(*source)->latestFrame().isNull(), 10000);
        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, this, [&ticks] { ++ticks; });
        timer.start(1);
        bool annotated = false;
        auto future = encodeSnapshot((*source)->latestFrame(), 85, 800, [&annotated](cv::Mat &bgr) {
            annotated = bgr.cols == 1280;
            cv::rectangle(bgr, cv::Rect(0, 0, 100, 100), cv::Scalar(0, 255, 0), 4);
        });
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        QVERIFY(ticks > 0); // the loop kept running
        const auto jpeg = future.result();
        QVERIFY2(jpeg, qPrintable(jpeg ? QString() : jpeg.error()));
        QVERIFY(annotated);
        QVERIFY(jpeg->size() < kMaxSnapshotBytes);
        const cv::Mat decoded = cv::imdecode(std::vector<uchar>(jpeg->begin(), jpeg->end()), cv::IMREAD_COLOR);
        QCOMPARE(decoded.cols, 800);
        QCOMPARE(decoded.rows, 450);
        (*source)->stop();
        QVERIFY(!encodeSnapshotNow(SnapshotFrame(), 80, 800));
    }

    void noCameraIsAClearError()
    {
        CameraConfig config;
        config.source = QStringLiteral("camera:garage-cam");
        const auto source = createFrameSource(config);
        QVERIFY(!source);
        QVERIFY2(source.error().contains(QLatin1String("garage-cam")), qPrintable(source.error()));
    }
};

QTEST_MAIN(TestMediaFrameSource)
#include "tst_MediaFrameSource.moc"
