// The faults a garage Pi meets, injected for real into the whole daemon (garage-guard with Prosody, the slixmpp phone,
// an MJPEG camera server, a fake 1-Wire tree, a real tmpfs, libfaketime), and checked by what the owner's phone gets:
// devices missing or late at start, a full storage card, a SIGKILL while alerts wait for the server, the wall clock
// stepped back and forward.
#include "ClipWriter.h"
#include "FakeW1Bus.h"
#include "GuardProcess.h"
#include "Phone.h"
#include "ProsodyServer.h"
#include "TestUtils.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>

using namespace garage;
using namespace garage::test;
using namespace Qt::StringLiterals;

namespace {

constexpr quint16 kPort = 25340;
constexpr quint16 kHttps = 25391;
const QString kProbe = u"28-00000a1b2c3d"_s;

auto alertStarting(const char *prefix)
{
    return [prefix](const PhoneMessage &m) { return m.body.startsWith(QLatin1StringView(prefix)); };
}

const auto isMotionAlert = alertStarting("Motion in the garage at");

// The camera's frames for an 8 s loop at 10 fps: a still garage, and a person crossing from 3 s to 5 s.
bool writeCrossingFrames(const QString &dir)
{
    if (!QDir().mkpath(dir))
        return false;
    const cv::Mat background = garageBackground({640, 480});
    for (int n = 0; n < 80; ++n) {
        cv::Mat frame = background.clone();
        if (n >= 30 && n < 50)
            drawPerson(frame, -60 + (n - 30) * 40, 300);
        if (!cv::imwrite(u"%1/f%2.jpg"_s.arg(dir).arg(n, 3, 10, QLatin1Char('0')).toStdString(), frame))
            return false;
    }
    return true;
}

// libfaketime reads the offset file at every clock call: it must never see it half written (it exits on a parse error)
bool setClockOffset(const QString &file, const QByteArray &offset)
{
    QSaveFile f(file);
    return f.open(QIODevice::WriteOnly) && f.write(offset + '\n') > 0 && f.commit();
}

int filesIn(const QString &dir, const QString &pattern)
{
    return int(QDir(dir).entryList({pattern}, QDir::Files).size());
}

} // namespace

class TestDaemonFaults : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<ProsodyServer> m_server;
    Phone m_phone;
    QString m_bare;
    QString m_frames;
    std::unique_ptr<GuardProcess> m_guard;
    std::unique_ptr<CameraServer> m_camera;
    QString m_mounted; // a tmpfs this test mounted

    QString path(const QString &name) const { return m_dir.filePath(name); }

    GuardProcess &guard(const QByteArray &sections)
    {
        m_guard = std::make_unique<GuardProcess>(path(u"gg.conf"_s));
        writeFile(path(u"gg.conf"_s), GuardProcess::config(*m_server, u"home"_s, u"df-appliance"_s, sections));
        return *m_guard;
    }

    std::optional<PhoneMessage> ask(const QString &command, const QStringList &expected)
    {
        return garage::test::ask(m_phone, m_bare, command, expected);
    }

    QString statusLine(const QString &prefix)
    {
        const auto status = ask(u"status"_s, {u"garage: "_s});
        if (!status)
            return u"(no status reply)"_s;
        for (const QString &line : status->body.split(QLatin1Char('\n')))
            if (line.startsWith(prefix))
                return line;
        return u"(no line %1 in: %2)"_s.arg(prefix, status->body);
    }

    // The picture (its own message, body == OOB URL) of the first motion alert received after `after`.
    std::optional<PhoneMessage> motionPicture(const QDateTime &after, int timeoutMs)
    {
        const auto alert = m_phone.waitFor([&](const PhoneMessage &m) { return m.received > after && isMotionAlert(m); }, timeoutMs);
        if (!alert)
            return std::nullopt;
        return m_phone.waitFor([&](const PhoneMessage &m) { return m.received >= alert->received && !m.oobUrl.isEmpty(); },
                               15000);
    }

    // What the owner saw (printed for every case), and on a failure the daemon's log.
    void dump(bool withLog)
    {
        for (const PhoneMessage &m : m_phone.messages())
            qInfo().noquote() << "phone got:" << m.received.toString(u"HH:mm:ss.zzz"_s) << m.body << m.oobUrl;
        if (withLog && m_guard)
            qWarning().noquote() << m_guard->log();
    }

private Q_SLOTS:
    void initTestCase()
    {
        ProsodyServer::Options options;
        options.c2sPort = kPort;
        options.httpsPort = kHttps;
        options.accounts = {{u"home"_s, u"df-appliance"_s}, {u"me"_s, u"df-phone"_s}};
        m_server = std::make_unique<ProsodyServer>(options);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_bare = m_server->jid(u"home"_s);
        QVERIFY2(m_phone.start(m_server->jid(u"me"_s), u"df-phone"_s, *m_server, &error), qPrintable(error));
        m_frames = path(u"frames"_s);
        QVERIFY(writeCrossingFrames(m_frames));
    }

    void init()
    {
        m_phone.clear();
    }

    void cleanup()
    {
        dump(QTest::currentTestFailed());
        if (m_guard)
            m_guard->stop();
        m_guard.reset();
        m_camera.reset();
        if (!m_mounted.isEmpty()) {
            QProcess::execute(u"umount"_s, {m_mounted});
            m_mounted.clear();
        }
    }

    // No video device at all (source = camera), and a DS18B20 whose probe shows up 20 s after the start (a power cut:
    // the bus comes up late). The appliance runs, answers, says once that the camera is missing, and the probe's
    // readings and frost alert start when it is there.
    void missingCameraAndLateProbe()
    {
        FakeW1Bus bus(path(u"w1-late"_s));
        GuardProcess &gg = guard("[camera]\nsource = camera\n"
                                 "[temperature]\nsource = ds18b20\nw1_dir = " + bus.dir().toUtf8() + "\npoll_seconds = 2\n"
                                 "low = 5\nhigh = off\n"
                                 "[alerts]\ncamera_lost_seconds = 3\n"
                                 "[storage]\ndir = " + path(u"state-late"_s).toUtf8() + "\n");
        QElapsedTimer sinceStart;
        sinceStart.start();
        QString error;
        QVERIFY2(gg.start(&error), qPrintable(error));

        // told once that there is no camera, after the grace
        const auto lost = m_phone.waitFor(alertStarting("Camera lost in the garage: "), 15000);
        QVERIFY(lost);
        QVERIFY2(lost->body.contains(u"no camera"_s), qPrintable(lost->body));
        // it answers, and says what it is doing about it
        const QString camera = statusLine(u"camera: "_s);
        QVERIFY2(camera.contains(u"no camera found"_s) && camera.contains(u"retrying"_s), qPrintable(camera));

        // the probe appears 20 s after the start
        QTest::qWait(std::max<int>(0, 20000 - int(sinceStart.elapsed())));
        QVERIFY(bus.setProbe(kProbe, 1000));
        QElapsedTimer sinceProbe;
        sinceProbe.start();
        const auto frost = m_phone.waitFor(alertStarting("garage: Frost warning: 1.0"), 15000);
        QVERIFY(frost);
        qInfo("frost warning %lld ms after the probe appeared", qint64(sinceProbe.elapsed()));
        QVERIFY2(frost->body.contains(u"below 5.0"_s), qPrintable(frost->body));
        const QString temp = statusLine(u"temperature: "_s);
        QVERIFY2(temp.contains(u"1.0"_s), qPrintable(temp));

        // and still only one word about the camera, however often it retried meanwhile
        QCOMPARE(m_phone.countAfter(alertStarting("Camera lost"), 2000), 1);
        QVERIFY2(gg.log().count("retrying") >= 2, gg.log().constData());
        QCOMPARE(m_phone.countAfter(isMotionAlert, 0), 0);
    }

    // An MJPEG network camera that comes up 20 s after the appliance: motion alerts, with their picture, from then on.
    void lateMjpegCamera()
    {
        const quint16 port = CameraServer::freePort();
        m_camera = std::make_unique<CameraServer>(m_frames, 10);
        GuardProcess &gg = guard("[camera]\nsource = http://127.0.0.1:" + QByteArray::number(port) + "/stream.mjpg\n"
                                 "stall_seconds = 2\n[motion]\nevent_gap = 1\n"
                                 "[alerts]\ncooldown_seconds = 0\nevent_summary = false\ncamera_lost_seconds = 60\n"
                                 "[storage]\ndir = " + path(u"state-latecam"_s).toUtf8() + "\n");
        QElapsedTimer sinceStart;
        sinceStart.start();
        QString error;
        QVERIFY2(gg.start(&error), qPrintable(error));
        QVERIFY2(gg.waitForLog("retrying in", 10000), gg.log().constData());

        // no picture yet, and `snapshot` says why instead of sending something old or nothing
        const auto none = ask(u"snapshot"_s, {u"No snapshot: "_s});
        QVERIFY(none);
        QVERIFY2(none->body.contains(u"The camera is"_s) && none->body.endsWith(u"no picture"_s), qPrintable(none->body));

        QTest::qWait(std::max<int>(0, 20000 - int(sinceStart.elapsed())));
        QCOMPARE(m_phone.countAfter(isMotionAlert, 0), 0);
        QVERIFY(m_camera->start(port));
        QElapsedTimer sinceCamera;
        sinceCamera.start();
        // the reconnect backoff after 20 s of failures, then a crossing (every 8 s)
        const auto alert = motionPicture({}, 60000);
        QVERIFY(alert);
        qInfo("first motion alert with its picture %lld ms after the camera came up", qint64(sinceCamera.elapsed()));
        const auto picture = m_phone.download(alert->oobUrl);
        QVERIFY2(picture && picture->startsWith("\xff\xd8"), picture ? "not a JPEG" : qPrintable(picture.error()));

        // the camera goes away: `snapshot` says so and labels the last picture with the time it was taken
        m_camera->kill();
        QVERIFY(QTest::qWaitFor([&] { return !statusLine(u"camera: "_s).startsWith(u"camera: streaming"_s); }, 15000));
        const auto last = ask(u"snapshot"_s, {u"The camera is"_s, u"The camera sends no new pictures"_s});
        QVERIFY(last);
        QVERIFY2(last->body.contains(u"here is the last picture, taken at "_s), qPrintable(last->body));
        QVERIFY(m_phone.waitFor([&](const PhoneMessage &m) { return m.received >= last->received && !m.oobUrl.isEmpty(); }, 10000));
    }

    // The storage card is full (a 3 MB tmpfs filled to the last byte). The owner is told once; `arm` says the setting
    // could not be saved, and motion alerts still go out with their picture (from memory). Once space is freed,
    // storage is back (told once), the setting is written after all (it survives a restart) and pictures are kept.
    void storageFullAndBack()
    {
        const QString storage = path(u"sd-card"_s);
        QVERIFY(QDir().mkpath(storage));
        QProcess mount;
        mount.start(u"mount"_s, {u"-t"_s, u"tmpfs"_s, u"-o"_s, u"size=3m"_s, u"tmpfs"_s, storage});
        QVERIFY(mount.waitForFinished(10000));
        if (mount.exitCode() != 0)
            QSKIP(qPrintable(u"a tmpfs cannot be mounted here (needs root in the test root): "_s
                             + QString::fromUtf8(mount.readAllStandardError())));
        m_mounted = storage;

        m_camera = std::make_unique<CameraServer>(m_frames, 10);
        QVERIFY(m_camera->start(CameraServer::freePort()));
        GuardProcess &gg = guard("[camera]\nsource = " + m_camera->url().toUtf8() + "\n[motion]\nevent_gap = 1\n"
                                 "[alerts]\narmed = false\ncooldown_seconds = 0\nevent_summary = false\n"
                                 "[storage]\ndir = " + storage.toUtf8() + "\n");
        QString error;
        QVERIFY2(gg.start(&error), qPrintable(error));
        QVERIFY2(gg.waitForLog("motion event 1 started", 20000), gg.log().constData()); // recorded, not alerted

        // the card fills up
        const QString filler = storage + u"/filler"_s;
        QProcess dd;
        dd.start(u"dd"_s, {u"if=/dev/zero"_s, u"of="_s + filler, u"bs=4k"_s});
        QVERIFY(dd.waitForFinished(10000));
        QVERIFY2(QString::fromUtf8(dd.readAllStandardError()).contains(u"No space left"_s), "the tmpfs did not fill");

        const auto armed = ask(u"arm"_s, {u"Armed"_s});
        QVERIFY(armed);
        QVERIFY2(armed->body.contains(u"could not be saved"_s) && armed->body.contains(u"No space left"_s),
                 qPrintable(armed->body));
        const auto problem = m_phone.waitFor(alertStarting("Storage problem in the garage: "), 30000);
        QVERIFY(problem);
        // motion alerts go out meanwhile, with their picture
        const auto duringFull = motionPicture(armed->received, 20000);
        QVERIFY(duringFull);
        const auto picture = m_phone.download(duringFull->oobUrl);
        QVERIFY2(picture && picture->startsWith("\xff\xd8"), picture ? "not a JPEG" : qPrintable(picture.error()));
        const QString storageStatus = statusLine(u"storage: "_s);
        QVERIFY2(storageStatus.startsWith(u"storage: problem"_s), qPrintable(storageStatus));
        QCOMPARE(m_phone.countAfter(alertStarting("Storage problem"), 3000), 1);
        QVERIFY(gg.isRunning());

        // space is freed: nothing else has to happen for the setting to be written
        QVERIFY(QFile::remove(filler));
        const auto back = m_phone.waitFor(alertStarting("Storage is back in the garage"), 30000);
        QVERIFY(back);
        QVERIFY(motionPicture(back->received, 30000));
        QCOMPARE(m_phone.countAfter(alertStarting("Storage is back"), 2000), 1);
        QCOMPARE(m_phone.countAfter(alertStarting("Storage problem"), 0), 1);
        QVERIFY(QDir(storage + u"/snapshots"_s).entryList({u"*.jpg"_s}, QDir::Files).size() >= 2);

        // the `arm` given on the full card survives a restart
        QVERIFY(gg.stop());
        m_phone.clear();
        QVERIFY2(gg.start(&error), qPrintable(error));
        const auto status = ask(u"status"_s, {u"garage: "_s});
        QVERIFY(status);
        QVERIFY2(status->body.startsWith(u"garage: armed"_s), qPrintable(status->body));
    }

    // The server goes away, three temperature alerts wait in the outbox, and the daemon is SIGKILLed (a power cut).
    // After the restart, with the server back, the owner gets the three, each once, in order (the "sent … late" note
    // after 2 min is tst_XmppFaults::longOutageIsSummarised's), and no second frost warning for the garage that is
    // still cold.
    void killedWithQueuedAlerts()
    {
        FakeW1Bus bus(path(u"w1-queued"_s));
        QVERIFY(bus.setProbe(kProbe, 10000));
        const QString storage = path(u"state-queued"_s);
        GuardProcess &gg = guard("[camera]\nsource = camera\n" // none here, and not told within this test
                                 "[alerts]\ncamera_lost_seconds = 3600\n"
                                 "[temperature]\nsource = ds18b20\nw1_dir = " + bus.dir().toUtf8() + "\npoll_seconds = 2\n"
                                 "low = 5\nhigh = off\nhysteresis = 1\n"
                                 "[storage]\ndir = " + storage.toUtf8() + "\n");
        QString error;
        QVERIFY2(gg.start(&error), qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return statusLine(u"temperature: "_s).contains(u"10.0"_s); }, 15000));

        QVERIFY(m_server->kill());
        const QStringList expected = {u"garage: Frost warning: 1.0"_s, u"garage: Temperature back to normal: 8.0"_s,
                                      u"garage: Frost warning: 2.0"_s};
        int queued = 0;
        for (const auto &[milli, text] : {std::pair{1000, expected[0]}, std::pair{8000, expected[1]}, std::pair{2000, expected[2]}}) {
            const qsizetype from = gg.log().size();
            QVERIFY(bus.setProbe(kProbe, milli));
            QVERIFY2(gg.waitForLog(QByteArray("alert: \"" + text.toUtf8()), 15000, from), gg.log().constData());
            ++queued;
            QTRY_COMPARE_WITH_TIMEOUT(filesIn(storage + u"/outbox"_s, u"*.json"_s), queued, 10000);
        }
        // it stays at 2.0 °C: the restarted daemon knows it warned of frost already and says nothing new
        // its log says why it cannot connect, without blaming TLS for a refused connection
        QVERIFY2(gg.waitForLog("Connection refused", 15000), gg.log().constData());
        QVERIFY2(!gg.log().contains("refused (TLS is required)"), gg.log().constData());
        gg.kill();
        QVERIFY2(m_server->restart(&error), qPrintable(error));
        m_phone.stop(); // it lost the server too: the owner's phone logs in again before the appliance is back
        QVERIFY2(m_phone.start(m_server->jid(u"me"_s), u"df-phone"_s, *m_server, &error), qPrintable(error));
        m_phone.clear();
        QVERIFY2(gg.start(&error), qPrintable(error));

        for (const QString &text : expected)
            QVERIFY2(m_phone.waitFor([&](const PhoneMessage &m) { return m.body.startsWith(text); }, 30000), qPrintable(text));
        QTRY_COMPARE_WITH_TIMEOUT(filesIn(storage + u"/outbox"_s, u"*.json"_s), 0, 10000);
        QTest::qWait(5000); // stragglers: a duplicate from the same flush, a repeated warning after two readings
        QList<PhoneMessage> got;
        for (const PhoneMessage &m : m_phone.messages())
            if (m.body.startsWith(u"garage: "_s))
                got << m;
        QCOMPARE(got.size(), 3);
        for (int i = 0; i < 3; ++i)
            QVERIFY2(got[i].body.startsWith(expected[i]), qPrintable(got[i].body));
    }

    // The wall clock steps (NTP on a Pi without a real-time clock), under libfaketime: 2 h back, then a year forward.
    // Motion alerts keep coming after the cooldown in real time, and the history is not pruned.
    void clockSteps_data()
    {
        QTest::addColumn<bool>("networkCamera");
        QTest::newRow("MJPEG network camera") << true;
        QTest::newRow("looping file (QMediaPlayer)") << false;
    }

    void clockSteps()
    {
        QFETCH(bool, networkCamera);
        const QString lib = u"/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"_s;
        if (!QFile::exists(lib))
            QSKIP("libfaketime is not installed (Debian package faketime)");
        const QString offset = path(u"faketime-offset"_s);
        QVERIFY(setClockOffset(offset, "+0"));
        QString source;
        if (networkCamera) {
            m_camera = std::make_unique<CameraServer>(m_frames, 10);
            QVERIFY(m_camera->start(CameraServer::freePort()));
            source = m_camera->url();
        } else {
            source = path(u"crossing.avi"_s); // the camera's 8 s loop as a file
            QVERIFY(writeClip(source.toStdString(), {{640, 480}, 10, 8, [](cv::Mat &f, int n, double) {
                                  if (n >= 30 && n < 50)
                                      drawPerson(f, -60 + (n - 30) * 40, 300);
                              }}));
        }
        const QString state = path(networkCamera ? u"state-clock-mjpeg"_s : u"state-clock-file"_s);
        GuardProcess &gg = guard("[camera]\nsource = " + source.toUtf8() + "\nloop = true\n[motion]\nevent_gap = 1\n"
                                 "[alerts]\ncooldown_seconds = 12\nevent_summary = false\n"
                                 "[storage]\ndir = " + state.toUtf8() + "\nretention_days = 30\n");
        QProcessEnvironment env;
        env.insert(u"LD_PRELOAD"_s, lib);
        env.insert(u"FAKETIME_TIMESTAMP_FILE"_s, offset);
        env.insert(u"FAKETIME_NO_CACHE"_s, u"1"_s);
        env.insert(u"FAKETIME_DONT_FAKE_MONOTONIC"_s, u"1"_s);
        env.insert(u"ASAN_OPTIONS"_s, qEnvironmentVariable("ASAN_OPTIONS") + u":verify_asan_link_order=0"_s);
        gg.setEnvironment(env);
        QString error;
        QVERIFY2(gg.start(&error), qPrintable(error));
        const auto first = m_phone.waitFor(isMotionAlert, 30000);
        QVERIFY(first);
        QElapsedTimer sinceFirst;
        sinceFirst.start();

        // 2 h back: the next alert still comes once the cooldown has passed in real time (crossings every 8 s)
        QVERIFY(setClockOffset(offset, "-7200")); // 2 h back
        const auto second = m_phone.waitFor([&](const PhoneMessage &m) { return isMotionAlert(m) && m.received > first->received; }, 40000);
        QVERIFY(second);
        qInfo("after the step back, the next motion alert came %lld ms after the first (cooldown 12 s)", qint64(sinceFirst.elapsed()));
        QVERIFY2(sinceFirst.elapsed() >= 11000, qPrintable(QString::number(sinceFirst.elapsed())));
        // it says the time it believes
        QVERIFY2(second->body != first->body, qPrintable(second->body));

        // a year forward: nothing is pruned, alerts go on
        sinceFirst.restart();
        QVERIFY(setClockOffset(offset, "+31536000")); // a year forward
        const auto third = m_phone.waitFor([&](const PhoneMessage &m) { return isMotionAlert(m) && m.received > second->received; }, 40000);
        QVERIFY(third);
        qInfo("after the step forward, the next motion alert came %lld ms after the one before", qint64(sinceFirst.elapsed()));
        const auto events = ask(u"events"_s, {u"Last events"_s});
        QVERIFY(events);
        const int motionLines = int(events->body.count(u" motion: "_s));
        QVERIFY2(motionLines >= 3, qPrintable(events->body));
    }

    void cleanupTestCase()
    {
        m_phone.stop();
    }
};

QTEST_GUILESS_MAIN(TestDaemonFaults)
#include "tst_DaemonFaults.moc"
