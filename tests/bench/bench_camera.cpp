// Prints the cost of decode + luma per 640x480 MJPEG frame through FrameSource, for the two paths MJPEG takes:
// a network camera (http:// multipart stream, served by tests/camera/mjpeg_server.py in its own process; read by
// MjpegHttpSource, decoded to grey only) and an MJPEG AVI file (QMediaPlayer, ffmpeg). For each: flat out, at a
// real-time 15 fps (whole-process CPU %), and RSS over many analysed frames. Goal: <= 1.5 ms/frame.
//   deploy/env.sh --private-net build/release/bin/bench_camera [frames=10000] [realtime]
#include "camera/FrameSource.h"
#include "camera/LumaExtractor.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QMediaPlayer>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QEventLoop>
#include <QTimer>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <sys/resource.h>

using namespace garage;
using namespace std::chrono_literals;

namespace {

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long rssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').front().toLong();
    return -1;
}

// The same frames as an MJPEG AVI and as numbered JPEG files (what the HTTP camera serves).
bool writeClip(const QString &path, const QString &jpegDir, int frames)
{
    cv::VideoWriter writer(path.toStdString(), cv::CAP_FFMPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15,
                           cv::Size(640, 480));
    if (!writer.isOpened())
        return false;
    cv::Mat bgr(480, 640, CV_8UC3);
    for (int i = 0; i < frames; ++i) {
        cv::randu(bgr, 0, 40); // sensor-like noise over a scene: a realistic JPEG size
        cv::rectangle(bgr, cv::Rect(50 + i % 400, 100, 120, 200), cv::Scalar(200, 180, 160), cv::FILLED);
        cv::putText(bgr, std::to_string(i), cv::Point(20, 460), cv::FONT_HERSHEY_SIMPLEX, 1.5, cv::Scalar(255, 255, 255), 3);
        writer.write(bgr);
        // quality 85, a usual camera setting: about the AVI's size per frame
        if (!cv::imwrite(QStringLiteral("%1/f%2.jpg").arg(jpegDir).arg(i, 4, 10, QLatin1Char('0')).toStdString(), bgr,
                         {cv::IMWRITE_JPEG_QUALITY, 85}))
            return false;
    }
    return true;
}

// A local MJPEG camera serving `dir` at `fps`; nullptr when it does not start.
std::unique_ptr<QProcess> startCamera(const QString &dir, double fps, quint16 *port)
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return nullptr;
    *port = probe.serverPort();
    probe.close();
    auto server = std::make_unique<QProcess>();
    server->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server->start(QStringLiteral("python3"), {QStringLiteral(GARAGE_SOURCE_DIR "/tests/camera/mjpeg_server.py"),
                                              QString::number(*port), dir, QString::number(fps)});
    if (!server->waitForStarted(5000) || !server->waitForReadyRead(10000))
        return nullptr;
    return server;
}

struct Run {
    std::int64_t frames = 0;
    double wallS = 0;
    double cpuS = 0;
};

// Plays the clip through FrameSource until `frames` frames were analysed or `duration` passed.
Run run(const QString &clip, double rate, int analysisFps, std::int64_t frames, std::chrono::milliseconds duration,
        bool printRss)
{
    CameraConfig config;
    config.source = clip;
    config.loop = true;
    config.analysisFps = analysisFps;
    auto source = createFrameSource(config);
    if (!source) {
        std::fprintf(stderr, "%s\n", qPrintable(source.error()));
        return {};
    }
    Run r;
    double cpu0 = 0;
    QElapsedTimer wall;
    std::int64_t sink = 0;
    QObject::connect(source->get(), &FrameSource::frameReady, [&](const LumaFrame &f) {
        if (r.frames == 0) { // start counting at the first frame: opening the file is not per-frame cost
            cpu0 = cpuSeconds();
            wall.start();
        }
        sink += f.grey.at<uchar>(240, 320); // touch the luma as analysis would
        ++r.frames;
        if (printRss && r.frames % 1000 == 0)
            std::printf("    after %6lld frames: RSS %ld KiB\n", static_cast<long long>(r.frames), rssKiB());
    });
    (*source)->start();
    if (auto *player = (*source)->findChild<QMediaPlayer *>())
        player->setPlaybackRate(rate);
    QEventLoop loop;
    QTimer::singleShot(duration, &loop, &QEventLoop::quit);
    QObject::connect(source->get(), &FrameSource::frameReady, &loop, [&] {
        if (r.frames >= frames)
            loop.quit();
    });
    loop.exec();
    r.cpuS = cpuSeconds() - cpu0;
    r.wallS = double(wall.elapsed()) / 1000.0;
    (*source)->stop();
    if (sink == -1)
        std::printf("unreachable\n");
    return r;
}

void lumaOnly(const QString &clip)
{
    // the luma step alone on a decoded YUV420P frame (zero copy) and a packed YUYV one (one pass), per frame
    std::vector<unsigned char> yuv(640 * 480 * 2, 128);
    const PlaneView planes[] = {{yuv.data(), 640, 640 * 480}, {yuv.data(), 1280, yuv.size()}};
    cv::Mat scratch;
    for (const auto &[name, format, plane] :
         {std::tuple{"YUV420P (wrap)", QVideoFrameFormat::Format_YUV420P, 0}, {"YUYV (extract)", QVideoFrameFormat::Format_YUYV, 1}}) {
        QElapsedTimer t;
        t.start();
        constexpr int kN = 2000;
        for (int i = 0; i < kN; ++i)
            (void)extractLuma(format, 640, 480, std::span(&planes[plane], 1), scratch);
        std::printf("  luma only, %-15s: %.4f ms/frame\n", name, double(t.nsecsElapsed()) / 1e6 / kN);
    }
    // the decoder floor for comparison: OpenCV's own ffmpeg decode of the same clip, and libjpeg luma-only decode
    cv::VideoCapture capture(clip.toStdString(), cv::CAP_FFMPEG);
    cv::Mat frame;
    QElapsedTimer t;
    t.start();
    int n = 0;
    std::vector<uchar> jpeg;
    while (capture.read(frame)) {
        ++n;
        if (n == 1)
            cv::imencode(".jpg", frame, jpeg, {cv::IMWRITE_JPEG_QUALITY, 75});
    }
    std::printf("  baseline cv::VideoCapture decode to BGR: %.3f ms/frame (%d frames)\n", double(t.nsecsElapsed()) / 1e6 / n, n);
    t.restart();
    for (int i = 0; i < 300; ++i)
        (void)cv::imdecode(jpeg, cv::IMREAD_GRAYSCALE);
    std::printf("  baseline libjpeg grey-only decode (%zu KiB JPEG): %.3f ms/frame\n", jpeg.size() / 1024,
                double(t.nsecsElapsed()) / 1e6 / 300);
}

} // namespace

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    const std::int64_t total = argc > 1 ? std::atoll(argv[1]) : 10000;
    QTemporaryDir dir;
    const QString clip = dir.filePath(QStringLiteral("bench640.avi"));
    const QString jpegs = dir.filePath(QStringLiteral("jpeg"));
    QDir().mkpath(jpegs);
    if (!writeClip(clip, jpegs, 300)) {
        std::fprintf(stderr, "cannot write the clip\n");
        return 1;
    }
    std::printf("bench_camera: 640x480 MJPEG, 300 frames (%lld KiB as AVI) -> FrameSource -> luma\n",
                static_cast<long long>(QFile(clip).size() / 1024));
    lumaOnly(clip);

    const bool onlyRealTime = argc > 2 && QByteArray(argv[2]) == "realtime";
    {
        std::printf("HTTP MJPEG camera (MjpegHttpSource: multipart reader, JPEG decoded to grey only), %lld KiB per "
                    "frame:\n", static_cast<long long>(QFile(jpegs + QStringLiteral("/f0000.jpg")).size() / 1024));
        quint16 port = 0;
        auto fast = startCamera(jpegs, 1000.0, &port);
        if (!fast) {
            std::fprintf(stderr, "cannot start tests/camera/mjpeg_server.py\n");
            return 1;
        }
        const QString url = QStringLiteral("http://127.0.0.1:%1/stream.mjpg").arg(port);
        if (!onlyRealTime) {
            const Run r = run(url, 1.0, 1000, 3000, 120s, false);
            std::printf("  flat out (every frame analysed): %lld frames in %.2f s = %.1f fps; CPU %.3f ms/frame (whole "
                        "process, server excluded)\n",
                        static_cast<long long>(r.frames), r.wallS, double(r.frames) / r.wallS,
                        r.cpuS * 1000.0 / double(r.frames));
            std::printf("  RSS over %lld analysed frames (flat out), start %ld KiB:\n", static_cast<long long>(total), rssKiB());
            const Run mem = run(url, 1.0, 1000, total, 600s, true);
            std::printf("  RSS end %ld KiB after %lld frames (%.3f ms CPU/frame)\n", rssKiB(),
                        static_cast<long long>(mem.frames), mem.cpuS * 1000.0 / double(std::max<std::int64_t>(1, mem.frames)));
        }
        fast->kill();
        fast->waitForFinished();
        auto realTime = startCamera(jpegs, 15.0, &port);
        const Run rt = run(QStringLiteral("http://127.0.0.1:%1/stream.mjpg").arg(port), 1.0, 10, 1 << 30, 20s, false);
        std::printf("  real time 15 fps stream, analysis 10 fps: %.1f s, %lld frames analysed, whole-process CPU %.1f %% "
                    "of one core = %.3f ms per received frame\n",
                    rt.wallS, static_cast<long long>(rt.frames), 100.0 * rt.cpuS / rt.wallS, rt.cpuS * 1000.0 / (rt.wallS * 15.0));
        realTime->kill();
        realTime->waitForFinished();
    }
    std::printf("MJPEG AVI file (MediaPlayerSource: QMediaPlayer, ffmpeg decode, luma from the frame), %lld KiB per "
                "frame:\n", static_cast<long long>(QFile(clip).size() / 1024 / 300));
    const Run flat = onlyRealTime ? Run{1, 1, 0} : run(clip, 16.0, 1000, 1500, 120s, false);
    if (!onlyRealTime)
        std::printf("  flat out (rate 16x, every frame analysed): %lld frames in %.2f s = %.1f fps; CPU %.3f ms/frame "
                "(whole process), wall %.3f ms/frame\n",
                static_cast<long long>(flat.frames), flat.wallS, double(flat.frames) / flat.wallS,
                flat.cpuS * 1000.0 / double(flat.frames), flat.wallS * 1000.0 / double(flat.frames));

    const Run rt = run(clip, 1.0, 10, 1 << 30, 20s, false);
    const double decoded = rt.wallS * 15.0;
    std::printf("  real time 15 fps stream, analysis 10 fps: %.1f s, %lld frames analysed, whole-process CPU %.1f %% "
                "of one core = %.3f ms per decoded frame\n",
                rt.wallS, static_cast<long long>(rt.frames), 100.0 * rt.cpuS / rt.wallS, rt.cpuS * 1000.0 / decoded);

    if (onlyRealTime)
        return 0;
    std::printf("  RSS over %lld analysed frames (flat out), start %ld KiB:\n", static_cast<long long>(total), rssKiB());
    const Run mem = run(clip, 16.0, 1000, total, 600s, true);
    std::printf("  RSS end %ld KiB after %lld frames (%.3f ms CPU/frame)\n", rssKiB(),
                static_cast<long long>(mem.frames), mem.cpuS * 1000.0 / double(std::max<std::int64_t>(1, mem.frames)));
    return 0;
}
