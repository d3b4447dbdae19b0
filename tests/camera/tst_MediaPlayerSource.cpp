// Real decode through QMediaPlayer: clips written here with cv::VideoWriter, luma against the reference frames,
// pacing, looping, snapshots encoded off the event loop, and the factory's errors.
#include "camera/FrameSource.h"
#include "camera/SnapshotEncoder.h"

#include <QFutureWatcher>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

using namespace garage;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int kWidth = 320;
constexpr int kHeight = 240;
constexpr int kFps = 25;

// Frame i of the test clip: a smooth gradient with a square moving across, so frames differ and compress well.
cv::Mat clipFrame(int i)
{
    cv::Mat bgr(kHeight, kWidth, CV_8UC3);
    for (int y = 0; y < kHeight; ++y)
        for (int x = 0; x < kWidth; ++x)
            bgr.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x * 255 / kWidth), uchar(y * 255 / kHeight), uchar(128));
    cv::rectangle(bgr, cv::Rect(10 + i * 6, 60, 60, 60), cv::Scalar(250, 250, 250), cv::FILLED);
    return bgr;
}

cv::Mat clipGrey(int i)
{
    cv::Mat grey;
    cv::cvtColor(clipFrame(i), grey, cv::COLOR_BGR2GRAY);
    return grey;
}

bool writeClip(const QString &path, int fourcc, int frames)
{
    cv::VideoWriter writer(path.toStdString(), cv::CAP_FFMPEG, fourcc, kFps, cv::Size(kWidth, kHeight));
    if (!writer.isOpened())
        return false;
    for (int i = 0; i < frames; ++i)
        writer.write(clipFrame(i));
    return true;
}

struct Received {
    cv::Mat grey; // deep copy: the frame's own view is only valid during the signal
    std::chrono::milliseconds timestamp;
    std::int64_t index;
};

} // namespace

class tst_MediaPlayerSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void decodesClip_data();
    void decodesClip();
    void pacesAnalysisAndLoops();
    void snapshotEncodesOffTheEventLoop();
    void factoryErrors();

private:
    std::vector<Received> play(const QString &file, int analysisFps, bool loop, int wanted,
                               std::unique_ptr<FrameSource> *keep = nullptr);
    QTemporaryDir m_dir;
};

void tst_MediaPlayerSource::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(writeClip(m_dir.filePath(u"mjpeg.avi"_s), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 40));
}

std::vector<Received> tst_MediaPlayerSource::play(const QString &file, int analysisFps, bool loop, int wanted,
                                                  std::unique_ptr<FrameSource> *keep)
{
    CameraConfig config;
    config.source = file;
    config.analysisFps = analysisFps;
    config.loop = loop;
    auto source = createFrameSource(config);
    if (!source) {
        qWarning() << source.error();
        return {};
    }
    std::vector<Received> got;
    connect(source->get(), &FrameSource::frameReady, this, [&](const LumaFrame &f) {
        got.push_back({f.grey.clone(), f.timestamp, f.index});
    });
    (*source)->start();
    (void)QTest::qWaitFor([&] { return int(got.size()) >= wanted; }, 20000);
    if (keep)
        *keep = std::move(*source);
    return got;
}

void tst_MediaPlayerSource::decodesClip_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("fourcc");
    QTest::addColumn<double>("tolerance"); // mean absolute luma error
    QTest::newRow("MJPEG avi") << u"mjpeg.avi"_s << cv::VideoWriter::fourcc('M', 'J', 'P', 'G') << 4.0;
    QTest::newRow("uncompressed avi (I420)") << u"raw.avi"_s << cv::VideoWriter::fourcc('I', '4', '2', '0') << 2.0;
}

void tst_MediaPlayerSource::decodesClip()
{
    QFETCH(QString, name);
    QFETCH(int, fourcc);
    QFETCH(double, tolerance);
    const QString path = m_dir.filePath(name);
    if (!QFile::exists(path))
        QVERIFY(writeClip(path, fourcc, 40));
    // analysis at the clip rate: every frame, in order
    std::unique_ptr<FrameSource> source;
    const auto got = play(path, kFps, false, 30, &source);
    QVERIFY2(got.size() >= 30, qPrintable(QString::number(got.size())));
    // luma stays in the stream's own range (no rescaling copy): video range maps grey 0..255 to 16..235
    const auto range = source->latestFrame().videoFrame().surfaceFormat().colorRange();
    const bool fullRange = range == QVideoFrameFormat::ColorRange_Full;
    const auto reference = [&](int n) {
        cv::Mat grey = clipGrey(n);
        if (!fullRange)
            grey.convertTo(grey, CV_8U, 219.0 / 255.0, 16.0);
        return grey;
    };
    for (std::size_t i = 0; i < got.size(); ++i) {
        QCOMPARE(got[i].grey.cols, kWidth);
        QCOMPARE(got[i].grey.rows, kHeight);
        QCOMPARE(got[i].index, std::int64_t(i));
        if (i > 0)
            QVERIFY2(got[i].timestamp > got[i - 1].timestamp, "timestamps increase");
        // the frame shown at time t is clip frame t * fps
        const int n = int(std::lround(double(got[i].timestamp.count()) * kFps / 1000.0));
        const double err = cv::norm(got[i].grey, reference(n), cv::NORM_L1) / (kWidth * kHeight);
        QVERIFY2(err <= tolerance, qPrintable(QStringLiteral("frame %1 (t=%2 ms, range %4): mean luma error %3")
                                                  .arg(n).arg(got[i].timestamp.count()).arg(err).arg(int(range))));
        if (n + 1 < 40) // and it is not its neighbour: the square moved
            QVERIFY(cv::norm(got[i].grey, reference(n + 1), cv::NORM_L1) / (kWidth * kHeight) > err);
    }
}

void tst_MediaPlayerSource::pacesAnalysisAndLoops()
{
    std::unique_ptr<FrameSource> source;
    // 40 frames at 25 fps = 1.6 s; at 5 fps analysis a loop gives 8 frames: 12 frames need the replay
    const auto got = play(m_dir.filePath(u"mjpeg.avi"_s), 5, true, 12, &source);
    QVERIFY2(got.size() >= 12, qPrintable(QString::number(got.size())));
    // the replay goes on in stream time (it never goes back), paced as before
    for (std::size_t i = 1; i < got.size(); ++i) {
        const auto gap = got[i].timestamp - got[i - 1].timestamp;
        QVERIFY2(gap >= 160ms, qPrintable(QString::number(gap.count())));
    }
    QVERIFY2(got.back().timestamp > 1600ms, qPrintable(QString::number(got.back().timestamp.count()))); // replayed
    QCOMPARE(source->state(), FrameSource::State::Streaming);
    QCOMPARE(source->frameSize(), QSize(kWidth, kHeight));
    QVERIFY2(source->measuredFps() > 2 && source->measuredFps() < 8, qPrintable(QString::number(source->measuredFps())));
}

void tst_MediaPlayerSource::snapshotEncodesOffTheEventLoop()
{
    std::unique_ptr<FrameSource> source;
    play(m_dir.filePath(u"mjpeg.avi"_s), 10, true, 3, &source);
    QVERIFY(source);
    const SnapshotFrame frame = source->latestFrame();
    QVERIFY(!frame.isNull());
    source->stop();
    QCOMPARE(frame.size(), QSize(kWidth, kHeight));

    // the event loop keeps turning while the worker encodes (the annotation makes the work long on purpose)
    int ticks = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, this, [&] { ++ticks; });
    timer.start(5);
    Qt::HANDLE workerThread = nullptr;
    auto future = encodeSnapshot(frame, 90, 0, [&](cv::Mat &bgr) {
        workerThread = QThread::currentThreadId();
        QCOMPARE(bgr.size(), cv::Size(kWidth, kHeight));
        cv::rectangle(bgr, cv::Rect(0, 0, 20, 20), cv::Scalar(0, 0, 255), cv::FILLED);
        QThread::msleep(300); // stands in for a slow encode of a big frame
    });
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 5000);
    QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks)));
    QVERIFY(workerThread != QThread::currentThreadId());
    const auto jpeg = future.result();
    QVERIFY2(jpeg.has_value(), qPrintable(jpeg ? QString() : jpeg.error()));
    const cv::Mat decoded = cv::imdecode(cv::Mat(1, int(jpeg->size()), CV_8UC1, const_cast<char *>(jpeg->data())),
                                         cv::IMREAD_COLOR);
    QCOMPARE(decoded.cols, kWidth);
    QCOMPARE(decoded.rows, kHeight);
    const cv::Vec3b corner = decoded.at<cv::Vec3b>(5, 5);
    QVERIFY2(corner[2] > 200 && corner[1] < 60, "the annotation is in the JPEG");

    // scaled to maxWidth, aspect kept
    const auto small = encodeSnapshot(frame, 80, 160).result();
    QVERIFY(small.has_value());
    const cv::Mat s = cv::imdecode(cv::Mat(1, int(small->size()), CV_8UC1, const_cast<char *>(small->data())),
                                   cv::IMREAD_COLOR);
    QCOMPARE(s.cols, 160);
    QCOMPARE(s.rows, 120);
    QVERIFY(!encodeSnapshot(SnapshotFrame(), 80, 0).result().has_value());
}

void tst_MediaPlayerSource::factoryErrors()
{
    CameraConfig config;
    // only a malformed source fails; a camera that is not there is looked for again (tst_CameraSource)
    config.source = u"camera:C920"_s;
    QVERIFY(createFrameSource(config).has_value());
    config.source = u"ftp://host/x"_s;
    QVERIFY(!createFrameSource(config).has_value());

    // a missing file: a Starting -> Offline transition with a reason, and a retry scheduled
    config.source = m_dir.filePath(u"missing.avi"_s);
    auto source = createFrameSource(config);
    QVERIFY(source.has_value());
    QSignalSpy states(source->get(), &FrameSource::stateChanged);
    int retries = 0;
    connect(source->get(), &FrameSource::reconnectScheduled, this, [&] { ++retries; });
    (*source)->start();
    QTRY_COMPARE_WITH_TIMEOUT((*source)->state(), FrameSource::State::Offline, 10000);
    QVERIFY(!(*source)->stateReason().isEmpty());
    QCOMPARE(retries, 1);
}

QTEST_MAIN(tst_MediaPlayerSource)
#include "tst_MediaPlayerSource.moc"
