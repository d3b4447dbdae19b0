// A network camera (a local HTTP MJPEG server) that goes away mid-stream and comes back: the source reports it
// lost, retries with growing delays, and streams again by itself.
#include "camera/FrameSource.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <csignal>

using namespace garage;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_FrameSourceReconnect : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void streamLumaMatchesTheCamerasPictures();
    void reducedLumaIsTheDownscaledPicture();
    void lumaScaleKeepsTheAnalysisWidth_data();
    void lumaScaleKeepsTheAnalysisWidth();
    void notAStreamIsReported();
    void serverStopsAndReturns();
    void frozenServerStalls();
    void cleanup();

private:
    bool startServer();
    cv::Mat pictureLuma(int index) const; // the luma of the camera's picture f<index>.jpg
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    QProcess m_server;
};

void tst_FrameSourceReconnect::initTestCase()
{
    QVERIFY(m_dir.isValid());
    for (int i = 0; i < 10; ++i) {
        cv::Mat frame(240, 320, CV_8UC3, cv::Scalar(40, 80, 120));
        cv::circle(frame, cv::Point(30 + i * 25, 120), 20, cv::Scalar(255, 255, 255), cv::FILLED);
        QVERIFY(cv::imwrite(m_dir.filePath(u"f%1.jpg"_s.arg(i, 2, 10, QLatin1Char('0'))).toStdString(), frame));
    }
    QTcpServer probe; // a free port for this run
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    m_port = probe.serverPort();
}

cv::Mat tst_FrameSourceReconnect::pictureLuma(int index) const
{
    const cv::Mat bgr = cv::imread(m_dir.filePath(u"f%1.jpg"_s.arg(index, 2, 10, QLatin1Char('0'))).toStdString());
    cv::Mat grey;
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    return grey;
}

bool tst_FrameSourceReconnect::startServer()
{
    m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_server.start(u"python3"_s, {QStringLiteral(GARAGE_SOURCE_DIR "/tests/camera/mjpeg_server.py"),
                                  QString::number(m_port), m_dir.path(), u"15"_s});
    if (!m_server.waitForStarted(5000))
        return false;
    return QTest::qWaitFor([&] { return m_server.readAllStandardOutput().contains("ready"); }, 10000)
           || m_server.state() == QProcess::Running;
}

void tst_FrameSourceReconnect::cleanup()
{
    if (m_server.state() != QProcess::NotRunning) {
        m_server.kill();
        m_server.waitForFinished(5000);
    }
}

// The camera's JPEGs arrive as grey frames equal to the pictures' luma, in order, with growing timestamps; a snapshot
// is the camera's own picture at full size.
void tst_FrameSourceReconnect::streamLumaMatchesTheCamerasPictures()
{
    QVERIFY(startServer());
    std::vector<cv::Mat> references;
    for (int i = 0; i < 10; ++i)
        references.push_back(pictureLuma(i));
    CameraConfig config;
    config.source = u"http://127.0.0.1:%1/stream.mjpg"_s.arg(m_port);
    config.analysisFps = 100; // every frame
    auto created = createFrameSource(config);
    QVERIFY(created.has_value());
    FrameSource &source = **created;
    std::vector<std::chrono::milliseconds> times;
    std::vector<int> matched; // which reference each frame equals
    connect(&source, &FrameSource::frameReady, this, [&](const LumaFrame &f) {
        times.push_back(f.timestamp);
        int best = -1;
        double bestDiff = 1e9;
        for (int i = 0; i < int(references.size()); ++i) {
            if (f.grey.size() != references[std::size_t(i)].size())
                continue;
            const double diff = cv::norm(f.grey, references[std::size_t(i)], cv::NORM_L1) / double(f.grey.total());
            if (diff < bestDiff) {
                bestDiff = diff;
                best = i;
            }
        }
        matched.push_back(bestDiff < 2.0 ? best : -1); // within rounding of the colour conversion
    });
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(times.size() >= 15, 15000);
    source.stop();
    QCOMPARE(source.frameSize(), QSize(320, 240));
    for (std::size_t i = 1; i < times.size(); ++i) {
        QVERIFY(times[i] > times[i - 1]);
        QVERIFY2(matched[i] >= 0, "a frame equals none of the camera's pictures");
        QCOMPARE(matched[i], (matched[i - 1] + 1) % 10); // the server cycles through them in order
    }
    const auto jpeg = source.snapshot().result();
    QVERIFY(jpeg.has_value());
    const cv::Mat decoded = cv::imdecode(std::vector<uchar>(jpeg->begin(), jpeg->end()), cv::IMREAD_COLOR);
    QCOMPARE(decoded.cols, 320);
    QCOMPARE(decoded.rows, 240);
}

// With a luma width to keep (the analysis width), JPEGs are decoded at a reduced scale: the grey frame is the
// picture's luma downscaled, it says by how much, and the snapshot is still the camera's picture at full size.
void tst_FrameSourceReconnect::reducedLumaIsTheDownscaledPicture()
{
    QVERIFY(startServer());
    std::vector<cv::Mat> references;
    for (int i = 0; i < 10; ++i) {
        cv::Mat small;
        cv::resize(pictureLuma(i), small, cv::Size(160, 120), 0, 0, cv::INTER_AREA);
        references.push_back(small);
    }
    CameraConfig config;
    config.source = u"http://127.0.0.1:%1/stream.mjpg"_s.arg(m_port);
    config.analysisFps = 100;
    config.lumaWidth = 160;
    auto created = createFrameSource(config);
    QVERIFY(created.has_value());
    FrameSource &source = **created;
    int frames = 0, wrong = 0;
    cv::Rect circleOnFrame; // where the first frame's white circle lies on the full-size picture
    connect(&source, &FrameSource::frameReady, this, [&](const LumaFrame &f) {
        if (frames++ == 0) {
            cv::Mat white;
            cv::threshold(f.grey, white, 200, 255, cv::THRESH_BINARY);
            circleOnFrame = f.toFrame(cv::boundingRect(white));
        }
        double best = 1e9;
        if (f.scale == 2 && f.grey.cols == 160 && f.grey.rows == 120)
            for (const cv::Mat &reference : references)
                best = std::min(best, cv::norm(f.grey, reference, cv::NORM_L1) / double(f.grey.total()));
        wrong += best < 3.0 ? 0 : 1; // libjpeg's scaled inverse DCT is close to an area average
    });
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(frames >= 10, 15000);
    source.stop();
    QCOMPARE(wrong, 0);
    // the circle (radius 20 at y 120 of the 320x240 picture) found on the reduced luma, put back on the picture
    QVERIFY2(std::abs(circleOnFrame.y - 100) <= 4 && std::abs(circleOnFrame.height - 40) <= 6,
             qPrintable(u"%1,%2 %3x%4"_s.arg(circleOnFrame.x).arg(circleOnFrame.y).arg(circleOnFrame.width).arg(circleOnFrame.height)));
    QVERIFY(std::abs(circleOnFrame.width - 40) <= 6);
    QCOMPARE(source.frameSize(), QSize(320, 240));
    const auto jpeg = source.snapshot().result();
    QVERIFY(jpeg.has_value());
    QCOMPARE(cv::imdecode(std::vector<uchar>(jpeg->begin(), jpeg->end()), cv::IMREAD_COLOR).cols, 320);
}

void tst_FrameSourceReconnect::lumaScaleKeepsTheAnalysisWidth_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("lumaWidth");
    QTest::addColumn<int>("scale");
    QTest::newRow("full size asked") << 1920 << 0 << 1;
    QTest::newRow("640 for 320") << 640 << 320 << 2;
    QTest::newRow("768 for 320") << 768 << 320 << 2;
    QTest::newRow("1280 for 320") << 1280 << 320 << 4;
    QTest::newRow("1920 for 320") << 1920 << 320 << 4;
    QTest::newRow("2560 for 320") << 2560 << 320 << 8;
    QTest::newRow("4096 for 320, at most 1/8") << 4096 << 320 << 8;
    QTest::newRow("smaller than asked") << 240 << 320 << 1;
    QTest::newRow("just too small to halve") << 639 << 320 << 1;
}

void tst_FrameSourceReconnect::lumaScaleKeepsTheAnalysisWidth()
{
    QFETCH(int, width);
    QFETCH(int, lumaWidth);
    QFETCH(int, scale);
    QCOMPARE(jpegLumaScale(width, lumaWidth), scale);
}

// A URL that serves something else than an MJPEG stream: Offline with a reason that says so, and retried.
void tst_FrameSourceReconnect::notAStreamIsReported()
{
    QVERIFY(startServer());
    CameraConfig config;
    config.source = u"http://127.0.0.1:%1/missing"_s.arg(m_port);
    auto created = createFrameSource(config);
    QVERIFY(created.has_value());
    FrameSource &source = **created;
    QSignalSpy retries(&source, &FrameSource::reconnectScheduled);
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(retries.size() >= 1, 10000);
    QCOMPARE(source.state(), FrameSource::State::Offline);
    QVERIFY2(source.stateReason().contains(u"404"_s), qPrintable(source.stateReason()));
    source.stop();
}

void tst_FrameSourceReconnect::serverStopsAndReturns()
{
    QVERIFY(startServer());
    CameraConfig config;
    config.source = u"http://127.0.0.1:%1/stream.mjpg"_s.arg(m_port);
    config.analysisFps = 10;
    config.stallTimeout = 2s;
    auto created = createFrameSource(config);
    QVERIFY2(created.has_value(), qPrintable(created ? QString() : created.error()));
    FrameSource &source = **created;
    QList<FrameSource::State> states;
    connect(&source, &FrameSource::stateChanged, this, [&](FrameSource::State s) { states << s; });
    QElapsedTimer clock;
    clock.start();
    QList<std::pair<qint64, std::chrono::milliseconds>> retries; // when scheduled, delay
    connect(&source, &FrameSource::reconnectScheduled, this,
            [&](std::chrono::milliseconds delay) { retries.append({clock.elapsed(), delay}); });
    int frames = 0;
    connect(&source, &FrameSource::frameReady, this, [&](const LumaFrame &f) {
        ++frames;
        QCOMPARE(f.grey.cols, 320);
    });

    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(source.state(), FrameSource::State::Streaming, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(frames >= 5, 5000);

    // the camera vanishes mid-stream
    m_server.kill();
    QVERIFY(m_server.waitForFinished(5000));
    QTRY_VERIFY_WITH_TIMEOUT(source.state() == FrameSource::State::Stalled
                                 || source.state() == FrameSource::State::Offline, 15000);
    QVERIFY(!source.stateReason().isEmpty());
    // retries keep failing while it is away, each delay about twice the one before
    QTRY_VERIFY_WITH_TIMEOUT(retries.size() >= 3, 30000);
    for (qsizetype i = 1; i < retries.size(); ++i) {
        const auto ratio = double(retries[i].second.count()) / double(retries[i - 1].second.count());
        QVERIFY2(ratio > 1.3 && ratio < 3.0, qPrintable(u"delay %1 ms after %2 ms"_s.arg(retries[i].second.count())
                                                           .arg(retries[i - 1].second.count())));
        // and the attempts really are spaced by those delays
        QVERIFY(retries[i].first - retries[i - 1].first >= retries[i - 1].second.count() - 50);
    }

    // it comes back: streaming again without anyone restarting the source
    const int before = frames;
    QVERIFY(startServer());
    QTRY_COMPARE_WITH_TIMEOUT(source.state(), FrameSource::State::Streaming, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(frames >= before + 5, 10000);
    QVERIFY(states.contains(FrameSource::State::Offline) || states.contains(FrameSource::State::Stalled));
    QCOMPARE(states.last(), FrameSource::State::Streaming);
    source.stop();
    QCOMPARE(source.state(), FrameSource::State::Offline);
}

// A camera that keeps the connection open but stops sending (a hung Wi-Fi camera): Stalled after stall_seconds,
// then back to Streaming when it resumes.
void tst_FrameSourceReconnect::frozenServerStalls()
{
    QVERIFY(startServer());
    CameraConfig config;
    config.source = u"http://127.0.0.1:%1/stream.mjpg"_s.arg(m_port);
    config.stallTimeout = 1s;
    auto created = createFrameSource(config);
    QVERIFY(created.has_value());
    FrameSource &source = **created;
    int retries = 0;
    connect(&source, &FrameSource::reconnectScheduled, this, [&] { ++retries; });
    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(source.state(), FrameSource::State::Streaming, 15000);
    QElapsedTimer frozenFor;
    ::kill(pid_t(m_server.processId()), SIGSTOP);
    frozenFor.start();
    QTRY_COMPARE_WITH_TIMEOUT(source.state(), FrameSource::State::Stalled, 10000);
    QVERIFY2(frozenFor.elapsed() >= 900, "not before stall_seconds");
    QVERIFY2(source.stateReason().contains(u"no frame"_s), qPrintable(source.stateReason()));
    // a reconnect to the hung server hangs too: it also times out and the old connection is dropped without blocking
    QTRY_VERIFY_WITH_TIMEOUT(retries >= 2, 15000);
    ::kill(pid_t(m_server.processId()), SIGCONT);
    QTRY_COMPARE_WITH_TIMEOUT(source.state(), FrameSource::State::Streaming, 30000);
    source.stop();
}

QTEST_MAIN(tst_FrameSourceReconnect)
#include "tst_FrameSourceReconnect.moc"
