// Appliances on one account relay to each other (issue 13), against a real Prosody on loopback and a real
// independent client (slixmpp) as the owner's phone: every appliance is reachable by its keyword whether the server
// delivers a bare-JID message to everyone (equal priorities) or to the highest priority only, and whichever resource
// the phone writes to; each command runs once and is answered once; a bare command without a name gets exactly one
// hint; an appliance that went offline is said to be; a resumed stream keeps the siblings; forwarded wrappers are trusted only from our own account and
// only with an owner inside, and a relayed command is never relayed again.
#include "Phone.h"
#include "ProsodyServer.h"
#include "TcpProxy.h"
#include "xmpp/XmppLink.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace garage;
using namespace garage::test;

namespace {

// c2s 25350-25359 and https 25392-25399 are this suite's (other suites use other ports)
constexpr quint16 kPort = 25350;
constexpr quint16 kHttps = 25392;
constexpr int kQuietMs = 5000; // replies are counted after this long without waiting for anything

ProsodyServer::Options serverOptions()
{
    ProsodyServer::Options o;
    o.c2sPort = kPort;
    o.httpsPort = kHttps;
    o.httpUpload = false; // no pictures here
    o.accounts = {{QStringLiteral("home"), QStringLiteral("appliance-pw")}, {QStringLiteral("me"), QStringLiteral("phone-pw")},
                  {QStringLiteral("eve"), QStringLiteral("eve-pw")}};
    return o;
}

QString xmlEscaped(const QString &text)
{
    return text.toHtmlEscaped();
}

} // namespace

class TestRelay : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_storage;
    std::unique_ptr<ProsodyServer> m_server;
    std::map<QString, std::unique_ptr<XmppLink>> m_links; // by keyword
    std::map<QString, int> m_executed;                    // `status` runs, by keyword
    std::unique_ptr<Phone> m_phone;

    QString bare() const { return m_server->jid(QStringLiteral("home")); }
    QString full(const QString &resource) const { return bare() + QLatin1Char('/') + resource; }
    XmppLink &link(const QString &keyword) { return *m_links.at(keyword); }

    bool startServer()
    {
        m_server = std::make_unique<ProsodyServer>(serverOptions());
        QString error;
        if (!m_server->start(&error)) {
            qWarning().noquote() << "Prosody did not start:" << error;
            return false;
        }
        return true;
    }

    // An appliance with a `status` command that answers "<keyword> is fine" and counts its runs.
    void startAppliance(const QString &keyword, int priority, const QString &resource = {}, quint16 port = 0)
    {
        XmppConfig c;
        c.jid = bare();
        c.password = QStringLiteral("appliance-pw");
        c.resource = resource.isEmpty() ? keyword : resource;
        c.keyword = keyword;
        c.priority = priority;
        c.host = QStringLiteral("127.0.0.1");
        c.port = port ? port : m_server->port();
        c.caFile = m_server->caFile();
        c.owners = {m_server->jid(QStringLiteral("me"))};
        c.commandsPerMinute = 1000;
        auto link = std::make_unique<XmppLink>(c, m_storage.filePath(keyword + QString::number(m_links.size())));
        link->commands().add(QStringLiteral("status"), {}, QStringLiteral("state"),
                             [this, keyword](const CommandRequest &r, const Replier &reply) {
                                 ++m_executed[keyword];
                                 reply.text(keyword + QStringLiteral(" is fine ") + r.arguments);
                             });
        link->start();
        m_links[keyword] = std::move(link);
    }

    // Every appliance connected and seeing all the others (their presences).
    bool allKnowEachOther()
    {
        for (const auto &[keyword, link] : m_links)
            if (!link->isConnected() || link->siblings().size() != qsizetype(m_links.size() - 1))
                return false;
        return true;
    }

    bool startPhone()
    {
        m_phone = std::make_unique<Phone>();
        QString error;
        if (!m_phone->start(m_server->jid(QStringLiteral("me")), QStringLiteral("phone-pw"), *m_server, &error)) {
            qWarning().noquote() << error;
            return false;
        }
        return true;
    }

    // The reply of `status` from the appliance with this keyword, from its full JID.
    std::function<bool(const PhoneMessage &)> statusFrom(const QString &keyword, const QString &resource = {})
    {
        const QString from = full(resource.isEmpty() ? keyword : resource);
        const QString body = QStringLiteral("[%1] %1 is fine ").arg(keyword);
        return [from, body](const PhoneMessage &m) { return m.from == from && m.body == body; };
    }

    static bool isHint(const PhoneMessage &m) { return m.body.startsWith(QLatin1String("Several systems share this account")); }

    // A XEP-0297 wrapper as a sibling would send it, carrying an owner's message (or anyone's).
    QString wrapper(const QString &to, const QString &innerFrom, const QString &body, const QString &id) const
    {
        return QStringLiteral("<message to='%1' type='chat' id='w-%2'><forwarded xmlns='urn:xmpp:forward:0'>"
                              "<delay xmlns='urn:xmpp:delay' stamp='%3'/>"
                              "<message xmlns='jabber:client' from='%4' to='%5' id='%2' type='chat'><body>%6</body></message>"
                              "</forwarded></message>")
            .arg(to, id, QDateTime::currentDateTimeUtc().toString(Qt::ISODate), innerFrom, bare(), xmlEscaped(body));
    }

    // Sends "garage status" and "shed status" to the bare JID: each answered once, by the named appliance.
    void eachAnsweredOnceByName()
    {
        m_phone->send(bare(), QStringLiteral("garage status"));
        m_phone->send(bare(), QStringLiteral("shed status"));
        QVERIFY(m_phone->waitFor(statusFrom(QStringLiteral("garage")), 10000));
        QVERIFY(m_phone->waitFor(statusFrom(QStringLiteral("shed")), 10000));
        QCOMPARE(m_phone->countAfter([](const PhoneMessage &) { return true; }, kQuietMs), 2);
        QCOMPARE(m_executed[QStringLiteral("garage")], 1);
        QCOMPARE(m_executed[QStringLiteral("shed")], 1);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(startServer());
    }

    void cleanup()
    {
        m_phone.reset();
        m_links.clear();
        m_executed.clear();
        m_server.reset();
    }

    // The 2015 complaint: garage has priority 5, shed 0, so the server hands a bare-JID message to garage only.
    void differentPriorities()
    {
        startAppliance(QStringLiteral("garage"), 5);
        startAppliance(QStringLiteral("shed"), 0);
        QTRY_VERIFY_WITH_TIMEOUT(allKnowEachOther(), 15000);
        QVERIFY(startPhone());
        eachAnsweredOnceByName();
        QCOMPARE(link(QStringLiteral("garage")).relaysSent(), 1); // shed's command came through garage
        QCOMPARE(link(QStringLiteral("shed")).relaysSent(), 0);
        QCOMPARE(link(QStringLiteral("shed")).duplicatesDropped(), 0); // shed never got it from the server
    }

    // Equal priorities: the server hands it to both; the named one runs it, the other relays it, the copy is dropped.
    void equalPriorities()
    {
        startAppliance(QStringLiteral("garage"), 0);
        startAppliance(QStringLiteral("shed"), 0);
        QTRY_VERIFY_WITH_TIMEOUT(allKnowEachOther(), 15000);
        QVERIFY(startPhone());
        eachAnsweredOnceByName();
        QCOMPARE(link(QStringLiteral("garage")).relaysSent(), 1);
        QCOMPARE(link(QStringLiteral("shed")).relaysSent(), 1);
        QCOMPARE(link(QStringLiteral("garage")).duplicatesDropped(), 1); // received directly AND relayed
        QCOMPARE(link(QStringLiteral("shed")).duplicatesDropped(), 1);
    }

    // The phone writes to garage's full JID (the resource that wrote last).
    void phoneWritesToOneResource()
    {
        startAppliance(QStringLiteral("garage"), 0);
        startAppliance(QStringLiteral("shed"), 5);
        QTRY_VERIFY_WITH_TIMEOUT(allKnowEachOther(), 15000);
        QVERIFY(startPhone());
        m_phone->send(full(QStringLiteral("garage")), QStringLiteral("shed status"));
        QVERIFY(m_phone->waitFor(statusFrom(QStringLiteral("shed")), 10000));
        m_phone->send(full(QStringLiteral("garage")), QStringLiteral("status"));
        QVERIFY(m_phone->waitFor(statusFrom(QStringLiteral("garage")), 10000));
        QCOMPARE(m_phone->countAfter([](const PhoneMessage &) { return true; }, kQuietMs), 2);
        QCOMPARE(m_executed[QStringLiteral("garage")], 1);
        QCOMPARE(m_executed[QStringLiteral("shed")], 1);
    }

    // `status` to the bare JID with no name: exactly one hint, from the lowest name (garage), whoever got it.
    void oneHint_data()
    {
        QTest::addColumn<int>("garagePriority");
        QTest::addColumn<int>("shedPriority");
        QTest::newRow("equal: both get it") << 0 << 0;
        QTest::newRow("garage highest: the lowest name gets it") << 5 << 0;
        QTest::newRow("shed highest: the only receiver is not the lowest name") << 0 << 5;
    }
    void oneHint()
    {
        QFETCH(int, garagePriority);
        QFETCH(int, shedPriority);
        startAppliance(QStringLiteral("garage"), garagePriority);
        startAppliance(QStringLiteral("shed"), shedPriority);
        QTRY_VERIFY_WITH_TIMEOUT(allKnowEachOther(), 15000);
        QVERIFY(startPhone());
        m_phone->send(bare(), QStringLiteral("status"));
        const auto hint = m_phone->waitFor(isHint, 10000);
        QVERIFY(hint);
        QCOMPARE(hint->from, full(QStringLiteral("garage")));
        QCOMPARE(hint->body, QStringLiteral("Several systems share this account: garage, shed — start with a name, e.g. 'garage status'"));
        QCOMPARE(m_phone->countAfter([](const PhoneMessage &) { return true; }, kQuietMs), 1);
        QCOMPARE(m_executed[QStringLiteral("garage")] + m_executed[QStringLiteral("shed")], 0);
    }

    // shed is stopped: `shed status` is answered "shed is offline since HH:mm", to the bare JID, via garage's full JID,
    // and `status` written to shed's own full JID too.
    void offlineSibling()
    {
        startAppliance(QStringLiteral("garage"), 0);
        startAppliance(QStringLiteral("shed"), 0);
        QTRY_VERIFY_WITH_TIMEOUT(allKnowEachOther(), 15000);
        QVERIFY(startPhone());
        m_links.erase(QStringLiteral("shed"));
        QTRY_VERIFY_WITH_TIMEOUT(link(QStringLiteral("garage")).siblings().isEmpty(), 10000);
        const QRegularExpression offline(QStringLiteral("^shed is offline since \\d\\d:\\d\\d$"));
        m_phone->send(bare(), QStringLiteral("shed status"));
        const auto told = m_phone->waitFor([](const PhoneMessage &m) { return m.body.contains(QLatin1String("offline")); }, 10000);
        QVERIFY(told);
        QVERIFY2(offline.match(told->body).hasMatch(), qPrintable(told->body));
        QCOMPARE(told->from, full(QStringLiteral("garage")));
        m_phone->send(full(QStringLiteral("garage")), QStringLiteral("shed status"));
        QTRY_COMPARE_WITH_TIMEOUT(m_phone->messages().size(), 2, 10000);
        QVERIFY2(offline.match(m_phone->messages().last().body).hasMatch(), qPrintable(m_phone->messages().last().body));
        // the phone still writes to shed's resource: the server hands it to garage, which says shed is gone
        m_phone->send(full(QStringLiteral("shed")), QStringLiteral("status"));
        QTRY_COMPARE_WITH_TIMEOUT(m_phone->messages().size(), 3, 10000);
        QVERIFY2(offline.match(m_phone->messages().last().body).hasMatch(), qPrintable(m_phone->messages().last().body));
        QCOMPARE(m_phone->countAfter([](const PhoneMessage &) { return true; }, 2000), 3);
        // garage alone now: a command without a name is its own again
        m_phone->send(bare(), QStringLiteral("status"));
        QVERIFY(m_phone->waitFor([](const PhoneMessage &m) { return m.body == QLatin1String("garage is fine "); }, 10000));
    }

    // garage 5, shed 0, sprinkler 5 under the resource "pump" (its keyword comes from its presence): each reachable
    // by its keyword, once; one hint; `help` lists who is online.
    void threeAppliances()
    {
        startAppliance(QStringLiteral("garage"), 5);
        startAppliance(QStringLiteral("shed"), 0);
        startAppliance(QStringLiteral("sprinkler"), 5, QStringLiteral("pump"));
        QTRY_VERIFY_WITH_TIMEOUT(allKnowEachOther(), 15000);
        QVERIFY(startPhone());
        m_phone->send(bare(), QStringLiteral("garage status"));
        m_phone->send(bare(), QStringLiteral("shed status"));
        m_phone->send(bare(), QStringLiteral("sprinkler status"));
        m_phone->send(bare(), QStringLiteral("status"));
        m_phone->send(full(QStringLiteral("shed")), QStringLiteral("sprinkler status again"));
        QVERIFY(m_phone->waitFor(statusFrom(QStringLiteral("garage")), 10000));
        QVERIFY(m_phone->waitFor(statusFrom(QStringLiteral("shed")), 10000));
        QVERIFY(m_phone->waitFor(statusFrom(QStringLiteral("sprinkler"), QStringLiteral("pump")), 10000));
        QVERIFY(m_phone->waitFor([](const PhoneMessage &m) { return m.body == QLatin1String("[sprinkler] sprinkler is fine again"); }, 10000));
        QVERIFY(m_phone->waitFor(isHint, 10000));
        QCOMPARE(m_phone->countAfter([](const PhoneMessage &) { return true; }, kQuietMs), 5);
        QCOMPARE(m_phone->countAfter(isHint, 0), 1);
        QCOMPARE(m_executed[QStringLiteral("garage")], 1);
        QCOMPARE(m_executed[QStringLiteral("shed")], 1);
        QCOMPARE(m_executed[QStringLiteral("sprinkler")], 2);

        m_phone->send(bare(), QStringLiteral("shed help"));
        const auto help = m_phone->waitFor([](const PhoneMessage &m) { return m.body.contains(QLatin1String("Appliances online")); }, 10000);
        QVERIFY(help);
        QVERIFY2(help->body.contains(QStringLiteral("Appliances online on this account: garage, shed (this one), sprinkler")),
                 qPrintable(help->body));
        QCOMPARE(help->from, full(QStringLiteral("shed")));
    }

    // garage's connection breaks and its XEP-0198 stream is resumed: the server does not send the siblings' presences
    // again, so garage must still know shed and relay to it.
    void relaysAfterAResumedStream()
    {
        TcpProxy proxy(QHostAddress::LocalHost, kPort);
        QString error;
        QVERIFY2(proxy.listen(&error), qPrintable(error));
        startAppliance(QStringLiteral("garage"), 5, {}, proxy.port());
        startAppliance(QStringLiteral("shed"), 0);
        QTRY_VERIFY_WITH_TIMEOUT(allKnowEachOther(), 15000);
        QVERIFY(startPhone());
        proxy.cut();
        QTRY_VERIFY_WITH_TIMEOUT(!link(QStringLiteral("garage")).isConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(link(QStringLiteral("garage")).isConnected(), 30000);
        QVERIFY2(link(QStringLiteral("garage")).isStreamResumed(), "garage logged in again instead of resuming");
        QCOMPARE(link(QStringLiteral("garage")).siblings(), QStringList{QStringLiteral("shed")});
        eachAnsweredOnceByName();
        QCOMPARE(link(QStringLiteral("garage")).relaysSent(), 1);
    }

    // Forwarded wrappers are trusted from our own account only, with an owner inside, and are never relayed again.
    void trust()
    {
        startAppliance(QStringLiteral("garage"), 0);
        startAppliance(QStringLiteral("shed"), 0);
        QTRY_VERIFY_WITH_TIMEOUT(allKnowEachOther(), 15000);
        QVERIFY(startPhone());
        QString error;
        Phone eve;
        QVERIFY2(eve.start(m_server->jid(QStringLiteral("eve")), QStringLiteral("eve-pw"), *m_server, &error), qPrintable(error));
        // a client on our own account that is no appliance: it can write any wrapper it likes
        Phone forger;
        QVERIFY2(forger.start(full(QStringLiteral("forger")), QStringLiteral("appliance-pw"), *m_server, &error), qPrintable(error));
        const QString garage = full(QStringLiteral("garage"));
        const QString owner = m_phone->jid();
        QVERIFY(owner.startsWith(m_server->jid(QStringLiteral("me")) + QLatin1Char('/')));

        // the control: a wrapper from our account with the owner inside runs, and the answer goes to the owner
        forger.sendRaw(wrapper(garage, owner, QStringLiteral("garage status control"), QStringLiteral("t1")));
        QVERIFY(m_phone->waitFor([](const PhoneMessage &m) { return m.body == QLatin1String("[garage] garage is fine control"); }, 10000));
        QCOMPARE(m_executed[QStringLiteral("garage")], 1);

        eve.sendRaw(wrapper(garage, owner, QStringLiteral("garage status from a stranger"), QStringLiteral("t2")));
        m_phone->sendRaw(wrapper(garage, owner, QStringLiteral("garage status from the owner"), QStringLiteral("t3")));
        forger.sendRaw(wrapper(garage, eve.jid(), QStringLiteral("garage status eve inside"), QStringLiteral("t4")));
        forger.sendRaw(wrapper(garage, full(QStringLiteral("shed")), QStringLiteral("garage status our account inside"),
                               QStringLiteral("t5")));
        // garage must not pass a relayed command on to shed, although shed is online and named
        forger.sendRaw(wrapper(garage, owner, QStringLiteral("shed status relayed twice"), QStringLiteral("t6")));
        QCOMPARE(m_phone->countAfter([](const PhoneMessage &) { return true; }, kQuietMs), 1);
        QCOMPARE(eve.countAfter([](const PhoneMessage &) { return true; }, 0), 0);
        QCOMPARE(m_executed[QStringLiteral("garage")], 1);
        QCOMPARE(m_executed[QStringLiteral("shed")], 0);
        QCOMPARE(link(QStringLiteral("garage")).relaysSent(), 0);
        QVERIFY(link(QStringLiteral("garage")).isConnected());
    }
};

QTEST_GUILESS_MAIN(TestRelay)
#include "tst_Relay.moc"
