// The XMPP link against a real Prosody on loopback and a real independent client (slixmpp) as the owner's phone:
// commands over full and bare JID, two appliances on one account, strangers, garbage, snapshots inline, TLS
// refusals, and alerts that survive a server outage, a broken connection (XEP-0198 resumption) and a restart; a
// server without HTTP upload; presence subscriptions for owners only.
#include "Phone.h"
#include "ProsodyServer.h"
#include "TcpProxy.h"
#include "xmpp/XmppLink.h"

#include <QDir>

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

using namespace garage;
using namespace garage::test;

namespace {

constexpr quint16 kPort = 15222;
constexpr quint16 kHttps = 15281;

ProsodyServer::Options serverOptions(bool tls = true)
{
    ProsodyServer::Options o;
    o.c2sPort = kPort;
    o.httpsPort = kHttps;
    o.tls = tls;
    o.accounts = {{QStringLiteral("home"), QStringLiteral("appliance-pw")}, {QStringLiteral("me"), QStringLiteral("phone-pw")},
                  {QStringLiteral("eve"), QStringLiteral("eve-pw")}};
    return o;
}

XmppConfig linkConfig(const ProsodyServer &server, const QString &resource)
{
    XmppConfig c;
    c.jid = server.jid(QStringLiteral("home"));
    c.password = QStringLiteral("appliance-pw");
    c.resource = resource;
    c.host = QStringLiteral("127.0.0.1");
    c.port = server.port();
    c.caFile = server.caFile();
    c.owners = {server.jid(QStringLiteral("me"))};
    c.commandsPerMinute = 1000;
    return c;
}

// A link with a "status" command that answers with its resource.
std::unique_ptr<XmppLink> startLink(const XmppConfig &config, const QString &storage)
{
    auto link = std::make_unique<XmppLink>(config, storage);
    const QString name = config.resource;
    link->commands().add(QStringLiteral("status"), {}, QStringLiteral("state"),
                         [name](const CommandRequest &r, const Replier &reply) { reply.text(name + QStringLiteral(" is fine ") + r.arguments); });
    link->commands().add(QStringLiteral("snapshot"), {}, QStringLiteral("picture"), [](const CommandRequest &, const Replier &reply) {
        cv::Mat image(240, 320, CV_8UC3, cv::Scalar(30, 140, 200));
        std::vector<uchar> jpeg;
        cv::imencode(".jpg", image, jpeg);
        reply.image(QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size())), QStringLiteral("garage now"));
    });
    link->start();
    return link;
}

bool bodyIs(const PhoneMessage &m, const QString &text)
{
    return m.body == text;
}

QString bareOf(const QString &jid)
{
    return jid.section(QLatin1Char('/'), 0, 0);
}

bool isSubscriptionAnswer(const PhonePresence &p, const QString &from)
{
    return bareOf(p.from) == from && (p.type == QLatin1String("subscribed") || p.type == QLatin1String("unsubscribed"));
}

cv::Mat decodeFile(const QString &path)
{
    return cv::imread(path.toStdString(), cv::IMREAD_COLOR);
}

} // namespace

class TestXmppLink : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_storage;
    QString storage(const QString &name) { return m_storage.filePath(name); }

private Q_SLOTS:
    void commandsOverFullAndBareJid()
    {
        ProsodyServer server(serverOptions());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        auto link = startLink(linkConfig(server, QStringLiteral("garage")), storage(QStringLiteral("a")));
        QTRY_VERIFY_WITH_TIMEOUT(link->isConnected(), 15000);
        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        phone.send(server.jid(QStringLiteral("home")) + QStringLiteral("/garage"), QStringLiteral("status full"));
        const auto full = phone.waitFor([](const PhoneMessage &m) { return m.body.startsWith(QLatin1String("garage is fine")); }, 10000);
        QVERIFY(full);
        QCOMPARE(full->body, QStringLiteral("garage is fine full"));
        QCOMPARE(full->from, server.jid(QStringLiteral("home")) + QStringLiteral("/garage"));
        phone.send(server.jid(QStringLiteral("home")), QStringLiteral("status bare"));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return bodyIs(m, QStringLiteral("garage is fine bare")); }, 10000));
        phone.send(server.jid(QStringLiteral("home")), QStringLiteral("frobnicate"));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return m.body.startsWith(QLatin1String("Unknown command 'frobnicate'")); }, 10000));
        phone.send(server.jid(QStringLiteral("home")), QStringLiteral("help"));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return m.body.contains(QStringLiteral("status — state")); }, 10000));

        // a stranger, and an owner's garbage: no crash, bounded replies, strangers get nothing
        Phone eve;
        QVERIFY2(eve.start(server.jid(QStringLiteral("eve")), QStringLiteral("eve-pw"), server, &error), qPrintable(error));
        auto *rng = QRandomGenerator::global();
        for (int i = 0; i < 1000; ++i) {
            QString body;
            const int len = rng->bounded(i % 50 == 0 ? 3000 : 40);
            for (int k = 0; k < len; ++k)
                body += QChar(char16_t(rng->bounded(0x20, 0xD7FF))); // XML-legal: C1 controls and DEL included
            if (i % 2)
                eve.send(server.jid(QStringLiteral("home")), i % 4 == 1 ? QStringLiteral("status") : body);
            else
                phone.send(server.jid(QStringLiteral("home")), body);
        }
        phone.send(server.jid(QStringLiteral("home")), QStringLiteral("status after the storm"));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return bodyIs(m, QStringLiteral("garage is fine after the storm")); }, 60000));
        QVERIFY(link->isConnected());
        QCOMPARE(eve.countAfter([](const PhoneMessage &) { return true; }, 1000), 0);
        QVERIFY(phone.messages().size() <= 504); // at most one reply per message sent
    }

    void twoAppliancesShareAnAccount()
    {
        ProsodyServer server(serverOptions());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        auto garage = startLink(linkConfig(server, QStringLiteral("garage")), storage(QStringLiteral("g")));
        auto shed = startLink(linkConfig(server, QStringLiteral("shed")), storage(QStringLiteral("s")));
        QTRY_VERIFY_WITH_TIMEOUT(garage->isConnected() && shed->isConnected(), 15000);
        // each knows the other is online (their presences), so a command without a keyword gets the hint
        QTRY_VERIFY_WITH_TIMEOUT(garage->siblings() == QStringList{QStringLiteral("shed")}, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(shed->siblings() == QStringList{QStringLiteral("garage")}, 10000);
        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        const QString bare = server.jid(QStringLiteral("home"));
        phone.send(bare, QStringLiteral("garage status"));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return bodyIs(m, QStringLiteral("[garage] garage is fine ")); }, 10000));
        phone.send(bare, QStringLiteral("Shed status"));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return bodyIs(m, QStringLiteral("[shed] shed is fine ")); }, 10000));
        phone.send(bare, QStringLiteral("status"));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return m.body.startsWith(QLatin1String("Several systems")); }, 10000));
        // exactly: one reply each, one hint, and nothing else (no loops between the appliances)
        QCOMPARE(phone.countAfter([](const PhoneMessage &) { return true; }, 2000), 3);
        QCOMPARE(phone.countAfter([](const PhoneMessage &m) { return m.body.startsWith(QLatin1String("Several")); }, 0), 1);
    }

    void snapshotArrivesInline()
    {
        ProsodyServer server(serverOptions());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        auto link = startLink(linkConfig(server, QStringLiteral("garage")), storage(QStringLiteral("snap")));
        QTRY_VERIFY_WITH_TIMEOUT(link->isConnected(), 15000);
        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        phone.send(server.jid(QStringLiteral("home")), QStringLiteral("snapshot"));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return bodyIs(m, QStringLiteral("garage now")); }, 10000));
        const auto picture = phone.waitFor([](const PhoneMessage &m) { return !m.oobUrl.isEmpty(); }, 10000);
        QVERIFY(picture);
        QCOMPARE(picture->body, picture->oobUrl); // what makes phones show it inline
        QVERIFY(picture->oobUrl.startsWith(QLatin1String("https://")));
        const auto jpeg = phone.download(picture->oobUrl);
        QVERIFY2(jpeg, qPrintable(jpeg ? QString() : jpeg.error()));
        const cv::Mat decoded = cv::imdecode(std::vector<uchar>(jpeg->begin(), jpeg->end()), cv::IMREAD_COLOR);
        QCOMPARE(decoded.cols, 320);
        QCOMPARE(decoded.rows, 240);
    }

    void tlsIsRequiredAndVerified()
    {
        {
            ProsodyServer plain(serverOptions(false));
            QString error;
            QVERIFY2(plain.start(&error), qPrintable(error));
            auto link = startLink(linkConfig(plain, QStringLiteral("garage")), storage(QStringLiteral("t1")));
            // a server without TLS is refused, and the link says why (it reached the server and gave up on TLS)
            QTRY_VERIFY_WITH_TIMEOUT(link->connectionProblem().contains(QLatin1String("(TLS is required)")), 15000);
            QVERIFY(!link->isConnected());
            QVERIFY2(link->connectionProblem().startsWith(QLatin1String("cannot connect to 127.0.0.1 port")),
                     qPrintable(link->connectionProblem()));
        }
        ProsodyServer server(serverOptions());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        XmppConfig wrong = linkConfig(server, QStringLiteral("garage"));
        wrong.caFile = server.wrongCaFile();
        auto refused = startLink(wrong, storage(QStringLiteral("t2")));
        // a certificate from a CA we do not trust: refused, and said so
        QTRY_VERIFY_WITH_TIMEOUT(refused->connectionProblem().contains(QLatin1String("certificate"), Qt::CaseInsensitive), 15000);
        QVERIFY2(!refused->isConnected(), qPrintable(refused->connectionProblem()));
        refused.reset();
        XmppConfig insecure = wrong;
        insecure.insecure = true;
        auto accepted = startLink(insecure, storage(QStringLiteral("t3")));
        QTRY_VERIFY_WITH_TIMEOUT(accepted->isConnected(), 15000);
    }

    void alertsSurviveAnOutage()
    {
        ProsodyServer server(serverOptions());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        auto link = startLink(linkConfig(server, QStringLiteral("garage")), storage(QStringLiteral("outage")));
        QTRY_VERIFY_WITH_TIMEOUT(link->isConnected(), 15000);
        QVERIFY(server.kill());
        for (int i = 1; i <= 20; ++i)
            link->alert(QStringLiteral("alert %1").arg(i));
        QTRY_VERIFY_WITH_TIMEOUT(!link->isConnected(), 30000);
        const int attempts = link->connectAttempts();
        QTRY_VERIFY_WITH_TIMEOUT(link->connectAttempts() >= attempts + 3, 30000); // refused a few times meanwhile
        QVERIFY2(link->connectionProblem().startsWith(QLatin1String("cannot connect to")), qPrintable(link->connectionProblem()));
        QVERIFY2(server.start(&error), qPrintable(error));
        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return m.body.endsWith(QLatin1String("alert 20")); }, 90000));
        QStringList got;
        for (const PhoneMessage &m : phone.messages())
            if (m.body.contains(QLatin1String("alert ")))
                got << m.body.section(QLatin1String("alert "), 1);
        got.removeDuplicates(); // at-least-once: a repeat is allowed, and marked
        QStringList expected;
        for (int i = 1; i <= 20; ++i)
            expected << QString::number(i);
        QCOMPARE(got, expected);
        QTRY_COMPARE_WITH_TIMEOUT(link->pendingAlerts(), 0, 10000);
    }

    // The TCP connection breaks (a NAT timeout, a Wi-Fi drop) while Prosody keeps the session hibernating (mod_smacks):
    // the link comes back by itself, resumes the XEP-0198 stream, and every alert reaches the phone once, in order.
    void alertsSurviveABrokenConnection()
    {
        ProsodyServer server(serverOptions());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        TcpProxy proxy(QHostAddress::LocalHost, kPort);
        QVERIFY2(proxy.listen(&error), qPrintable(error));
        XmppConfig config = linkConfig(server, QStringLiteral("garage"));
        config.port = proxy.port();
        auto link = startLink(config, storage(QStringLiteral("cut")));
        QTRY_VERIFY_WITH_TIMEOUT(link->isConnected(), 15000);
        QVERIFY(!link->isStreamResumed()); // the first connection is a new session
        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        phone.subscribe(server.jid(QStringLiteral("home")));
        QVERIFY(phone.waitForPresence([](const PhonePresence &p) { return p.type == QLatin1String("subscribed"); }, 10000));
        QSignalSpy delivered(link.get(), &XmppLink::alertDelivered);
        link->alert(QStringLiteral("alert 1"));
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 10000);

        // alert 2 is on its way when the connection breaks; 3..8 are raised while the link is cut off, and the first
        // attempts to come back are refused
        link->alert(QStringLiteral("alert 2"));
        proxy.setRefusing(true);
        proxy.cut();
        QTRY_VERIFY_WITH_TIMEOUT(!link->isConnected(), 10000);
        for (int i = 3; i <= 8; ++i)
            link->alert(QStringLiteral("alert %1").arg(i));
        link->setStatusText(QStringLiteral("changed while cut off"));
        QTRY_VERIFY_WITH_TIMEOUT(proxy.refused() >= 1, 15000);
        proxy.setRefusing(false);
        QTRY_VERIFY_WITH_TIMEOUT(link->isConnected(), 30000);
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return m.body.endsWith(QLatin1String("alert 8")); }, 30000));
        QTRY_COMPARE_WITH_TIMEOUT(link->pendingAlerts(), 0, 10000);

        // exactly once each, in order: the resumed stream carries the alert that was in flight, nothing is sent twice
        QStringList got;
        for (const PhoneMessage &m : phone.messages())
            if (m.body.contains(QLatin1String("alert ")))
                got << m.body;
        QStringList expected;
        for (int i = 1; i <= 8; ++i)
            expected << QStringLiteral("alert %1").arg(i);
        QCOMPARE(got, expected);
        QVERIFY2(link->isStreamResumed(), "the link logged in again instead of resuming its XEP-0198 stream");
        QVERIFY(link->isConnected());
        // the server kept the presence from before the break; the status changed meanwhile still reaches the owner
        QVERIFY(phone.waitForPresence([](const PhonePresence &p) { return p.status == QLatin1String("changed while cut off"); }, 10000));
    }

    // A server without XEP-0363: the owner learns why there is no picture, and the picture stays on the appliance.
    void snapshotWithoutHttpUploadIsKept()
    {
        ProsodyServer::Options options = serverOptions();
        options.httpUpload = false;
        ProsodyServer server(options);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString dir = storage(QStringLiteral("no-upload"));
        auto link = startLink(linkConfig(server, QStringLiteral("garage")), dir);
        QTRY_VERIFY_WITH_TIMEOUT(link->isConnected(), 15000);
        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        phone.send(server.jid(QStringLiteral("home")), QStringLiteral("snapshot"));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return bodyIs(m, QStringLiteral("garage now")); }, 10000));
        const auto why = phone.waitFor([](const PhoneMessage &m) { return m.body.contains(QLatin1String("XEP-0363")); }, 10000);
        QVERIFY(why);
        QVERIFY2(why->body.contains(QLatin1String("need HTTP upload")), qPrintable(why->body));
        QVERIFY2(why->body.contains(QLatin1String("kept on the appliance")), qPrintable(why->body));
        QCOMPARE(phone.countAfter([](const PhoneMessage &m) { return !m.oobUrl.isEmpty(); }, 1000), 0);
        const QFileInfoList kept = QDir(dir + QStringLiteral("/undelivered")).entryInfoList({QStringLiteral("*.jpg")}, QDir::Files);
        QCOMPARE(kept.size(), 1);
        QVERIFY2(why->body.contains(kept.first().fileName()), qPrintable(why->body)); // the owner can find it
        const cv::Mat decoded = decodeFile(kept.first().absoluteFilePath());
        QCOMPARE(decoded.cols, 320);
        QCOMPARE(decoded.rows, 240);
        QVERIFY(link->isConnected());

        // an alert's picture is not lost with the delivered alert either: kept, and the owners told where
        QFile keptFile(kept.first().absoluteFilePath());
        QVERIFY(keptFile.open(QIODevice::ReadOnly));
        const QByteArray alertPicture = keptFile.readAll();
        QVERIFY(!alertPicture.isEmpty());
        link->alert(QStringLiteral("motion with a picture"), alertPicture);
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return bodyIs(m, QStringLiteral("motion with a picture")); }, 10000));
        const auto note = phone.waitFor([](const PhoneMessage &m) { return m.body.startsWith(QLatin1String("(no picture")); }, 10000);
        QVERIFY(note);
        QTRY_COMPARE_WITH_TIMEOUT(link->pendingAlerts(), 0, 10000);
        const QFileInfoList keptNow = QDir(dir + QStringLiteral("/undelivered")).entryInfoList({QStringLiteral("*.jpg")}, QDir::Files);
        QCOMPARE(keptNow.size(), 2);
        bool named = false;
        for (const QFileInfo &f : keptNow)
            named = named || (f.fileName() != kept.first().fileName() && note->body.contains(f.fileName()));
        QVERIFY2(named, qPrintable(note->body));
    }

    // "Add contact" on the owner's phone is approved and shows the appliance's status; a stranger gets no answer at
    // all and sees nothing of it.
    void onlyOwnersMaySubscribeToPresence()
    {
        ProsodyServer server(serverOptions());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString home = server.jid(QStringLiteral("home"));
        auto link = startLink(linkConfig(server, QStringLiteral("garage")), storage(QStringLiteral("presence")));
        link->setStatusText(QStringLiteral("door closed, 12.5 °C"));
        QTRY_VERIFY_WITH_TIMEOUT(link->isConnected(), 15000);

        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        phone.subscribe(home);
        const auto answer = phone.waitForPresence([&](const PhonePresence &p) { return isSubscriptionAnswer(p, home); }, 10000);
        QVERIFY(answer);
        QCOMPARE(answer->type, QStringLiteral("subscribed"));
        const auto isStatus = [&](const QString &status) {
            return [home, status](const PhonePresence &p) {
                return p.from == home + QStringLiteral("/garage") && p.type == QLatin1String("available") && p.status == status;
            };
        };
        QVERIFY(phone.waitForPresence(isStatus(QStringLiteral("door closed, 12.5 °C")), 10000));
        link->setStatusText(QStringLiteral("door OPEN"));
        QVERIFY(phone.waitForPresence(isStatus(QStringLiteral("door OPEN")), 10000));

        Phone eve;
        QVERIFY2(eve.start(server.jid(QStringLiteral("eve")), QStringLiteral("eve-pw"), server, &error), qPrintable(error));
        eve.subscribe(home);
        // a stranger's request is swallowed unanswered (even a refusal would say that someone is there)
        QTRY_VERIFY_WITH_TIMEOUT(link->strangerStanzasIgnored() >= 1, 10000);
        link->setStatusText(QStringLiteral("door closed"));
        QVERIFY(phone.waitForPresence(isStatus(QStringLiteral("door closed")), 10000)); // the change went out...
        for (const PhonePresence &p : eve.presences()) { // ...and not to the stranger, nor any answer
            QVERIFY2(p.from != home + QStringLiteral("/garage"), qPrintable(p.type + QLatin1Char(' ') + p.status));
            QVERIFY2(bareOf(p.from) != home || p.type == QLatin1String("unavailable"), qPrintable(p.type + QLatin1Char(' ') + p.status));
        }
    }

    void outboxIsDeliveredAfterARestart()
    {
        ProsodyServer server(serverOptions());
        const QString dir = storage(QStringLiteral("restart"));
        {
            auto offline = startLink(linkConfig(server, QStringLiteral("garage")), dir); // no server yet
            offline->alert(QStringLiteral("written while offline 1"));
            offline->alert(QStringLiteral("written while offline 2"), QByteArray("not really a jpeg"));
            QCOMPARE(offline->pendingAlerts(), 2);
        } // the appliance stops (or crashes) before delivering
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        Phone phone;
        QVERIFY2(phone.start(server.jid(QStringLiteral("me")), QStringLiteral("phone-pw"), server, &error), qPrintable(error));
        auto link = startLink(linkConfig(server, QStringLiteral("garage")), dir);
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return m.body.endsWith(QLatin1String("written while offline 1")); }, 20000));
        QVERIFY(phone.waitFor([](const PhoneMessage &m) { return m.body.endsWith(QLatin1String("written while offline 2")); }, 20000));
        QTRY_COMPARE_WITH_TIMEOUT(link->pendingAlerts(), 0, 10000);
    }
};

QTEST_GUILESS_MAIN(TestXmppLink)
#include "tst_XmppLink.moc"
