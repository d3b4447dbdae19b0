// The owner's experience, end to end: garage-guard (the real executable) watches a clip of a person crossing, reads a
// fake 1-Wire probe, and talks over a real Prosody to a real slixmpp phone. Alerts with pictures, status, frost and
// recovery, the presence line, arm/disarm/mute, the event history after a restart, and a clean stop on SIGTERM.
#include "ClipWriter.h"
#include "Phone.h"
#include "ProsodyServer.h"
#include "TestUtils.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace garage;
using namespace garage::test;

namespace {

bool isMotionAlert(const PhoneMessage &m)
{
    return m.body.startsWith(QLatin1String("Motion in the garage at"));
}

} // namespace

class TestEndToEnd : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<ProsodyServer> m_server;
    Phone m_phone;
    QProcess m_guard;
    QByteArray m_log;
    QString m_bare;

    void setProbe(int milliCelsius)
    {
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("w1/28-0000075a3b1c/w1_slave")),
                          "48 01 4b 46 7f ff 08 10 e4 : crc=e4 YES\n48 01 4b 46 7f ff 08 10 e4 t=" +
                              QByteArray::number(milliCelsius) + "\n"));
    }

    void startGuard()
    {
        m_log.clear();
        m_guard.start(toolPath(QStringLiteral("garage-guard")), {QStringLiteral("--config"), m_dir.filePath(QStringLiteral("gg.conf"))});
        QVERIFY(m_guard.waitForStarted());
    }

    void stopGuard()
    {
        ::kill(pid_t(m_guard.processId()), SIGTERM);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(m_guard.waitForFinished(5000));
        QVERIFY2(clock.elapsed() < 2500, qPrintable(QString::number(clock.elapsed()))); // stops within ~2 s
        QCOMPARE(m_guard.exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_guard.exitCode(), 0);
    }

    // commands to the appliance and the reply that starts with `expected`
    std::optional<PhoneMessage> ask(const QString &command, const QString &expected, int timeoutMs = 10000)
    {
        m_phone.send(m_bare, command);
        return m_phone.waitFor([&](const PhoneMessage &m) { return m.body.startsWith(expected); }, timeoutMs);
    }

    // the status text of the appliance's latest presence as the phone saw it
    QString presenceText() const
    {
        const auto presences = m_phone.presences();
        for (auto it = presences.crbegin(); it != presences.crend(); ++it)
            if (it->from.startsWith(m_bare + QLatin1Char('/')) && it->type == QLatin1String("available"))
                return it->status;
        return QStringLiteral("(no presence from %1)").arg(m_bare);
    }

    int motionAlertsDuring(int ms)
    {
        const int before = m_phone.countAfter(isMotionAlert, 0);
        return m_phone.countAfter(isMotionAlert, ms) - before;
    }

private Q_SLOTS:
    void initTestCase()
    {
        ProsodyServer::Options options;
        options.c2sPort = 25222;
        options.httpsPort = 25281;
        options.accounts = {{QStringLiteral("home"), QStringLiteral("e2e-appliance")}, {QStringLiteral("me"), QStringLiteral("e2e-phone")}};
        m_server = std::make_unique<ProsodyServer>(options);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_bare = m_server->jid(QStringLiteral("home"));
        connect(&m_guard, &QProcess::readyReadStandardError, this, [this] { m_log += m_guard.readAllStandardError(); });
        // an 8 s clip, looped: a person crosses from 1 s to 3 s, then the garage is still
        const QString clip = m_dir.filePath(QStringLiteral("crossing.avi"));
        QVERIFY(writeClip(clip.toStdString(), {{640, 480}, 10, 8, [](cv::Mat &f, int, double t) {
                              if (t >= 1.0 && t <= 3.0)
                                  drawPerson(f, int(-40 + 720 * (t - 1.0) / 2.0), 240);
                          }}));
        setProbe(4500);
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("gg.conf")),
                          "[xmpp]\njid = " + m_bare.toUtf8() + "\npassword = e2e-appliance\nhost = 127.0.0.1\nport = 25222\n"
                          "ca_file = " + m_server->caFile().toUtf8() + "\nowners = me@garage.test\n"
                          "[camera]\nsource = " + clip.toUtf8() + "\nloop = true\n"
                          "[motion]\nevent_gap = 1\n"
                          "[temperature]\nsource = ds18b20\nw1_dir = " + m_dir.filePath(QStringLiteral("w1")).toUtf8() +
                          "\npoll_seconds = 2\nlow = 2\nhysteresis = 1\n"
                          "[alerts]\ncooldown_seconds = 0\nevent_summary = false\n"
                          "[storage]\ndir = " + m_dir.filePath(QStringLiteral("state")).toUtf8() + "\n"));
        QVERIFY2(m_phone.start(m_server->jid(QStringLiteral("me")), QStringLiteral("e2e-phone"), *m_server, &error), qPrintable(error));
    }

    void motionAlertWithPicture()
    {
        QElapsedTimer clock;
        clock.start();
        startGuard();
        const auto alert = m_phone.waitFor(isMotionAlert, 30000);
        QVERIFY2(alert, m_log.constData());
        // the person enters 1 s into the clip; the alert carries the best picture of the event's first 2 s
        QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed()))); // generous: ASan on 2 cores
        const auto picture = m_phone.waitFor([](const PhoneMessage &m) { return !m.oobUrl.isEmpty(); }, 10000);
        QVERIFY(picture);
        QCOMPARE(picture->body, picture->oobUrl);
        const auto jpeg = m_phone.download(picture->oobUrl);
        QVERIFY2(jpeg, qPrintable(jpeg ? QString() : jpeg.error()));
        QVERIFY(jpeg->startsWith("\xff\xd8"));
        QVERIFY(jpeg->size() > 5000 && jpeg->size() < 480 * 1024);
    }

    void statusShowsTemperature()
    {
        const auto status = ask(QStringLiteral("status"), QStringLiteral("garage: armed"));
        QVERIFY2(status, m_log.constData());
        QVERIFY2(status->body.contains(QStringLiteral("temperature: 4.5 °C")), qPrintable(status->body));
        QVERIFY(status->body.contains(QLatin1String("camera: streaming")));
        QVERIFY(ask(QStringLiteral("temp"), QStringLiteral("Temperature: 4.5 °C")));
    }

    void presenceShowsStateAndTemperature()
    {
        // the owner adds the appliance to the phone's contacts and sees its state next to its name
        m_phone.subscribe(m_bare);
        QTRY_COMPARE_WITH_TIMEOUT(presenceText(), QStringLiteral("armed · 4.5 °C"), 10000);
        QVERIFY(ask(QStringLiteral("disarm"), QStringLiteral("Disarmed")));
        QTRY_COMPARE_WITH_TIMEOUT(presenceText(), QStringLiteral("disarmed · 4.5 °C"), 10000);
        QVERIFY(ask(QStringLiteral("arm"), QStringLiteral("Armed")));
        QTRY_COMPARE_WITH_TIMEOUT(presenceText(), QStringLiteral("armed · 4.5 °C"), 10000);
    }

    void frostAlertsOnceAndRecoversOnce()
    {
        setProbe(1000);
        QVERIFY(m_phone.waitFor([](const PhoneMessage &m) { return m.body.contains(QStringLiteral("Frost warning: 1.0 °C")); }, 10000));
        setProbe(1500); // still cold, inside the hysteresis: nothing new
        QTest::qWait(4500);
        setProbe(3500);
        QVERIFY(m_phone.waitFor([](const PhoneMessage &m) { return m.body.contains(QStringLiteral("back to normal: 3.5 °C")); }, 10000));
        QCOMPARE(m_phone.countAfter([](const PhoneMessage &m) { return m.body.contains(QLatin1String("Frost warning")); }, 3000), 1);
        QCOMPARE(m_phone.countAfter([](const PhoneMessage &m) { return m.body.contains(QLatin1String("back to normal")); }, 0), 1);
    }

    void armDisarmMute()
    {
        QVERIFY(ask(QStringLiteral("disarm"), QStringLiteral("Disarmed")));
        QCOMPARE(motionAlertsDuring(10000), 0); // a crossing every 8 s, none alerted
        QVERIFY(ask(QStringLiteral("arm"), QStringLiteral("Armed")));
        QVERIFY(motionAlertsDuring(12000) >= 1); // armed again: the next crossing is alerted
        QVERIFY(ask(QStringLiteral("mute 1h"), QStringLiteral("Muted until")));
        QTest::qWait(500); // an alert already on its way when the mute came
        const int beforeMute = m_phone.countAfter(isMotionAlert, 0);
        QCOMPARE(motionAlertsDuring(10000), 0);
        QVERIFY(ask(QStringLiteral("unmute"), QStringLiteral("Unmuted")));
        QTRY_VERIFY_WITH_TIMEOUT(m_phone.countAfter(isMotionAlert, 0) > beforeMute, 12000);
        QVERIFY(ask(QStringLiteral("mute later"), QStringLiteral("Cannot mute")));
    }

    void historySurvivesRestartAndStopIsClean()
    {
        // the newest event before the restart (the looping clip keeps adding motion events, so the list moves on)
        const auto before = ask(QStringLiteral("events"), QStringLiteral("Last events"), 15000);
        QVERIFY(before);
        static const QRegularExpression firstId(QStringLiteral("\\n(#\\d+) "));
        const QRegularExpressionMatch newest = firstId.match(before->body);
        QVERIFY2(newest.hasMatch(), qPrintable(before->body));
        stopGuard();
        // nothing half-written: every file in the storage is one the appliance means to keep
        static const QRegularExpression known(QStringLiteral("^(events\\.json|state\\.json|snapshots/\\d{6}\\.jpg|outbox/\\d{12}\\.(json|jpg))$"));
        const QString state = m_dir.filePath(QStringLiteral("state"));
        for (QDirIterator it(state, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
            const QString relative = QDir(state).relativeFilePath(it.next());
            QVERIFY2(known.match(relative).hasMatch(), qPrintable(relative));
        }
        startGuard();
        // a command sent before it is online would be stored offline and, delayed, rightly ignored
        QTRY_VERIFY_WITH_TIMEOUT(m_log.contains("online: presence sent"), 15000);
        const auto events = ask(QStringLiteral("events"), QStringLiteral("Last events"), 15000);
        QVERIFY2(events, m_log.constData());
        QVERIFY2(events->body.contains(QLatin1Char('\n') + newest.captured(1) + QLatin1Char(' ')),
                 qPrintable(newest.captured(1) + QStringLiteral(" missing after the restart in: ") + events->body));
        QVERIFY(events->body.contains(QLatin1String("motion")));
        QVERIFY(ask(QStringLiteral("event 1"), QStringLiteral("#1 "))); // the oldest too, with its picture
        const auto picture = m_phone.waitFor([](const PhoneMessage &m) { return !m.oobUrl.isEmpty(); }, 10000);
        QVERIFY(picture);
        QVERIFY(ask(QStringLiteral("event 999"), QStringLiteral("There is no event #999")));
        stopGuard();
    }

    void cleanupTestCase()
    {
        if (m_guard.state() != QProcess::NotRunning) {
            m_guard.kill();
            m_guard.waitForFinished();
        }
        m_phone.stop();
    }
};

QTEST_GUILESS_MAIN(TestEndToEnd)
#include "tst_EndToEnd.moc"
