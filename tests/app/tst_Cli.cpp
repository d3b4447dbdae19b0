// The garage-guard command line as an administrator uses it: --version, --help, --check-config and its exit codes,
// and a clean stop on SIGTERM.
#include "TestUtils.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace garage;

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    // starts without hardware or a server: a clip that is not there yet, a port nobody listens on
    QByteArray runnableConfig() const
    {
        return "[xmpp]\njid = home@example.org\npassword = pw\nowners = me@example.org\nhost = 127.0.0.1\nport = 9\n"
               "[camera]\nsource = " + m_dir.path().toUtf8() + "/no-clip-yet.avi\n"
               "[storage]\ndir = " + m_dir.path().toUtf8() + "/state\n";
    }
    const QString m_example = QStringLiteral(GARAGE_SOURCE_DIR "/deploy/garage-guard.conf.example");

private Q_SLOTS:
    void version()
    {
        const auto r = test::runTool(QStringLiteral("garage-guard"), {QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("garage-guard 0.")), qPrintable(r.out));
    }

    void help()
    {
        const auto r = test::runTool(QStringLiteral("garage-guard"), {QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QLatin1String("--check-config")));
        QVERIFY(r.out.contains(QLatin1String("--config")));
    }

    void checkExample()
    {
        const auto r = test::runTool(QStringLiteral("garage-guard"),
                                     {QStringLiteral("--check-config"), QStringLiteral("--config"), m_example});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QLatin1String("xmpp/password = ********")));
        QVERIFY(!r.out.contains(QLatin1String("change-me")));
        QVERIFY(r.out.contains(QLatin1String("configuration OK")));
    }

    void threeBadValues()
    {
        const QString path = m_dir.filePath(QStringLiteral("bad.conf"));
        test::writeFile(path, "[xmpp]\njid = home@example.org\npassword = pw\nowners = me@example.org\nport = many\n"
                              "[camera]\njpeg_quality = 101\n[temperature]\nhysteresis = warm\n");
        const auto r = test::runTool(QStringLiteral("garage-guard"),
                                     {QStringLiteral("--check-config"), QStringLiteral("--config"), path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("xmpp/port = 'many'")), qPrintable(r.err));
        QVERIFY(r.err.contains(QLatin1String("camera/jpeg_quality = '101'")));
        QVERIFY(r.err.contains(QLatin1String("temperature/hysteresis = 'warm'")));
        QVERIFY(r.err.contains(QLatin1String("3 error(s)")));
        QVERIFY(!r.err.contains(QLatin1String("pw'")));
    }

    // --check-config prints the effective configuration and every warning: the XMPP password, the camera URL's
    // password and a misspelt key's value (often the password itself) must appear in no line of it. The masked
    // forms are checked too, so a pass is not an empty output.
    void checkConfigNeverPrintsSecrets()
    {
        const QString path = m_dir.filePath(QStringLiteral("secret.conf"));
        test::writeFile(path, "[xmpp]\njid = home@example.org\npassword = \"xmpp;S3cret,1\"\nowners = me@example.org\n"
                              "pasword = typo-S3cret\n[camera]\nsource = rtsp://admin:cam-S3cret@cam.lan/stream\n"
                              "[storage]\ndir = " + m_dir.path().toUtf8() + "/state\n");
        const auto r = test::runTool(QStringLiteral("garage-guard"),
                                     {QStringLiteral("--check-config"), QStringLiteral("--config"), path});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = QString(r.out + r.err).split(QLatin1Char('\n'));
        for (const QString &line : lines)
            QVERIFY2(!line.contains(QLatin1String("S3cret")), qPrintable(QStringLiteral("secret printed: ") + line));
        QVERIFY2(r.out.contains(QLatin1String("xmpp/password = ********")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("camera/source = rtsp://admin:***@cam.lan/stream")), qPrintable(r.out));
        QVERIFY2(r.err.contains(QLatin1String("xmpp/pasword: unknown key, ignored (its value is not shown)")),
                 qPrintable(r.err));
    }

    // A bad configuration is reported with every bad value, but a camera URL's password is masked in the value and
    // in the message; an unquoted password with ';' is refused (QSettings would cut it) without being repeated.
    void configErrorsNeverPrintSecrets()
    {
        const QString path = m_dir.filePath(QStringLiteral("secret-bad.conf"));
        test::writeFile(path, "[xmpp]\njid = home@example.org\npassword = xmpp;S3cret\nowners = me@example.org\n"
                              "[camera]\nsource = rtsp://admin:cam-S3cret@/stream\n");
        const auto r = test::runTool(QStringLiteral("garage-guard"),
                                     {QStringLiteral("--check-config"), QStringLiteral("--config"), path});
        QCOMPARE(r.exitCode, 2);
        for (const QString &line : QString(r.out + r.err).split(QLatin1Char('\n')))
            QVERIFY2(!line.contains(QLatin1String("S3cret")), qPrintable(QStringLiteral("secret printed: ") + line));
        QVERIFY2(r.err.contains(QLatin1String("camera/source = 'rtsp://admin:***@/stream'")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("xmpp/password = '********': the password holds ';'")), qPrintable(r.err));
    }

    // The daemon's own log from start to stop (the camera source it opens and retries, at info level) never holds
    // the camera's password or the XMPP password.
    void daemonLogNeverPrintsSecrets()
    {
        const QString path = m_dir.filePath(QStringLiteral("secret-run.conf"));
        test::writeFile(path, "[xmpp]\njid = home@example.org\npassword = xmpp-S3cret\nowners = me@example.org\n"
                              "host = 127.0.0.1\nport = 9\n[camera]\nsource = http://admin:cam-S3cret@127.0.0.1:9/video\n"
                              "[storage]\ndir = " + m_dir.path().toUtf8() + "/state\n");
        QProcess daemon;
        daemon.setProcessChannelMode(QProcess::MergedChannels);
        daemon.start(test::toolPath(QStringLiteral("garage-guard")), {QStringLiteral("--config"), path});
        QVERIFY(daemon.waitForStarted());
        QByteArray log;
        connect(&daemon, &QProcess::readyReadStandardOutput, this, [&] { log += daemon.readAllStandardOutput(); });
        // started, and the camera tried and failed once (its offline reason and retry are logged with the URL)
        QTRY_VERIFY2_WITH_TIMEOUT(log.contains("started") && log.contains("retrying in"), log.constData(), 10000);
        ::kill(static_cast<pid_t>(daemon.processId()), SIGTERM);
        QVERIFY(daemon.waitForFinished(5000));
        log += daemon.readAllStandardOutput();
        for (const QByteArray &line : log.split('\n'))
            QVERIFY2(!line.contains("S3cret"), QByteArray(QByteArray("secret logged: ") + line).constData());
        QVERIFY2(log.contains("http://admin:***@127.0.0.1:9/video"), log.constData());
    }

    void missingConfigExits2()
    {
        const auto r = test::runTool(QStringLiteral("garage-guard"),
                                     {QStringLiteral("--config"), m_dir.filePath(QStringLiteral("absent.conf"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QLatin1String("cannot read")));
    }

    void unknownOptionFails()
    {
        const auto r = test::runTool(QStringLiteral("garage-guard"), {QStringLiteral("--frobnicate")});
        QVERIFY(r.exitCode != 0);
    }

    void sigtermStopsCleanly()
    {
        const QString path = m_dir.filePath(QStringLiteral("run.conf"));
        test::writeFile(path, runnableConfig());
        QProcess daemon;
        daemon.start(test::toolPath(QStringLiteral("garage-guard")), {QStringLiteral("--config"), path});
        QVERIFY(daemon.waitForStarted());
        QByteArray log;
        connect(&daemon, &QProcess::readyReadStandardError, this, [&] { log += daemon.readAllStandardError(); });
        QTRY_VERIFY2_WITH_TIMEOUT(log.contains("started"), log.constData(), 10000);
        ::kill(static_cast<pid_t>(daemon.processId()), SIGTERM);
        QVERIFY(daemon.waitForFinished(5000));
        QCOMPARE(daemon.exitStatus(), QProcess::NormalExit);
        QCOMPARE(daemon.exitCode(), 0);
    }

    // Under systemd (Type=notify): READY=1 once started, WATCHDOG=1 pings, STOPPING=1 on SIGTERM.
    void systemdNotify()
    {
        const QString socketPath = m_dir.filePath(QStringLiteral("notify.sock"));
        const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        QVERIFY(fd >= 0);
        sockaddr_un address = {};
        address.sun_family = AF_UNIX;
        qstrncpy(address.sun_path, QFile::encodeName(socketPath).constData(), sizeof(address.sun_path));
        QCOMPARE(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)), 0);
        const QString path = m_dir.filePath(QStringLiteral("notify.conf"));
        test::writeFile(path, runnableConfig());
        QProcess daemon;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NOTIFY_SOCKET"), socketPath);
        env.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("400000"));
        daemon.setProcessEnvironment(env);
        daemon.start(test::toolPath(QStringLiteral("garage-guard")), {QStringLiteral("--config"), path});
        QVERIFY(daemon.waitForStarted());
        QByteArray received;
        auto drain = [&] {
            char buffer[512];
            ssize_t n;
            while ((n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT)) > 0)
                received.append(buffer, n).append('|');
        };
        QTRY_VERIFY_WITH_TIMEOUT((drain(), received.contains("READY=1")), 10000);
        QTRY_VERIFY_WITH_TIMEOUT((drain(), received.count("WATCHDOG=1") >= 2), 5000);
        ::kill(static_cast<pid_t>(daemon.processId()), SIGTERM);
        QVERIFY(daemon.waitForFinished(5000));
        drain();
        QVERIFY2(received.contains("STOPPING=1"), received.constData());
        QCOMPARE(daemon.exitCode(), 0);
        ::close(fd);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_Cli.moc"
