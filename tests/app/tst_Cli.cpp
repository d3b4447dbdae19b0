// The garage-guard command line as an administrator uses it: --version, --help, --check-config and its exit codes,
// and a clean stop on SIGTERM.
#include "TestUtils.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace garage;

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
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
        test::writeFile(path, "[xmpp]\njid = home@example.org\npassword = pw\nowners = me@example.org\n"
                              "[storage]\ndir = " + m_dir.path().toUtf8() + "/state\n");
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
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_Cli.moc"
