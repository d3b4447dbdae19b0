// What a stranger, a former owner and a flood get from the whole daemon (garage-guard with Prosody and slixmpp
// clients that record every stanza the appliance's account sends them): strangers nothing at all, not a receipt, not
// an error; a former owner loses the presence; an owner's flood gets a few answers and one "slow down"; and no
// password ever appears in a log line, a reply or --check-config.
#include "ClipWriter.h"
#include "GuardProcess.h"
#include "Phone.h"
#include "ProsodyServer.h"
#include "TestUtils.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

using namespace garage;
using namespace garage::test;
using namespace Qt::StringLiterals;

namespace {

// c2s 25370-25379 and https 25394 are this suite's (other suites use other ports)
constexpr quint16 kPort = 25370;
constexpr quint16 kHttps = 25394;
const QString kXmppPassword = u"sTr4ngeRs-xmpp-pw"_s;
const QString kCameraPassword = u"cAm3ra-s3cret"_s;

bool sanitized()
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#else
    return false;
#endif
}

} // namespace

class TestStrangers : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<ProsodyServer> m_server;
    Phone m_owner;    // me@: an owner
    Phone m_stranger; // eve@: never an owner
    Phone m_former;   // ex@: an owner at first, then removed from the config
    QString m_bare;
    std::unique_ptr<GuardProcess> m_guard;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // The daemon with `owners` and the command limit; extra sections after [xmpp].
    GuardProcess &startGuard(const QString &owners, int perMinute, const QByteArray &sections = {},
                             const QByteArray &xmppExtra = {})
    {
        if (m_guard)
            m_guard->stop();
        m_guard = std::make_unique<GuardProcess>(path(u"gg.conf"_s));
        // no video device here: without a camera in the test, its loss is not news
        QByteArray config = GuardProcess::config(*m_server, u"home"_s, kXmppPassword,
                                                 xmppExtra + (sections.isEmpty() ? "[alerts]\ncamera_lost_seconds = 3600\n" : sections));
        config.replace(QByteArray("\nowners = " + m_server->jid(u"me"_s).toUtf8() + '\n'), QByteArray("\nowners = " + owners.toUtf8() + '\n'));
        config.replace("commands_per_minute = 120", QByteArray("commands_per_minute = " + QByteArray::number(perMinute)));
        writeFile(path(u"gg.conf"_s), config);
        return *m_guard;
    }

    void dump(bool withLog)
    {
        for (const PhoneMessage &m : m_owner.messages())
            qInfo().noquote() << "owner got:" << m.body.left(200) << m.oobUrl;
        for (const PhoneStanza &s : m_stranger.stanzas())
            qInfo().noquote() << "stranger got:" << s.xml;
        if (withLog && m_guard)
            qWarning().noquote() << m_guard->log().right(20000);
    }

    // The owner asks for disco#info and waits for its answer: the daemon has read everything routed to it before.
    bool ownerRoundTrip(const QString &id)
    {
        m_owner.sendRaw(u"<iq to='%1/garage' id='%2' type='get'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"_s
                            .arg(m_bare, id));
        return m_owner.waitForStanza([&](const PhoneStanza &s) { return s.id == id; }, 120000).has_value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        ProsodyServer::Options options;
        options.c2sPort = kPort;
        options.httpsPort = kHttps;
        options.accounts = {{u"home"_s, kXmppPassword}, {u"me"_s, u"st-phone"_s}, {u"eve"_s, u"st-eve"_s},
                            {u"ex"_s, u"st-ex"_s}};
        m_server = std::make_unique<ProsodyServer>(options);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_bare = m_server->jid(u"home"_s);
        QVERIFY2(m_owner.start(m_server->jid(u"me"_s), u"st-phone"_s, *m_server, &error, m_bare), qPrintable(error));
        QVERIFY2(m_stranger.start(m_server->jid(u"eve"_s), u"st-eve"_s, *m_server, &error, m_bare), qPrintable(error));
        QVERIFY2(m_former.start(m_server->jid(u"ex"_s), u"st-ex"_s, *m_server, &error, m_bare), qPrintable(error));
    }

    void init()
    {
        m_owner.clear();
        m_former.clear();
    }

    // What the appliance itself sent to a client: stanzas from its full JID (the server stamps every stanza a client
    // sends with its full JID). What comes from the bare JID is the server's answer on behalf of the account (a
    // bounce, "unavailable" to a probe), the same for every account, whether the appliance runs or not.
    QStringList fromAppliance(const Phone &phone, qsizetype since) const
    {
        QStringList got;
        for (qsizetype i = since; i < phone.stanzas().size(); ++i)
            if (phone.stanzas()[i].from == m_bare + u"/garage"_s)
                got << phone.stanzas()[i].xml;
        return got;
    }

    void cleanup()
    {
        dump(QTest::currentTestFailed());
        if (m_guard)
            m_guard->stop();
        m_guard.reset();
    }

    // An owner removed from the config stops seeing the appliance's presence ("disarmed · door open") at the next
    // start: the roster follows `owners`. While ex was an owner, the presence reached ex: the control.
    void formerOwnerLosesPresence()
    {
        const QString me = m_server->jid(u"me"_s), ex = m_server->jid(u"ex"_s);
        QString error;
        QVERIFY2(startGuard(me + u", "_s + ex, 120).start(&error), qPrintable(error));
        m_former.subscribe(m_bare);
        QVERIFY2(m_former.waitForPresence([&](const PhonePresence &p) { return p.from.startsWith(m_bare) && p.type == u"subscribed"_s; },
                                          10000),
                 "the appliance did not accept an owner's subscription");
        QVERIFY2(m_former.waitForPresence([&](const PhonePresence &p) { return p.from == m_bare + u"/garage"_s && p.type != u"unavailable"_s; },
                                          10000),
                 "an owner did not get the appliance's presence");

        // ex is no owner any more
        QVERIFY2(startGuard(me, 120).start(&error), qPrintable(error));
        QVERIFY2(m_guard->waitForLog(QByteArray("removed " + ex.toUtf8() + " from the roster"), 10000), m_guard->log().constData());
        QVERIFY2(m_former.waitForPresence([&](const PhonePresence &p) { return p.from.startsWith(m_bare) && p.type == u"unsubscribed"_s; },
                                          10000),
                 "the former owner was not unsubscribed");
        const qsizetype presencesBefore = m_former.presences().size();
        // a change of the status line (arming) is a new presence: the owner sees it, the former owner does not
        QVERIFY(ask(m_owner, m_bare, u"arm"_s, {u"Armed"_s}));
        QVERIFY2(m_owner.waitForPresence([&](const PhonePresence &p) { return p.from == m_bare + u"/garage"_s && p.status.contains(u"armed"_s); },
                                         10000),
                 "the owner did not see the new status line");
        QTest::qWait(1000); // stragglers to the former owner would have arrived with the owner's
        // what may still come is the end of the subscription (unsubscribe, unsubscribed, unavailable), never a status
        const QStringList ending{u"unavailable"_s, u"unsubscribe"_s, u"unsubscribed"_s};
        for (qsizetype i = presencesBefore; i < m_former.presences().size(); ++i) {
            const PhonePresence p = m_former.presences()[i];
            QVERIFY2(!p.from.startsWith(m_bare) || ending.contains(p.type),
                     qPrintable(u"the former owner still gets the presence: %1 '%2'"_s.arg(p.type, p.status)));
        }
        // and ex's commands are a stranger's: no answer
        m_former.send(m_bare, u"status"_s);
        QVERIFY(ask(m_owner, m_bare, u"status"_s, {u"garage: "_s}));
        QCOMPARE(m_former.countAfter([&](const PhoneMessage &m) { return m.from.startsWith(m_bare); }, 1000), 0);
    }

    // A stranger asks everything a curious client asks, to the full and the bare JID: receipts, version, time, disco,
    // ping, vCard, last activity, a roster set, a presence probe, a subscription. Not one stanza comes back. The owner
    // asks the same (the control): the owner is answered, with a minimal disco and no version or time.
    void strangerGetsNothing()
    {
        QString error;
        QVERIFY2(startGuard(m_server->jid(u"me"_s), 120).start(&error), qPrintable(error));
        const qsizetype strangerBefore = m_stranger.stanzas().size();
        QCOMPARE(m_stranger.probe(m_bare + u"/garage"_s).size(), 11);
        QCOMPARE(m_stranger.probe(m_bare).size(), 11);
        m_stranger.send(m_bare, u"status"_s);
        m_stranger.send(m_bare + u"/garage"_s, u"snapshot"_s);
        QVERIFY(m_stranger.sync());
        QVERIFY2(m_guard->waitForLog(QByteArray("ignoring stanzas from " + m_server->jid(u"eve"_s).toUtf8() + " (not an owner)"), 10000),
                 "the daemon did not say why the stranger got nothing");

        // the control: the owner's same probes are answered
        const qsizetype ownerBefore = m_owner.stanzas().size();
        QCOMPARE(m_owner.probe(m_bare + u"/garage"_s).size(), 11);
        const auto disco = m_owner.waitForStanza([](const PhoneStanza &s) { return s.id == u"probe-disco-info"_s; }, 10000);
        QVERIFY2(disco, "the owner's disco#info got no answer");
        QCOMPARE(disco->type, u"result"_s);
        QVERIFY2(disco->xml.contains(u"garage-guard"_s) && disco->xml.contains(u"type=\"bot\""_s), qPrintable(disco->xml));
        QVERIFY2(!disco->xml.contains(u"jabber:iq:version"_s) && !disco->xml.contains(u"urn:xmpp:time"_s)
                     && !disco->xml.contains(u"urn:xmpp:receipts"_s),
                 qPrintable(disco->xml));
        const auto version = m_owner.waitForStanza([](const PhoneStanza &s) { return s.id == u"probe-version"_s; }, 10000);
        QVERIFY2(version && version->type == u"error"_s, "the owner's version query was not refused");
        const auto time = m_owner.waitForStanza([](const PhoneStanza &s) { return s.id == u"probe-time"_s; }, 10000);
        QVERIFY2(time && time->type == u"error"_s, "the owner's time query was not refused");
        QVERIFY2(m_owner.waitFor([&](const PhoneMessage &m) { return m.from.startsWith(m_bare) && m.body.startsWith(u"garage: "_s); }, 10000),
                 "the owner's status got no answer");
        QTest::qWait(1000); // anything still on its way to the stranger would come with the owner's answers
        for (qsizetype i = ownerBefore; i < m_owner.stanzas().size(); ++i)
            QVERIFY2(!m_owner.stanzas()[i].xml.contains(u"urn:xmpp:receipts"_s) || !m_owner.stanzas()[i].xml.contains(u"received"_s),
                     "a receipt was sent (the receipt manager answers anyone)");
        const QStringList got = fromAppliance(m_stranger, strangerBefore);
        QVERIFY2(got.isEmpty(), qPrintable(u"the stranger got %1 stanzas: %2"_s.arg(got.size()).arg(got.join(u"\n"_s))));
        // the control for the check above: the owner's probes to the same JID were answered from it
        QVERIFY2(fromAppliance(m_owner, ownerBefore).size() >= 8, qPrintable(fromAppliance(m_owner, ownerBefore).join(u"\n"_s)));
    }

    // 10,000 random messages from the owner and 10,000 from a stranger at once: sizes up to 64 KiB, every script,
    // control characters, every message type, a third with old delay stamps. The daemon survives, the stranger gets
    // nothing, the owner gets at most the limit's answers and one "slow down" per minute, and the memory, threads
    // and descriptors are printed before and after.
    void floodFromOwnerAndStranger()
    {
        constexpr int kPerMinute = 20;
        QString error;
        QVERIFY2(startGuard(m_server->jid(u"me"_s), kPerMinute).start(&error), qPrintable(error));
        const qint64 pid = m_guard->pid();
        QElapsedTimer elapsed; // the limit's windows count from the first message
        elapsed.start();
        const qsizetype strangerBefore = m_stranger.stanzas().size();
        const QStringList targets{m_bare, m_bare + u"/garage"_s, m_bare + u"/shed"_s};
        // warm-up: the first thousand of each grow the parser's and the allocator's pools once
        QVERIFY(m_owner.flood(targets, 1000, 7) > 0);
        QVERIFY(m_stranger.flood(targets, 1000, 8) > 0);
        QVERIFY(m_owner.sync() && m_stranger.sync());
        QVERIFY2(ownerRoundTrip(u"warm"_s), "the daemon did not answer after the warm-up");
        const ProcessFootprint before = processFootprint(pid);

        const qint64 ownerBytes = m_owner.flood(targets, 10000, 1);
        const qint64 strangerBytes = m_stranger.flood(targets, 10000, 2);
        QVERIFY(ownerBytes > 0 && strangerBytes > 0);
        QVERIFY(m_owner.sync() && m_stranger.sync());
        QVERIFY2(ownerRoundTrip(u"after"_s), "the daemon did not answer after the flood");
        const qint64 seconds = elapsed.elapsed() / 1000;
        QVERIFY2(m_guard->isRunning(), m_guard->log().right(4000).constData());
        const ProcessFootprint after = processFootprint(pid);
        qInfo().noquote() << u"flood: %1 + %2 MB in %3 s; RSS %4 -> %5 KiB (%6 KiB), threads %7 -> %8, descriptors %9 -> %10%11"_s
                                 .arg(ownerBytes / 1000000).arg(strangerBytes / 1000000).arg(seconds)
                                 .arg(before.rssKiB).arg(after.rssKiB).arg(after.rssKiB - before.rssKiB)
                                 .arg(before.threads).arg(after.threads).arg(before.descriptors).arg(after.descriptors)
                                 .arg(sanitized() ? u" (ASan: freed memory is quarantined, RSS is not the daemon's)"_s : QString());

        const int windows = int(seconds / 60) + 1;
        const auto appliance = [&](const PhoneMessage &m) { return m.from.startsWith(m_bare); };
        const int answers = m_owner.countAfter(appliance, 2000);
        const int slowDowns = m_owner.countAfter([&](const PhoneMessage &m) { return appliance(m) && m.body.contains(u"Slow down"_s); }, 0);
        qInfo() << "owner: " << answers << "answers," << slowDowns << "'slow down' over" << seconds << "s";
        QVERIFY2(slowDowns >= 1 && slowDowns <= windows, qPrintable(u"%1 'slow down' in %2 s"_s.arg(slowDowns).arg(seconds)));
        QVERIFY2(answers <= windows * (kPerMinute + 1), qPrintable(u"%1 answers in %2 s"_s.arg(answers).arg(seconds)));
        QVERIFY2(m_guard->log().contains(QByteArray("rate limit reached for " + m_server->jid(u"me"_s).toUtf8())), "no log line for the limit");

        const QStringList got = fromAppliance(m_stranger, strangerBefore);
        QVERIFY2(got.isEmpty(), qPrintable(u"the stranger got %1 stanzas, first: %2"_s.arg(got.size()).arg(got.value(0))));
        QCOMPARE(after.threads, before.threads);
        // the journal is not flooded either: bad bodies are one line a minute
        QVERIFY2(m_guard->log().count("dropped a message from") <= 2 * windows, "a log line per dropped message");
        if (!sanitized())
            QVERIFY2(after.rssKiB - before.rssKiB < 16 * 1024,
                     qPrintable(u"RSS grew by %1 KiB over the flood"_s.arg(after.rssKiB - before.rssKiB)));
    }

    // A whole run with the secrets in play (the XMPP password, a camera URL with a password, a misspelt password key,
    // the camera lost and back, every command): neither password appears in any log line, reply or --check-config.
    void noSecretInLogsOrReplies()
    {
        QDir().mkpath(path(u"frames"_s));
        const cv::Mat frame = garageBackground({320, 240});
        QVERIFY(cv::imwrite(path(u"frames/a.jpg"_s).toStdString(), frame));
        CameraServer camera(path(u"frames"_s), 5);
        const quint16 port = CameraServer::freePort();
        QVERIFY(camera.start(port));
        const QByteArray cameraUrl = "http://viewer:" + kCameraPassword.toUtf8() + "@127.0.0.1:" + QByteArray::number(port)
                                     + "/stream.mjpg";
        GuardProcess &gg = startGuard(m_server->jid(u"me"_s), 120,
                                      "[camera]\nsource = " + cameraUrl + "\n[alerts]\ncamera_lost_seconds = 2\n"
                                      "[storage]\ndir = " + path(u"state-secrets"_s).toUtf8() + "\n",
                                      "pasword = " + kXmppPassword.toUtf8() + "\n");
        QString error;
        QVERIFY2(gg.start(&error), qPrintable(error));
        QStringList replies;
        for (const QString &command : {u"help"_s, u"status"_s, u"snapshot"_s, u"events"_s, u"arm"_s, u"disarm"_s})
            if (auto r = ask(m_owner, m_bare, command, {QString()}))
                replies << r->body;
        QVERIFY2(replies.size() == 6, "a command got no answer");
        camera.kill();
        QVERIFY2(m_owner.waitFor([](const PhoneMessage &m) { return m.body.startsWith(u"Camera lost"_s); }, 20000),
                 "the camera's loss was not reported");
        if (auto r = ask(m_owner, m_bare, u"status"_s, {u"garage: "_s}))
            replies << r->body;
        QVERIFY(camera.start(port));
        QVERIFY2(m_owner.waitFor([](const PhoneMessage &m) { return m.body.startsWith(u"Camera back"_s); }, 30000),
                 "the camera's return was not reported");
        QVERIFY(gg.stop());

        const ProcessResult check = runTool(u"garage-guard"_s, {u"--check-config"_s, u"--config"_s, path(u"gg.conf"_s)});
        const QByteArray checkOutput = (check.out + check.err).toUtf8();
        QVERIFY2(checkOutput.contains("viewer:***@127.0.0.1") || checkOutput.contains(QByteArray("127.0.0.1:" + QByteArray::number(port))),
                 checkOutput.constData()); // the control: the camera's address is there, masked

        QByteArray everything = gg.log() + checkOutput;
        for (const PhoneMessage &m : m_owner.messages())
            everything += m.body.toUtf8() + '\n';
        for (const QString &secret : {kXmppPassword, kCameraPassword})
            QVERIFY2(!everything.contains(secret.toUtf8()),
                     qPrintable(u"'%1' appears in: %2"_s.arg(secret,
                                QString::fromUtf8(everything.mid(std::max<qsizetype>(0, everything.indexOf(secret.toUtf8()) - 300), 400)))));
        QVERIFY2(gg.log().contains("pasword"), "the misspelt key was not named"); // its value was not shown
    }
};

QTEST_GUILESS_MAIN(TestStrangers)
#include "tst_Strangers.moc"
