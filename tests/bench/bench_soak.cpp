// The soak: two garage-guard daemons for MINUTES, one on a looping video file (QMediaPlayer) and one on the MJPEG
// network camera (killed and restarted every 2 minutes), with Prosody, and the owner's phone sending a command every
// 5 s; a person crosses each view every 30 s, so each daemon alerts every 30 s with a picture. Prints, per daemon,
// RSS, open descriptors, threads and storage bytes after the first minute (the warm-up) and at the end, and the growth
// per hour. Figures, not assertions; --check (the short run in the test command) fails only when a daemon died, went
// deaf (commands unanswered, no alerts) or kept descriptors or threads that a reconnect or a command left behind.
//   bench_soak MINUTES [--check]        (inside deploy/env.sh --private-net; tests/bench/soak.sh wraps it)
#include "ClipWriter.h"
#include "GuardProcess.h"
#include "Phone.h"
#include "ProsodyServer.h"
#include "TestUtils.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <opencv2/imgcodecs.hpp>

#include <cstdio>

using namespace garage;
using namespace garage::test;
using namespace Qt::StringLiterals;

namespace {

constexpr quint16 kPort = 25385;
constexpr quint16 kHttps = 25396;
constexpr int kLoopSeconds = 30;
constexpr int kFps = 5;

struct Sample {
    ProcessFootprint process;
    qint64 storageBytes = 0;
};

Sample sample(qint64 pid, const QString &storage)
{
    Sample s{processFootprint(pid), 0};
    QDirIterator it(storage, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        s.storageBytes += it.nextFileInfo().size();
    return s;
}

// A person crossing the view from 10 s to 12 s of every 30 s loop.
void drawCrossing(cv::Mat &frame, int n)
{
    const int start = 10 * kFps, end = 12 * kFps;
    if (n >= start && n < end)
        drawPerson(frame, -60 + (n - start) * 760 / (end - start), 300);
}

struct Daemon {
    QString name;
    QString storage;
    std::unique_ptr<GuardProcess> process;
    Sample warm, last;
    int alerts = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int minutes = args.value(1).toInt();
    const bool check = args.contains(u"--check"_s);
    if (minutes < 1) {
        std::fprintf(stderr, "usage: bench_soak MINUTES [--check]\n");
        return 2;
    }
    QTemporaryDir dir;
    const auto path = [&](const QString &name) { return dir.filePath(name); };

    ProsodyServer::Options options;
    options.c2sPort = kPort;
    options.httpsPort = kHttps;
    options.accounts = {{u"mjpeg"_s, u"soak-mjpeg"_s}, {u"file"_s, u"soak-file"_s}, {u"me"_s, u"soak-phone"_s}};
    ProsodyServer server(options);
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "prosody: %s\n", qPrintable(error));
        return 1;
    }
    Phone phone;
    if (!phone.start(server.jid(u"me"_s), u"soak-phone"_s, server, &error)) {
        std::fprintf(stderr, "phone: %s\n", qPrintable(error));
        return 1;
    }

    // the camera's frames and the same scene as a file
    QDir().mkpath(path(u"frames"_s));
    const cv::Mat background = garageBackground({640, 480});
    for (int n = 0; n < kLoopSeconds * kFps; ++n) {
        cv::Mat frame = background.clone();
        drawCrossing(frame, n);
        cv::imwrite(u"%1/f%2.jpg"_s.arg(path(u"frames"_s)).arg(n, 3, 10, QLatin1Char('0')).toStdString(), frame);
    }
    const QString clip = path(u"crossing.avi"_s);
    writeClip(clip.toStdString(), {{640, 480}, double(kFps), double(kLoopSeconds), [](cv::Mat &f, int n, double) { drawCrossing(f, n); }});
    CameraServer camera(path(u"frames"_s), kFps);
    const quint16 cameraPort = CameraServer::freePort();
    camera.start(cameraPort);

    std::vector<Daemon> daemons;
    for (const auto &[user, password, source] :
         {std::tuple{u"mjpeg"_s, u"soak-mjpeg"_s, camera.url()}, std::tuple{u"file"_s, u"soak-file"_s, clip}}) {
        Daemon d{user, path(u"state-"_s + user), std::make_unique<GuardProcess>(path(user + u".conf"_s)), {}, {}, 0};
        writeFile(path(user + u".conf"_s),
                  GuardProcess::config(server, user, password,
                                       "[camera]\nsource = " + source.toUtf8() + "\nloop = true\n[motion]\nevent_gap = 1\n"
                                       "[alerts]\ncooldown_seconds = 0\nevent_summary = false\ncamera_lost_seconds = 60\n"
                                       "[storage]\ndir = " + d.storage.toUtf8() + "\n"));
        if (!d.process->start(&error)) {
            std::fprintf(stderr, "%s: %s\n", qPrintable(user), qPrintable(error));
            return 1;
        }
        daemons.push_back(std::move(d));
    }

    const QStringList commands{u"status"_s, u"events"_s, u"snapshot"_s, u"help"_s};
    int sent = 0;
    QTimer commandTimer;
    QObject::connect(&commandTimer, &QTimer::timeout, [&] {
        const Daemon &d = daemons[sent % daemons.size()];
        phone.send(server.jid(d.name), commands[(sent / 2) % commands.size()]);
        ++sent;
    });
    commandTimer.start(5000);
    int reconnects = 0;
    QTimer reconnectTimer;
    QObject::connect(&reconnectTimer, &QTimer::timeout, [&] {
        camera.kill();
        QTimer::singleShot(3000, [&] {
            camera.start(cameraPort);
            ++reconnects;
        });
    });
    reconnectTimer.start(120000);

    QElapsedTimer elapsed;
    elapsed.start();
    const qint64 warmUpMs = std::min<qint64>(60000, minutes * 60000 / 4);
    bool warm = false;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        for (Daemon &d : daemons)
            d.last = sample(d.process->pid(), d.storage);
        if (!warm && elapsed.elapsed() >= warmUpMs) {
            warm = true;
            for (Daemon &d : daemons)
                d.warm = d.last;
        }
        if (elapsed.elapsed() >= qint64(minutes) * 60000)
            app.quit();
        for (const Daemon &d : daemons)
            if (!d.process->isRunning())
                app.quit();
    });
    sampler.start(5000);
    std::printf("soak: %d min, 2 daemons (MJPEG camera restarted every 2 min; looping file), a command every 5 s, "
                "a crossing every %d s\n", minutes, kLoopSeconds);
    std::fflush(stdout);
    app.exec();
    commandTimer.stop();
    reconnectTimer.stop();
    // the last command's answer, then the end figures (a snapshot upload may still hold a socket a moment)
    QTest::qWait(6000);
    for (Daemon &d : daemons)
        if (d.process->isRunning())
            d.last = sample(d.process->pid(), d.storage);

    const double hours = double(elapsed.elapsed() - warmUpMs) / 3600000.0;
    int answers = 0;
    for (const PhoneMessage &m : phone.messages()) {
        for (Daemon &d : daemons)
            if (m.from.startsWith(server.jid(d.name)) && m.body.startsWith(u"Motion in the garage"_s))
                ++d.alerts;
        answers += !m.body.startsWith(u"Motion in the garage"_s) && m.oobUrl.isEmpty();
    }
    std::printf("%-6s %9s %9s %10s %5s %5s %7s %7s %10s %10s %9s %7s\n", "daemon", "rss0 KiB", "rss KiB", "KiB/hour",
                "fd0", "fd", "thr0", "thr", "disk0 B", "disk B", "B/hour", "alerts");
    bool ok = true;
    for (const Daemon &d : daemons) {
        std::printf("%-6s %9lld %9lld %10.0f %5d %5d %7d %7d %10lld %10lld %9.0f %7d\n", qPrintable(d.name), d.warm.process.rssKiB,
                    d.last.process.rssKiB, double(d.last.process.rssKiB - d.warm.process.rssKiB) / hours, d.warm.process.descriptors, d.last.process.descriptors,
                    d.warm.process.threads, d.last.process.threads, d.warm.storageBytes, d.last.storageBytes,
                    double(d.last.storageBytes - d.warm.storageBytes) / hours, d.alerts);
        if (!d.process->isRunning()) {
            std::printf("FAIL: %s died:\n%s\n", qPrintable(d.name), d.process->log().right(3000).constData());
            ok = false;
        }
        if (d.alerts < std::max(1, minutes * 60 / kLoopSeconds / 2)) {
            std::printf("FAIL: %s sent %d motion alerts in %d min (a crossing every %d s)\n", qPrintable(d.name), d.alerts,
                        minutes, kLoopSeconds);
            ok = false;
        }
        // what a reconnect or a command leaves behind piles up; a thread pool's worker or an upload's socket in flight
        // comes and goes
        if (d.last.process.descriptors > d.warm.process.descriptors + 3 || d.last.process.threads > d.warm.process.threads + 3) {
            std::printf("FAIL: %s kept descriptors or threads (%d -> %d, %d -> %d)\n", qPrintable(d.name), d.warm.process.descriptors,
                        d.last.process.descriptors, d.warm.process.threads, d.last.process.threads);
            ok = false;
        }
    }
    std::printf("commands sent %d, answered %d; camera reconnects %d\n", sent, answers, reconnects);
    if (answers < sent * 8 / 10) {
        std::printf("FAIL: commands went unanswered\n");
        ok = false;
    }
    for (Daemon &d : daemons)
        d.process->stop();
    return check && !ok ? 1 : 0;
}
