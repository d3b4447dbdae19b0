// Alerts that must come exactly once, and alerts that must not come, end to end with the real garage-guard, Prosody
// and the slixmpp phone: a network camera (tests/camera/mjpeg_server.py) that goes away and returns (one "lost", one
// "back") or only hiccups (nothing), and motion without a person under persons_only (recorded, not alerted).
#include "ClipWriter.h"
#include "Phone.h"
#include "ProsodyServer.h"
#include "TestUtils.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <csignal>

using namespace garage;
using namespace garage::test;

namespace {

constexpr int kCameraLostSeconds = 8; // the grace in this test's config (30 s by default)

bool isMotionAlert(const PhoneMessage &m)
{
    return m.body.startsWith(QLatin1String("Motion in the garage at"));
}

bool isCameraLost(const PhoneMessage &m)
{
    return m.body.startsWith(QLatin1String("Camera lost"));
}

bool isCameraBack(const PhoneMessage &m)
{
    return m.body.startsWith(QLatin1String("Camera back"));
}

} // namespace

class TestEndToEndAlerts : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<ProsodyServer> m_server;
    Phone m_phone;
    QProcess m_guard;
    QByteArray m_log;
    QString m_bare;
    QProcess m_camera; // the MJPEG network camera
    quint16 m_cameraPort = 0;

    // A config for this case: the xmpp section for the test server, then `sections` (camera, motion, alerts, ...).
    void writeConfig(const QString &storage, const QByteArray &sections)
    {
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("gg.conf")),
                          "[xmpp]\njid = " + m_bare.toUtf8() + "\npassword = e2e-appliance\nhost = 127.0.0.1\nport = 25322\n"
                          "ca_file = " + m_server->caFile().toUtf8() + "\nowners = me@garage.test\ncommands_per_minute = 120\n"
                          "[storage]\ndir = " + m_dir.filePath(storage).toUtf8() + "\n" + sections));
    }

    void startGuard()
    {
        m_log.clear();
        m_guard.start(toolPath(QStringLiteral("garage-guard")), {QStringLiteral("--config"), m_dir.filePath(QStringLiteral("gg.conf"))});
        QVERIFY(m_guard.waitForStarted());
        // a command sent before it is online would be stored offline and, delayed, rightly ignored
        QTRY_VERIFY2_WITH_TIMEOUT(m_log.contains("online: presence sent"), m_log.constData(), 15000);
    }

    void stopGuard()
    {
        if (m_guard.state() == QProcess::NotRunning)
            return;
        ::kill(pid_t(m_guard.processId()), SIGTERM);
        if (!m_guard.waitForFinished(5000)) {
            m_guard.kill();
            m_guard.waitForFinished();
        }
    }

    bool startCamera()
    {
        m_camera.start(QStringLiteral("python3"), {QStringLiteral(GARAGE_SOURCE_DIR "/tests/camera/mjpeg_server.py"),
                                                   QString::number(m_cameraPort), m_dir.filePath(QStringLiteral("frames")),
                                                   QStringLiteral("10")});
        if (!m_camera.waitForStarted(5000))
            return false;
        return QTest::qWaitFor([&] { return m_camera.readAllStandardOutput().contains("ready"); }, 10000);
    }

    // The reply to `command` that starts with one of `expected` (older replies do not count).
    std::optional<PhoneMessage> ask(const QString &command, const QStringList &expected, int timeoutMs = 10000)
    {
        const QDateTime sent = QDateTime::currentDateTimeUtc();
        m_phone.send(m_bare, command);
        return m_phone.waitFor([&](const PhoneMessage &m) {
            return m.received >= sent && std::any_of(expected.begin(), expected.end(), [&](const QString &e) { return m.body.startsWith(e); });
        }, timeoutMs);
    }

    // What `status` says about the camera ("streaming, 10.0 fps", "stalled (no frame for 1 s)", ...).
    QString cameraStatus()
    {
        const auto status = ask(QStringLiteral("status"), {QStringLiteral("garage: ")});
        if (!status)
            return QStringLiteral("(no status reply)");
        for (const QString &line : status->body.split(QLatin1Char('\n')))
            if (line.startsWith(QLatin1String("camera: ")))
                return line.mid(8);
        return QStringLiteral("(no camera line)");
    }

    bool waitForCamera(const std::function<bool(const QString &)> &match, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (match(cameraStatus()))
                return true;
            QTest::qWait(500);
        }
        return false;
    }

    // The `events` reply, asked until one of its lines matches (or timeoutMs passed).
    std::optional<QString> waitForEventLine(const std::function<bool(const QString &)> &match, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (const auto events = ask(QStringLiteral("events"), {QStringLiteral("Last events"), QStringLiteral("No events")}))
                for (const QString &line : events->body.split(QLatin1Char('\n')))
                    if (match(line))
                        return line;
            QTest::qWait(1000);
        }
        return std::nullopt;
    }

private Q_SLOTS:
    void initTestCase()
    {
        ProsodyServer::Options options;
        options.c2sPort = 25322;
        options.httpsPort = 25381;
        options.accounts = {{QStringLiteral("home"), QStringLiteral("e2e-appliance")}, {QStringLiteral("me"), QStringLiteral("e2e-phone")}};
        m_server = std::make_unique<ProsodyServer>(options);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_bare = m_server->jid(QStringLiteral("home"));
        connect(&m_guard, &QProcess::readyReadStandardError, this, [this] { m_log += m_guard.readAllStandardError(); });
        QVERIFY2(m_phone.start(m_server->jid(QStringLiteral("me")), QStringLiteral("e2e-phone"), *m_server, &error), qPrintable(error));

        // the network camera's frames: a still garage (nothing moves, so no motion alerts get in the way)
        const cv::Mat still = garageBackground({640, 480});
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("frames"))));
        for (int i = 0; i < 2; ++i)
            QVERIFY(cv::imwrite(m_dir.filePath(QStringLiteral("frames/f%1.jpg").arg(i)).toStdString(), still));
        QTcpServer probe; // a free port for this run
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        m_cameraPort = probe.serverPort();

        // 6 s clips, looped: something that is not a person (a box on a trolley) crosses from 1 s to 3 s, or rolls
        // past in half a second (an event that ends before its alert picture is chosen)
        for (const auto &[name, seconds] : {std::pair{"box.avi", 2.0}, std::pair{"quick-box.avi", 0.5}}) {
            const double crossing = seconds;
            QVERIFY(writeClip(m_dir.filePath(QLatin1String(name)).toStdString(), {{640, 480}, 10, 6, [crossing](cv::Mat &f, int, double t) {
                                  if (t >= 1.0 && t <= 1.0 + crossing)
                                      cv::rectangle(f, cv::Rect(int(-200 + 840 * (t - 1.0) / crossing), 300, 200, 90),
                                                    cv::Scalar(235, 235, 235), cv::FILLED);
                              }}));
        }
    }

    void init()
    {
        m_phone.clear();
    }

    void cleanup()
    {
        stopGuard();
        if (m_camera.state() != QProcess::NotRunning) {
            ::kill(pid_t(m_camera.processId()), SIGCONT); // in case a failed check left it frozen
            m_camera.kill();
            m_camera.waitForFinished(5000);
        }
    }

    void cameraLostAndBackOnceEachWay()
    {
        writeConfig(QStringLiteral("state-camera"),
                    "[camera]\nsource = http://127.0.0.1:" + QByteArray::number(m_cameraPort) + "/stream.mjpg\n"
                    "stall_seconds = 1\n[alerts]\ncamera_lost_seconds = " + QByteArray::number(kCameraLostSeconds) + "\n");
        QVERIFY(startCamera());
        startGuard();
        if (QTest::currentTestFailed())
            return;
        const auto streaming = [](const QString &s) { return s.startsWith(QLatin1String("streaming")); };
        QVERIFY2(waitForCamera(streaming, 30000), m_log.constData());

        // a hiccup: the camera hangs for a moment; the appliance notices, and it is back well within the grace
        ::kill(pid_t(m_camera.processId()), SIGSTOP);
        QElapsedTimer glitch;
        glitch.start();
        QVERIFY2(waitForCamera([&](const QString &s) { return !streaming(s); }, 10000), m_log.constData());
        ::kill(pid_t(m_camera.processId()), SIGCONT);
        QVERIFY2(waitForCamera(streaming, 20000), m_log.constData());
        QVERIFY2(glitch.elapsed() < kCameraLostSeconds * 1000, qPrintable(QString::number(glitch.elapsed())));
        QCOMPARE(m_phone.countAfter(isCameraLost, kCameraLostSeconds * 1000 + 2000), 0);
        QCOMPARE(m_phone.countAfter(isCameraBack, 0), 0);

        // the camera goes away for longer than the grace: one message, however many reconnects fail meanwhile
        QElapsedTimer outage;
        outage.start();
        m_camera.kill();
        QVERIFY(m_camera.waitForFinished(5000));
        const auto lost = m_phone.waitFor(isCameraLost, (kCameraLostSeconds + 15) * 1000);
        QVERIFY2(lost, m_log.constData());
        // not before the grace (a coarse QTimer may fire up to 5 % early)
        QVERIFY2(outage.elapsed() >= kCameraLostSeconds * 950, qPrintable(QString::number(outage.elapsed())));
        QVERIFY2(lost->body.startsWith(QLatin1String("Camera lost in the garage: ")), qPrintable(lost->body));
        QCOMPARE(m_phone.countAfter(isCameraLost, 5000), 1);

        // it comes back by itself: one message
        QVERIFY(startCamera());
        const auto back = m_phone.waitFor(isCameraBack, 45000);
        QVERIFY2(back, m_log.constData());
        QVERIFY2(back->body.startsWith(QLatin1String("Camera back in the garage after ")), qPrintable(back->body));
        QVERIFY(waitForCamera(streaming, 10000));
        QCOMPARE(m_phone.countAfter(isCameraBack, 3000), 1);
        QCOMPARE(m_phone.countAfter(isCameraLost, 0), 1);
        QCOMPARE(m_phone.countAfter(isMotionAlert, 0), 0);
        // both ends of the outage are in the history
        QVERIFY(waitForEventLine([](const QString &l) { return l.contains(QLatin1String("camera: camera back after")); }, 10000));
        QVERIFY(waitForEventLine([](const QString &l) { return l.contains(QLatin1String("camera: camera lost")); }, 10000));
    }

    void personsOnly_data()
    {
        QTest::addColumn<bool>("personsOnly");
        QTest::addColumn<QString>("clip");
        QTest::newRow("persons_only = true: recorded, not alerted") << true << QStringLiteral("box.avi");
        QTest::newRow("persons_only = false: alerted") << false << QStringLiteral("box.avi");
        QTest::newRow("short event, persons_only = true") << true << QStringLiteral("quick-box.avi");
    }

    void personsOnly()
    {
        QFETCH(bool, personsOnly);
        QFETCH(QString, clip);
        writeConfig(QStringLiteral("state-%1-%2").arg(clip, personsOnly ? QStringLiteral("persons") : QStringLiteral("all")),
                    "[camera]\nsource = " + m_dir.filePath(clip).toUtf8() + "\nloop = true\n"
                    "[motion]\nevent_gap = 1\nperson_check = true\n"
                    "[alerts]\ncooldown_seconds = 0\nevent_summary = false\npersons_only = " +
                        QByteArray(personsOnly ? "true" : "false") + "\n");
        startGuard();
        if (QTest::currentTestFailed())
            return;
        // the crossing is an event in the history, checked for a person and found without one
        const auto event = waitForEventLine(
            [](const QString &l) { return l.contains(QLatin1String(" motion: motion ")) && l.contains(QLatin1String("no person seen")); },
            30000);
        if (!event) {
            for (const PhoneMessage &m : m_phone.messages())
                qWarning().noquote() << "phone got:" << m.received.toString(Qt::ISODateWithMs) << m.body;
            qWarning().noquote() << m_log;
        }
        QVERIFY(event);
        if (personsOnly) {
            // by the time the event ended its alert was decided; one more crossing (6 s loop) to be sure
            QCOMPARE(m_phone.countAfter(isMotionAlert, 8000), 0);
        } else {
            const auto alert = m_phone.waitFor(isMotionAlert, 15000);
            QVERIFY2(alert, m_log.constData());
            QVERIFY2(alert->body.endsWith(QLatin1String("(no person seen)")), qPrintable(alert->body));
        }
    }

    void cleanupTestCase()
    {
        m_phone.stop();
    }
};

QTEST_GUILESS_MAIN(TestEndToEndAlerts)
#include "tst_EndToEndAlerts.moc"
