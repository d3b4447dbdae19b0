// The camera layer's cost: a 640x480 MJPEG clip at 15 fps, looped, decoded by Qt Multimedia (ffmpeg) and handed over
// as luma, in real time for N seconds. Prints CPU per delivered frame (decode + luma + Qt), whole-process CPU %, and
// resident memory at the start and the end (it should stay flat). Asserts nothing.
//   bench_camera [SECONDS=60] [ANALYSIS_FPS=15]
#include "ClipWriter.h"
#include "camera/FrameSource.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <sys/resource.h>

using namespace garage;

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long rssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 60;
    const int analysisFps = argc > 2 ? std::atoi(argv[2]) : 15;
    QTemporaryDir dir;
    const QString clip = dir.filePath(QStringLiteral("bench.avi"));
    test::writeClip(clip.toStdString(), {{640, 480}, 15, 10, [](cv::Mat &f, int n, double) {
                        test::drawPerson(f, 20 + (n * 7) % 600, 240);
                    }});
    CameraConfig config;
    config.source = clip;
    config.loop = true;
    config.fps = 15;
    config.analysisFps = analysisFps;
    auto source = createFrameSource(config);
    if (!source) {
        std::fprintf(stderr, "bench_camera: %s\n", qPrintable(source.error()));
        return 1;
    }
    long frames = 0, warmupFrames = 0;
    double lumaSum = 0;
    QObject::connect(source->get(), &FrameSource::frameReady, [&](const LumaFrame &f) {
        ++frames;
        lumaSum += f.grey.at<uchar>(f.grey.rows / 2, f.grey.cols / 2); // touch the pixels like an analysis would
    });
    double cpu0 = 0;
    long rss0 = 0;
    QElapsedTimer wall;
    QTimer::singleShot(3000, [&] { // after a warm-up
        cpu0 = cpuSeconds();
        rss0 = rssKiB();
        warmupFrames = frames;
        wall.start();
    });
    QTimer::singleShot(3000 + seconds * 1000, [&] {
        const double cpu = cpuSeconds() - cpu0;
        const long n = frames - warmupFrames;
        std::printf("640x480 MJPEG at 15 fps, analysis_fps %d, %d s: %ld frames delivered (%.1f fps)\n", analysisFps,
                    seconds, n, n * 1000.0 / wall.elapsed());
        std::printf("  whole process: %.3f CPU s = %.2f ms per delivered frame, %.1f %% of one core\n", cpu,
                    n ? 1000.0 * cpu / double(n) : 0.0, 100.0 * cpu / (wall.elapsed() / 1000.0));
        std::printf("  RSS: %ld KiB after warm-up, %ld KiB at the end (%+ld KiB)\n", rss0, rssKiB(), rssKiB() - rss0);
        QCoreApplication::quit();
    });
    (*source)->start();
    const int rc = QGuiApplication::exec();
    (*source)->stop();
    return rc + (lumaSum < 0);
}
