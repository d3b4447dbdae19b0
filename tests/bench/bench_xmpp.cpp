// Latency on loopback through a real Prosody to a real slixmpp phone: alert() until the phone has the message, and
// the `snapshot` command until the phone has downloaded the JPEG (upload, OOB message, HTTPS download). Prints the
// median and p95 over N runs; asserts nothing. Run inside `deploy/env.sh --private-net`.
#include "Phone.h"
#include "ProsodyServer.h"
#include "xmpp/XmppLink.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstdio>

using namespace garage;
using namespace garage::test;

namespace {

void report(const char *what, std::vector<double> ms)
{
    if (ms.empty()) {
        std::printf("%s: no samples\n", what);
        return;
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%s: median %.1f ms, p95 %.1f ms, max %.1f ms over %zu runs\n", what, ms[ms.size() / 2],
                ms[std::min(ms.size() - 1, ms.size() * 95 / 100)], ms.back(), ms.size());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::atoi(argv[1]) : 100;
    ProsodyServer::Options options;
    options.c2sPort = 35222;
    options.httpsPort = 35281;
    options.accounts = {{QStringLiteral("home"), QStringLiteral("a")}, {QStringLiteral("me"), QStringLiteral("p")}};
    ProsodyServer server(options);
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "bench_xmpp: %s\n", qPrintable(error));
        return 1;
    }
    QTemporaryDir storage;
    XmppConfig config;
    config.jid = server.jid(QStringLiteral("home"));
    config.password = QStringLiteral("a");
    config.host = QStringLiteral("127.0.0.1");
    config.port = server.port();
    config.caFile = server.caFile();
    config.owners = {server.jid(QStringLiteral("me"))};
    config.commandsPerMinute = 100000;
    XmppLink link(config, storage.path());
    cv::Mat frame(480, 640, CV_8UC3);
    cv::randu(frame, 0, 255);
    std::vector<uchar> encoded;
    cv::imencode(".jpg", frame, encoded, {cv::IMWRITE_JPEG_QUALITY, 80});
    const QByteArray jpeg(reinterpret_cast<const char *>(encoded.data()), qsizetype(encoded.size()));
    link.commands().add(QStringLiteral("snapshot"), {}, QStringLiteral("picture"),
                        [jpeg](const CommandRequest &, const Replier &reply) { reply.image(jpeg, QStringLiteral("snap")); });
    link.start();
    Phone phone;
    if (!phone.start(server.jid(QStringLiteral("me")), QStringLiteral("p"), server, &error)) {
        std::fprintf(stderr, "bench_xmpp: %s\n", qPrintable(error));
        return 1;
    }
    QElapsedTimer wait;
    wait.start();
    while (!link.isConnected() && wait.elapsed() < 15000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    phone.waitFor([](const PhoneMessage &) { return false; }, 1000); // upload service discovery

    std::vector<double> alertMs, snapshotMs;
    for (int i = 0; i < runs; ++i) {
        const QString text = QStringLiteral("bench alert %1").arg(i);
        QElapsedTimer t;
        t.start();
        link.alert(text);
        if (phone.waitFor([&text](const PhoneMessage &m) { return m.body == text; }, 5000))
            alertMs.push_back(t.nsecsElapsed() / 1e6);
    }
    for (int i = 0; i < runs; ++i) {
        int picturesBefore = 0;
        for (const PhoneMessage &m : phone.messages())
            picturesBefore += !m.oobUrl.isEmpty();
        QElapsedTimer t;
        t.start();
        phone.send(server.jid(QStringLiteral("home")), QStringLiteral("snapshot"));
        int seen = 0; // waitFor scans the messages from the first: the new picture is the one past those seen before
        const auto url = phone.waitFor([&seen, picturesBefore](const PhoneMessage &m) {
            return !m.oobUrl.isEmpty() && ++seen > picturesBefore;
        }, 10000);
        if (url && phone.download(url->oobUrl))
            snapshotMs.push_back(t.nsecsElapsed() / 1e6);
    }
    std::printf("loopback, Prosody 13 with TLS, slixmpp phone, %lld-byte 640x480 JPEG:\n", static_cast<long long>(jpeg.size()));
    report("alert() -> message on the phone", alertMs);
    report("'snapshot' sent -> JPEG downloaded by the phone", snapshotMs);
    return 0;
}
