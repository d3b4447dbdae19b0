// Door control end to end: the real daemon with Prosody, the owner's slixmpp phone (and a stranger's), an MJPEG
// camera for the picture, and the door's GPIO lines simulated at the hardware edge (sim:<file>): the relay line logs
// every level with CLOCK_MONOTONIC ms, the contact reads a level file the test changes, as the door would.
//   open → yes → the relay pulses for press_ms → the door moves → "The garage door is open (moved in …)" + picture;
//   a door that does not move → the safety alert, although alerts are muted;
//   an expired confirmation, and a stranger's command followed by the owner's `yes`: the door is not moved.
#include "ClipWriter.h"
#include "GuardProcess.h"
#include "Phone.h"
#include "ProsodyServer.h"
#include "TestUtils.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

#include <fcntl.h>
#include <unistd.h>

using namespace garage;
using namespace garage::test;
using namespace Qt::StringLiterals;

namespace {

constexpr quint16 kPort = 25360;
constexpr quint16 kHttps = 25393;
constexpr int kPressMs = 300;
constexpr int kTravelSeconds = 3;

auto startingWith(const QString &prefix, const QDateTime &after = {})
{
    return [prefix, after](const PhoneMessage &m) { return m.received >= after && m.body.startsWith(prefix); };
}

// One level change of the relay line, as the simulated line logged it.
struct RelayEdge {
    QString what; // request, set, release
    bool high = false;
    qint64 ms = 0;
};

} // namespace

class TestDoorControl : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<ProsodyServer> m_server;
    Phone m_phone;
    Phone m_stranger;
    QString m_bare;
    std::unique_ptr<CameraServer> m_camera;
    std::unique_ptr<GuardProcess> m_guard;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString relayFile() const { return path(u"relay"_s); }
    QString contactFile() const { return path(u"contact"_s); }

    std::optional<PhoneMessage> ask(const QString &command, const QStringList &expected, int timeoutMs = 10000)
    {
        return garage::test::ask(m_phone, m_bare, command, expected, timeoutMs);
    }

    QList<RelayEdge> relayEdges() const
    {
        QFile f(relayFile());
        QList<RelayEdge> edges;
        if (!f.open(QIODevice::ReadOnly))
            return edges;
        for (const QByteArray &line : f.readAll().split('\n')) {
            const QList<QByteArray> parts = line.split(' ');
            if (parts.size() == 3)
                edges.append({QString::fromLatin1(parts[0]), parts[1] == "1", parts[2].toLongLong()});
        }
        return edges;
    }
    int presses() const
    {
        int n = 0;
        for (const RelayEdge &e : relayEdges())
            n += e.what == QLatin1String("set") && e.high;
        return n;
    }

    // The door moves: the contact's level file changes (atomically), then its FIFO says so.
    void moveContact(bool open)
    {
        QSaveFile level(contactFile());
        QVERIFY(level.open(QIODevice::WriteOnly));
        level.write(open ? "1\n" : "0\n"); // active low: a closed door pulls the line low
        QVERIFY(level.commit());
        const int fd = ::open(QFile::encodeName(contactFile() + u".events"_s).constData(), O_WRONLY | O_NONBLOCK);
        QVERIFY(fd >= 0);
        QCOMPARE(::write(fd, "e", 1), ssize_t(1));
        ::close(fd);
    }

    void dump(bool withLog)
    {
        for (const PhoneMessage &m : m_phone.messages())
            qInfo().noquote() << "phone got:" << m.received.toString(u"HH:mm:ss.zzz"_s) << m.body << m.oobUrl;
        for (const RelayEdge &e : relayEdges())
            qInfo().noquote() << "relay:" << e.what << e.high << e.ms;
        if (withLog && m_guard)
            qWarning().noquote() << m_guard->log();
    }

private Q_SLOTS:
    void initTestCase()
    {
        ProsodyServer::Options options;
        options.c2sPort = kPort;
        options.httpsPort = kHttps;
        options.accounts = {{u"home"_s, u"dc-appliance"_s}, {u"me"_s, u"dc-phone"_s}, {u"eve"_s, u"dc-stranger"_s}};
        m_server = std::make_unique<ProsodyServer>(options);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_bare = m_server->jid(u"home"_s);
        QVERIFY2(m_phone.start(m_server->jid(u"me"_s), u"dc-phone"_s, *m_server, &error), qPrintable(error));
        QVERIFY2(m_stranger.start(m_server->jid(u"eve"_s), u"dc-stranger"_s, *m_server, &error), qPrintable(error));

        // a still garage on an MJPEG camera: the picture of the move
        const QString frames = path(u"frames"_s);
        QVERIFY(QDir().mkpath(frames));
        const cv::Mat background = garageBackground({640, 480});
        for (int n = 0; n < 10; ++n)
            QVERIFY(cv::imwrite(u"%1/f%2.jpg"_s.arg(frames).arg(n).toStdString(), background));
        const quint16 cameraPort = CameraServer::freePort();
        m_camera = std::make_unique<CameraServer>(frames, 10);
        QVERIFY(m_camera->start(cameraPort));

        QVERIFY(writeFile(contactFile(), "0\n")); // closed
        const QByteArray sections = "[camera]\nsource = " + m_camera->url().toUtf8() + "\n"
                                    "[door]\nline = sim:" + contactFile().toUtf8() + "\n"
                                    "relay_line = sim:" + relayFile().toUtf8() + "\n"
                                    "press_ms = " + QByteArray::number(kPressMs) + "\n"
                                    "travel_seconds = " + QByteArray::number(kTravelSeconds) + "\n"
                                    "[alerts]\ncooldown_seconds = 0\n"
                                    "[storage]\ndir = " + path(u"state"_s).toUtf8() + "\n";
        writeFile(path(u"gg.conf"_s), GuardProcess::config(*m_server, u"home"_s, u"dc-appliance"_s, sections));
        m_guard = std::make_unique<GuardProcess>(path(u"gg.conf"_s));
        QProcessEnvironment env;
        env.insert(u"QT_LOGGING_RULES"_s, u"garage.xmpp.debug=true"_s); // "ignored a message from …" (the stranger)
        m_guard->setEnvironment(env);
        QVERIFY2(m_guard->start(&error), qPrintable(error));
        // requested inactive at start
        QTRY_VERIFY_WITH_TIMEOUT(!relayEdges().isEmpty(), 10000);
        QCOMPARE(relayEdges().first().what, u"request"_s);
        QCOMPARE(relayEdges().first().high, false);
        // the daemon reads the contact and the camera streams before the first command
        QVERIFY(QTest::qWaitFor([&] {
            const auto door = ask(u"door"_s, {u"The garage door"_s});
            return door && door->body.startsWith(u"The garage door is closed (since "_s);
        }, 20000));
    }

    void init()
    {
        m_phone.clear();
    }

    void cleanup()
    {
        dump(QTest::currentTestFailed());
    }

    void cleanupTestCase()
    {
        if (m_guard) {
            QVERIFY(m_guard->stop());
            // released inactive at stop
            const QList<RelayEdge> edges = relayEdges();
            QVERIFY(!edges.isEmpty());
            QCOMPARE(edges.last().what, u"release"_s);
            QCOMPARE(edges.last().high, false);
        }
        m_guard.reset();
        m_camera.reset();
    }

    // open → yes: one pulse of press_ms, the door opens, the owner gets "open" with a picture and no intrusion alert.
    void openConfirmedMovesTheDoor()
    {
        const auto question = ask(u"open"_s, {u"Open the garage door?"_s});
        QVERIFY(question);
        QCOMPARE(question->body, u"Open the garage door? Reply 'yes' within 30 s."_s);
        QCOMPARE(presses(), 0);

        const auto pressing = ask(u"yes"_s, {u"Opening"_s, u"Not pressed"_s, u"It is"_s});
        QVERIFY(pressing);
        QCOMPARE(pressing->body, u"Opening the garage door (I will check in 3 s)."_s);
        // the relay pulses once, for press_ms
        QTRY_VERIFY_WITH_TIMEOUT(relayEdges().size() >= 3, 5000);
        const QList<RelayEdge> edges = relayEdges();
        QCOMPARE(edges.size(), 3);
        QVERIFY(edges[1].what == u"set"_s && edges[1].high);
        QVERIFY(edges[2].what == u"set"_s && !edges[2].high);
        const qint64 heldMs = edges[2].ms - edges[1].ms;
        qInfo("relay held active for %lld ms (press_ms = %d)", heldMs, kPressMs);
        QVERIFY2(heldMs >= kPressMs - 1 && heldMs < kPressMs + 150, qPrintable(QString::number(heldMs)));

        // the door moves: the reed switch opens right after the press
        const QDateTime moved = QDateTime::currentDateTimeUtc();
        moveContact(true);
        const auto done = m_phone.waitFor(startingWith(u"The garage door is open (moved in "_s, moved), 15000);
        QVERIFY(done);
        const auto picture = m_phone.waitFor([&](const PhoneMessage &m) { return m.received >= done->received && !m.oobUrl.isEmpty(); },
                                             15000);
        QVERIFY(picture);
        const auto jpeg = m_phone.download(picture->oobUrl);
        QVERIFY2(jpeg && jpeg->startsWith("\xff\xd8"), jpeg ? "not a JPEG" : qPrintable(jpeg.error()));

        // a move asked for is no intrusion
        QCOMPARE(m_phone.countAfter(startingWith(u"The garage door opened"_s), 1000), 0);
        const auto door = ask(u"door"_s, {u"The garage door"_s});
        QVERIFY(door);
        QVERIFY2(door->body.startsWith(u"The garage door is open (since "_s), qPrintable(door->body));
        // the press is in the history with who asked and the outcome, and in status
        const auto events = ask(u"events"_s, {u"Last events"_s});
        QVERIFY(events);
        QVERIFY2(events->body.contains(u"door: open asked by me@garage.test: open after"_s), qPrintable(events->body));
        const auto status = ask(u"status"_s, {u"garage: "_s});
        QVERIFY(status);
        QVERIFY2(status->body.contains(u"door control: ready; last move: open asked by me@garage.test at"_s),
                 qPrintable(status->body));
        // asked again: nothing to do
        const auto again = ask(u"open"_s, {u"It is already open."_s, u"Open the garage door?"_s});
        QVERIFY(again);
        QCOMPARE(again->body, u"It is already open."_s);
    }

    // close → yes, but the door does not move (an obstacle, a dead opener): the safety alert comes although muted.
    void doorThatDoesNotMoveAlertsEvenMuted()
    {
        QVERIFY(ask(u"mute 1h"_s, {u"Muted until"_s}));
        const int before = presses();
        QVERIFY(ask(u"close"_s, {u"Close the garage door? Reply 'yes' within 30 s."_s}));
        const auto pressing = ask(u"yes"_s, {u"Closing"_s, u"Not pressed"_s, u"It is"_s});
        QVERIFY(pressing);
        QCOMPARE(pressing->body, u"Closing the garage door (I will check in 3 s)."_s);
        QTRY_COMPARE_WITH_TIMEOUT(presses(), before + 1, 5000);
        const auto failed = m_phone.waitFor(startingWith(u"The garage door did not close"_s), 15000);
        QVERIFY(failed);
        QCOMPARE(failed->body, u"The garage door did not close: still open after 3 s"_s);
        QVERIFY(ask(u"unmute"_s, {u"Unmuted"_s}));
    }

    // The owner answers after the 30 s of the question: nothing moves. (The wait is the rule's own window.)
    void expiredConfirmationDoesNothing()
    {
        const int before = presses();
        QVERIFY(ask(u"close"_s, {u"Close the garage door?"_s}));
        QTest::qWait(31000);
        const auto late = ask(u"yes"_s, {u"Too late"_s, u"Closing"_s, u"Not pressed"_s, u"Nothing"_s});
        QVERIFY(late);
        QCOMPARE(late->body, u"Too late: the question expired after 30 s. Send 'close' again."_s);
        QCOMPARE(presses(), before);
    }

    // A stranger's `close`, then the owner's `yes`: the owner has nothing to confirm, the door does not move.
    void strangersCommandIsNotConfirmedByOwner()
    {
        const int before = presses();
        const qsizetype logFrom = m_guard->log().size();
        m_stranger.send(m_bare, u"close"_s);
        QVERIFY2(m_guard->waitForLog("not an owner", 10000, logFrom), m_guard->log().mid(logFrom).constData());
        const auto answer = ask(u"yes"_s, {u"Nothing to confirm"_s, u"Closing"_s, u"Not pressed"_s, u"Too late"_s});
        QVERIFY(answer);
        QCOMPARE(answer->body, u"Nothing to confirm: send 'open' or 'close' first."_s);
        QCOMPARE(presses(), before);
        QCOMPARE(m_stranger.countAfter([](const PhoneMessage &) { return true; }, 500), 0);
        // and a question of the owner's own is cancelled by their next message
        QVERIFY(ask(u"close"_s, {u"Close the garage door?"_s}));
        QVERIFY(ask(u"temp"_s, {u"Temperature"_s}));
        const auto cancelled = ask(u"yes"_s, {u"Nothing to confirm"_s, u"Closing"_s});
        QVERIFY(cancelled);
        QCOMPARE(cancelled->body, u"Nothing to confirm: send 'open' or 'close' first."_s);
        QCOMPARE(presses(), before);
    }
};

QTEST_GUILESS_MAIN(TestDoorControl)
#include "tst_DoorControl.moc"
