// Who answers what on a shared account: every addressing rule (with relaying between appliances off, as before it
// existed, and on: execute, relay, hint, offline or ignore), each delivery case played through to exactly one answer,
// the deduplication of relayed copies, the sibling directory, the command router's filters and rate limit, and the
// durable outbox's order and survival across restarts.
#include "xmpp/Addressing.h"
#include "xmpp/CommandRouter.h"
#include "xmpp/Outbox.h"
#include "xmpp/RecentMessages.h"
#include "xmpp/SiblingDirectory.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QThreadPool>
#include <QTest>

#include <optional>

using namespace garage;
using namespace std::chrono_literals;
using Action = AddressingDecision::Action;

Q_DECLARE_METATYPE(garage::AddressingDecision::Action)

namespace {

const QString kOwnBare = QStringLiteral("home@example.org");
const QString kPhone = QStringLiteral("me@example.org/phone");

// Online siblings whose keyword is their resource.
QList<Sibling> onlineSiblings(const QStringList &resources)
{
    QList<Sibling> out;
    for (const QString &r : resources)
        out.append({r, r, 0, true, {}});
    return out;
}

// "shed" (online), "shed:off" (seen going offline at 14:02), "outbuilding=shed" (resource outbuilding, keyword shed)
QList<Sibling> siblingsFrom(const QString &spec)
{
    QList<Sibling> out;
    for (const QString &item : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = item.section(QLatin1Char(':'), 0, 0);
        const bool offline = item.section(QLatin1Char(':'), 1) == QLatin1String("off");
        const QString resource = name.section(QLatin1Char('='), 0, 0);
        const QString keyword = name.contains(QLatin1Char('=')) ? name.section(QLatin1Char('='), 1) : resource;
        out.append({resource, keyword, 0, !offline,
                    offline ? QDateTime(QDate(2026, 12, 4), QTime(14, 2)) : QDateTime()});
    }
    return out;
}

AddressingContext contextFor(const QString &resource, const QList<Sibling> &siblings, bool relay = true,
                             KeywordPolicy policy = KeywordPolicy::Auto)
{
    return {kOwnBare, resource, resource, {QStringLiteral("me@example.org")}, siblings, policy, relay};
}

QString actionName(Action a)
{
    switch (a) {
    case Action::Ignore: return QStringLiteral("ignore");
    case Action::Execute: return QStringLiteral("execute");
    case Action::Hint: return QStringLiteral("hint");
    case Action::Relay: return QStringLiteral("relay");
    case Action::Offline: return QStringLiteral("offline");
    }
    return {};
}

} // namespace

class TestAddressing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rules_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("delayed");
        QTest::addColumn<QStringList>("others");
        QTest::addColumn<int>("policy");
        QTest::addColumn<Action>("action");
        QTest::addColumn<QString>("command");
        const QString me = QStringLiteral("me@example.org/phone");
        const QString bare = QStringLiteral("home@example.org");
        const QString full = QStringLiteral("home@example.org/garage");
        const QStringList none;
        const QStringList shed{QStringLiteral("shed")};
        const int autoP = int(KeywordPolicy::Auto), always = int(KeywordPolicy::Always), never = int(KeywordPolicy::Never);
        QTest::newRow("own account") << "home@example.org/shed" << bare << "garage status" << "chat" << false << shed << autoP << Action::Ignore << "";
        QTest::newRow("own account full") << "HOME@example.org/shed" << full << "status" << "chat" << false << shed << autoP << Action::Ignore << "";
        QTest::newRow("stranger") << "eve@evil.org/x" << full << "status" << "chat" << false << none << autoP << Action::Ignore << "";
        QTest::newRow("error type") << me << full << "status" << "error" << false << none << autoP << Action::Ignore << "";
        QTest::newRow("headline") << me << full << "status" << "headline" << false << none << autoP << Action::Ignore << "";
        QTest::newRow("groupchat") << me << full << "status" << "groupchat" << false << none << autoP << Action::Ignore << "";
        QTest::newRow("no body") << me << full << "  " << "chat" << false << none << autoP << Action::Ignore << "";
        QTest::newRow("delayed disarm") << me << full << "disarm" << "chat" << true << none << autoP << Action::Ignore << "";
        QTest::newRow("full jid") << me << full << "status" << "chat" << false << shed << autoP << Action::Execute << "status";
        QTest::newRow("full jid keyword stripped") << me << full << "Garage status" << "chat" << false << shed << autoP << Action::Execute << "status";
        QTest::newRow("full jid other resource") << me << "home@example.org/shed" << "status" << "chat" << false << shed << autoP << Action::Ignore << "";
        QTest::newRow("bare keyword") << me << bare << "garage status" << "chat" << false << shed << autoP << Action::Execute << "status";
        QTest::newRow("bare keyword case colon") << me << bare << "GARAGE: mute 1h" << "chat" << false << shed << autoP << Action::Execute << "mute 1h";
        QTest::newRow("keyword needs boundary") << me << bare << "garages status" << "chat" << false << none << autoP << Action::Execute << "garages status";
        QTest::newRow("keyword alone") << me << bare << "garage" << "chat" << false << shed << autoP << Action::Execute << "";
        QTest::newRow("other keyword (relay off)") << me << bare << "shed status" << "chat" << false << shed << autoP << Action::Ignore << "";
        QTest::newRow("auto alone") << me << bare << "status" << "chat" << false << none << autoP << Action::Execute << "status";
        QTest::newRow("auto shared, lowest hints") << me << bare << "status" << "chat" << false << shed << autoP << Action::Hint << "";
        QTest::newRow("auto shared, not lowest") << me << bare << "status" << "chat" << false << QStringList{QStringLiteral("alarm")} << autoP << Action::Ignore << "";
        QTest::newRow("always alone hints") << me << bare << "status" << "chat" << false << none << always << Action::Hint << "";
        QTest::newRow("never shared") << me << bare << "status" << "chat" << false << shed << never << Action::Execute << "status";
        QTest::newRow("normal type") << me << bare << "status" << "normal" << false << none << autoP << Action::Execute << "status";
    }
    void rules()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, body);
        QFETCH(QString, type);
        QFETCH(bool, delayed);
        QFETCH(QStringList, others);
        QFETCH(int, policy);
        QFETCH(Action, action);
        QFETCH(QString, command);
        // relaying off: the rules as they were before appliances relayed to each other
        const AddressingContext context = contextFor(QStringLiteral("garage"), onlineSiblings(others), false, KeywordPolicy(policy));
        const auto d = decideAddressing({from, to, body, type, delayed, QStringLiteral("id1"), std::nullopt}, context);
        QCOMPARE(d.action, action);
        if (action == Action::Execute)
            QCOMPARE(d.command, command);
        if (action == Action::Ignore)
            QVERIFY(!d.reason.isEmpty());
        QCOMPARE(d.prefixReplies, !others.isEmpty());
    }

    void hintText()
    {
        const AddressingContext c = contextFor(QStringLiteral("garage"), siblingsFrom(QStringLiteral("shed,barn:off")));
        QCOMPARE(sharedAccountHint(c),
                 QStringLiteral("Several systems share this account: garage, shed — start with a name, e.g. 'garage status'"));
        QCOMPARE(appliancesOnline(c), QStringLiteral("Appliances online on this account: garage (this one), shed — start "
                                                     "with a name, e.g. 'shed status'"));
        QCOMPARE(appliancesOnline(contextFor(QStringLiteral("garage"), siblingsFrom(QStringLiteral("shed:off")))), QString());
        const QDateTime since(QDate(2026, 12, 4), QTime(14, 2));
        QCOMPARE(offlineText(QStringLiteral("shed"), since, since.addSecs(3600)), QStringLiteral("shed is offline since 14:02"));
        QCOMPARE(offlineText(QStringLiteral("shed"), since, since.addDays(1)),
                 QStringLiteral("shed is offline since 2026-12-04 14:02"));
    }

    // Relaying on: each rule for a message to the bare JID, to our full JID, and relayed by a sibling (XEP-0297).
    // We are garage (home@example.org/garage); the owner is me@example.org.
    void relayRules_data()
    {
        QTest::addColumn<QString>("from");     // outer sender
        QTest::addColumn<QString>("to");       // outer recipient
        QTest::addColumn<QString>("type");     // outer type
        QTest::addColumn<bool>("delayed");     // outer delay stamp
        QTest::addColumn<QString>("inner");    // forwarded: the inner sender ("" = not a wrapper)
        QTest::addColumn<QString>("body");     // the owner's body (inner body for a wrapper)
        QTest::addColumn<QString>("siblings"); // siblingsFrom() spec
        QTest::addColumn<bool>("relay");
        QTest::addColumn<Action>("action");
        QTest::addColumn<QString>("detail");   // Execute: command; Relay: resource; Offline: keyword
        const QString bare = kOwnBare, full = kOwnBare + QStringLiteral("/garage"), me = kPhone;
        const QString shedJid = kOwnBare + QStringLiteral("/shed");
        // to the bare JID: the server chose who gets it
        QTest::newRow("bare: ours") << me << bare << "chat" << false << "" << "garage status" << "shed" << true << Action::Execute << "status";
        QTest::newRow("bare: shed's, shed online") << me << bare << "chat" << false << "" << "Shed status" << "shed" << true << Action::Relay << "shed";
        QTest::newRow("bare: shed's, relay off") << me << bare << "chat" << false << "" << "shed status" << "shed" << false << Action::Ignore << "";
        QTest::newRow("bare: keyword differs from resource") << me << bare << "chat" << false << "" << "shed: status" << "outbuilding=shed" << true << Action::Relay << "outbuilding";
        QTest::newRow("bare: a resource is not a keyword") << me << bare << "chat" << false << "" << "outbuilding status" << "outbuilding=shed" << true << Action::Hint << "";
        QTest::newRow("bare: shed offline, we are lowest") << me << bare << "chat" << false << "" << "shed status" << "shed:off" << true << Action::Offline << "shed";
        QTest::newRow("bare: shed offline, alarm is lowest") << me << bare << "chat" << false << "" << "shed status" << "alarm,shed:off" << true << Action::Relay << "alarm";
        QTest::newRow("bare: shed offline, relay off, not lowest") << me << bare << "chat" << false << "" << "shed status" << "alarm,shed:off" << false << Action::Ignore << "";
        QTest::newRow("bare: no keyword, we are lowest") << me << bare << "chat" << false << "" << "status" << "shed" << true << Action::Hint << "";
        QTest::newRow("bare: no keyword, alarm is lowest") << me << bare << "chat" << false << "" << "status" << "alarm" << true << Action::Relay << "alarm";
        QTest::newRow("bare: no keyword, lowest by keyword") << me << bare << "chat" << false << "" << "status" << "aaa=zed" << true << Action::Hint << "";
        QTest::newRow("bare: no keyword, alone") << me << bare << "chat" << false << "" << "status" << "" << true << Action::Execute << "status";
        QTest::newRow("bare: no keyword, the others offline") << me << bare << "chat" << false << "" << "status" << "shed:off" << true << Action::Execute << "status";
        QTest::newRow("bare: a negative priority counts") << me << bare << "chat" << false << "" << "status" << "low" << true << Action::Hint << "";
        QTest::newRow("bare: a negative priority, relay off") << me << bare << "chat" << false << "" << "status" << "low" << false << Action::Execute << "status";
        QTest::newRow("bare: relayed to a negative priority") << me << bare << "chat" << false << "" << "low status" << "low" << true << Action::Relay << "low";
        QTest::newRow("bare: unknown name") << me << bare << "chat" << false << "" << "barn status" << "shed" << true << Action::Hint << "";
        QTest::newRow("bare: stranger") << "eve@evil.org/x" << bare << "chat" << false << "" << "shed status" << "shed" << true << Action::Ignore << "";
        QTest::newRow("bare: delayed") << me << bare << "chat" << true << "" << "shed status" << "shed" << true << Action::Ignore << "";
        // to our full JID: the phone chose us
        QTest::newRow("full: shed's") << me << full << "chat" << false << "" << "shed status" << "shed" << true << Action::Relay << "shed";
        QTest::newRow("full: shed's, shed offline") << me << full << "chat" << false << "" << "shed status" << "alarm,shed:off" << true << Action::Offline << "shed";
        QTest::newRow("full: shed's, relay off") << me << full << "chat" << false << "" << "shed status" << "shed" << false << Action::Ignore << "";
        QTest::newRow("full: no keyword") << me << full << "chat" << false << "" << "status" << "alarm" << true << Action::Execute << "status";
        QTest::newRow("full: ours") << me << full << "chat" << false << "" << "garage temp" << "shed" << true << Action::Execute << "temp";
        QTest::newRow("full: another resource") << me << shedJid << "chat" << false << "" << "status" << "shed" << true << Action::Ignore << "";
        // to a sibling's full JID: the server hands it to us only once that resource is offline
        QTest::newRow("shed's resource, shed offline") << me << shedJid << "chat" << false << "" << "status" << "shed:off" << true << Action::Offline << "shed";
        QTest::newRow("shed's resource, shed offline, alarm lowest") << me << shedJid << "chat" << false << "" << "status" << "alarm,shed:off" << true << Action::Relay << "alarm";
        QTest::newRow("shed's resource, shed offline, ours") << me << shedJid << "chat" << false << "" << "garage status" << "alarm,shed:off" << true << Action::Execute << "status";
        QTest::newRow("shed's resource, shed offline, alarm's") << me << shedJid << "chat" << false << "" << "alarm status" << "alarm,shed:off" << true << Action::Relay << "alarm";
        QTest::newRow("an unknown resource") << me << kOwnBare + QStringLiteral("/barn") << "chat" << false << "" << "status" << "shed" << true << Action::Ignore << "";
        // relayed by shed
        QTest::newRow("relayed: ours") << shedJid << full << "chat" << false << me << "garage status" << "shed" << true << Action::Execute << "status";
        QTest::newRow("relayed: no keyword") << shedJid << full << "chat" << false << me << "status" << "shed" << true << Action::Hint << "";
        QTest::newRow("relayed: no keyword, not lowest here") << shedJid << full << "chat" << false << me << "status" << "alarm,shed" << true << Action::Hint << "";
        QTest::newRow("relayed: no keyword, alone here") << shedJid << full << "chat" << false << me << "status" << "" << true << Action::Execute << "status";
        QTest::newRow("relayed: never relayed again") << shedJid << full << "chat" << false << me << "alarm status" << "alarm,shed" << true << Action::Ignore << "";
        QTest::newRow("relayed: offline keyword") << shedJid << full << "chat" << false << me << "barn status" << "shed,barn:off" << true << Action::Offline << "barn";
        QTest::newRow("relayed: relay off") << shedJid << full << "chat" << false << me << "garage status" << "shed" << false << Action::Ignore << "";
        // trust
        QTest::newRow("wrapper from a stranger") << "eve@evil.org/x" << full << "chat" << false << me << "garage status" << "shed" << true << Action::Ignore << "";
        QTest::newRow("wrapper from an owner") << me << full << "chat" << false << me << "garage status" << "shed" << true << Action::Ignore << "";
        QTest::newRow("wrapper with a stranger inside") << shedJid << full << "chat" << false << "eve@evil.org/x" << "garage status" << "shed" << true << Action::Ignore << "";
        QTest::newRow("wrapper with our account inside") << shedJid << full << "chat" << false << "home@example.org/alarm" << "garage status" << "shed" << true << Action::Ignore << "";
        QTest::newRow("wrapper without a sender inside") << shedJid << full << "chat" << false << "" << "garage status" << "shed" << true << Action::Ignore << "";
        QTest::newRow("wrapper to another resource") << shedJid << kOwnBare + QStringLiteral("/alarm") << "chat" << false << me << "garage status" << "shed" << true << Action::Ignore << "";
        QTest::newRow("wrapper from ourselves") << full << full << "chat" << false << me << "garage status" << "shed" << true << Action::Ignore << "";
        QTest::newRow("wrapper delayed (offline storage)") << shedJid << full << "chat" << true << me << "garage status" << "shed" << true << Action::Ignore << "";
        QTest::newRow("wrapper bounced (error)") << shedJid << full << "error" << false << me << "garage status" << "shed" << true << Action::Ignore << "";
        QTest::newRow("wrapper without a body") << shedJid << full << "chat" << false << me << "  " << "shed" << true << Action::Ignore << "";
    }
    void relayRules()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, type);
        QFETCH(bool, delayed);
        QFETCH(QString, inner);
        QFETCH(QString, body);
        QFETCH(QString, siblings);
        QFETCH(bool, relay);
        QFETCH(Action, action);
        QFETCH(QString, detail);
        IncomingMessage m{from, to, body, type, delayed, QStringLiteral("m1"), std::nullopt};
        const bool wrapper = !inner.isEmpty() || QByteArray(QTest::currentDataTag()).startsWith("wrapper");
        if (wrapper) {
            m.body.clear(); // a wrapper has no body of its own
            m.forwarded = ForwardedMessage{inner, kOwnBare, body, QStringLiteral("m1"), QStringLiteral("chat"),
                                           QDateTime::currentDateTimeUtc()};
        }
        QList<Sibling> others = siblingsFrom(siblings);
        for (Sibling &s : others) // "low" has a negative priority: it never gets a bare-JID message from the server
            if (s.keyword == QLatin1String("low"))
                s.priority = -1;
        const auto d = decideAddressing(m, contextFor(QStringLiteral("garage"), others, relay));
        QVERIFY2(d.action == action, qPrintable(actionName(d.action) + QStringLiteral(": ") + d.reason));
        switch (action) {
        case Action::Execute: QCOMPARE(d.command, detail); break;
        case Action::Relay: QCOMPARE(d.relayTo, detail); break;
        case Action::Offline: QCOMPARE(d.offlineKeyword, detail); break;
        case Action::Ignore: QVERIFY(!d.reason.isEmpty()); break;
        case Action::Hint: break;
        }
        if (action != Action::Ignore) {
            QCOMPARE(d.sender, kPhone); // the answer goes straight to the owner
            QCOMPARE(d.messageId, QStringLiteral("m1"));
            QCOMPARE(d.relayed, wrapper);
        }
    }

    // Every delivery case played through: the server hands the owner's message to some appliances, each decides,
    // relays reach their target, every appliance drops what it already handled. Exactly one appliance answers.
    void exactlyOneAnswer_data()
    {
        QTest::addColumn<QString>("appliances"); // name, name:off
        QTest::addColumn<QString>("receivers");  // who the server delivered it to
        QTest::addColumn<QString>("to");         // "" = the bare JID, else the resource the phone wrote to
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("answer");     // name:action
        const QString two = QStringLiteral("garage,shed"), three = QStringLiteral("garage,shed,sprinkler");
        QTest::newRow("everyone gets it: shed status") << two << two << "" << "shed status" << "m1" << "shed:execute";
        QTest::newRow("everyone gets it: garage status") << two << two << "" << "garage status" << "m1" << "garage:execute";
        QTest::newRow("everyone gets it: status") << two << two << "" << "status" << "m1" << "garage:hint";
        QTest::newRow("everyone gets it, no id: shed status") << two << two << "" << "shed status" << "" << "shed:execute";
        QTest::newRow("everyone gets it, no id: status") << two << two << "" << "status" << "" << "garage:hint";
        QTest::newRow("garage highest: shed status") << two << "garage" << "" << "shed status" << "m1" << "shed:execute";
        QTest::newRow("garage highest: status") << two << "garage" << "" << "status" << "m1" << "garage:hint";
        QTest::newRow("shed highest: garage status") << two << "shed" << "" << "garage status" << "m1" << "garage:execute";
        QTest::newRow("shed highest: status (the receiver is not the lowest)") << two << "shed" << "" << "status" << "m1" << "garage:hint";
        QTest::newRow("phone on garage: shed status") << two << "garage" << "garage" << "shed status" << "m1" << "shed:execute";
        QTest::newRow("phone on garage: status") << two << "garage" << "garage" << "status" << "m1" << "garage:execute";
        QTest::newRow("phone on shed: garage status") << two << "shed" << "shed" << "garage status" << "m1" << "garage:execute";
        QTest::newRow("three, two highest: shed status") << three << "garage,sprinkler" << "" << "shed status" << "m1" << "shed:execute";
        QTest::newRow("three, two highest: sprinkler status") << three << "garage,sprinkler" << "" << "sprinkler status" << "m1" << "sprinkler:execute";
        QTest::newRow("three, two highest: status") << three << "sprinkler,shed" << "" << "status" << "m1" << "garage:hint";
        QTest::newRow("three, everyone: status") << three << three << "" << "status" << "m1" << "garage:hint";
        QTest::newRow("shed offline, everyone: shed status") << "garage,shed:off,sprinkler" << "garage,sprinkler" << "" << "shed status" << "m1" << "garage:offline";
        QTest::newRow("shed offline, sprinkler highest: shed status") << "garage,shed:off,sprinkler" << "sprinkler" << "" << "shed status" << "m1" << "garage:offline";
        QTest::newRow("shed offline, phone still on shed: status") << "garage,shed:off,sprinkler" << "garage,sprinkler" << "shed" << "status" << "m1" << "garage:offline";
        QTest::newRow("shed offline, phone still on shed, sprinkler gets it: status") << "garage,shed:off,sprinkler" << "sprinkler" << "shed" << "status" << "m1" << "garage:offline";
        QTest::newRow("shed offline, phone still on shed: sprinkler status") << "garage,shed:off,sprinkler" << "garage,sprinkler" << "shed" << "sprinkler status" << "m1" << "sprinkler:execute";
        QTest::newRow("shed offline, phone on sprinkler: shed status") << "garage,shed:off,sprinkler" << "sprinkler" << "sprinkler" << "shed status" << "m1" << "sprinkler:offline";
    }
    void exactlyOneAnswer()
    {
        QFETCH(QString, appliances);
        QFETCH(QString, receivers);
        QFETCH(QString, to);
        QFETCH(QString, body);
        QFETCH(QString, id);
        QFETCH(QString, answer);
        const QList<Sibling> all = siblingsFrom(appliances);
        QHash<QString, RecentMessages> recent;
        const auto now = std::chrono::steady_clock::now();
        QList<QPair<QString, IncomingMessage>> queue;
        for (const QString &r : receivers.split(QLatin1Char(',')))
            queue.append({r, {kPhone, to.isEmpty() ? kOwnBare : kOwnBare + QLatin1Char('/') + to, body, QStringLiteral("chat"),
                              false, id, std::nullopt}});
        QStringList answers;
        while (!queue.isEmpty()) {
            const auto [name, message] = queue.takeFirst();
            QList<Sibling> others = all;
            others.removeIf([&](const Sibling &s) { return s.resource == name; });
            const AddressingDecision d = decideAddressing(message, contextFor(name, others));
            if (d.action == Action::Ignore || !recent[name].firstTime(d.sender, d.messageId, d.body, now))
                continue;
            if (d.action != Action::Relay) {
                answers << name + QLatin1Char(':') + actionName(d.action);
                continue;
            }
            QVERIFY2(!message.forwarded, "a relayed message was relayed again");
            IncomingMessage wrapped{kOwnBare + QLatin1Char('/') + name, kOwnBare + QLatin1Char('/') + d.relayTo, {},
                                    QStringLiteral("chat"), false, QStringLiteral("w1"),
                                    ForwardedMessage{message.from, message.to, message.body, message.id, message.type,
                                                     QDateTime::currentDateTimeUtc()}};
            queue.append({d.relayTo, wrapped});
        }
        QCOMPARE(answers, QStringList{answer});
    }

    void deduplication()
    {
        RecentMessages recent;
        const auto t0 = std::chrono::steady_clock::time_point(1000s);
        QVERIFY(recent.firstTime(kPhone, QStringLiteral("a"), QStringLiteral("shed status"), t0));
        QVERIFY(!recent.firstTime(QStringLiteral("ME@example.org/phone"), QStringLiteral("a"), QStringLiteral("shed status"), t0 + 5ms));
        QVERIFY(recent.firstTime(QStringLiteral("me@example.org/laptop"), QStringLiteral("a"), QStringLiteral("shed status"), t0));
        QVERIFY(recent.firstTime(kPhone, QStringLiteral("b"), QStringLiteral("shed status"), t0)); // another message
        QVERIFY(!recent.firstTime(kPhone, QStringLiteral("a"), QStringLiteral("other"), t0 + 59s));  // the id decides
        QVERIFY(recent.firstTime(kPhone, QStringLiteral("a"), QStringLiteral("shed status"), t0 + 61s)); // window over
        // without an id: sender, body and arrival second (the next second still matches: the relay takes a few ms)
        QVERIFY(recent.firstTime(kPhone, {}, QStringLiteral("status"), t0 + 100s + 999ms));
        QVERIFY(!recent.firstTime(kPhone, {}, QStringLiteral("status"), t0 + 101s + 10ms));
        QVERIFY(recent.firstTime(kPhone, {}, QStringLiteral("temp"), t0 + 101s + 20ms));
        QVERIFY(recent.firstTime(kPhone, {}, QStringLiteral("status"), t0 + 103s)); // said again, later: runs again
        for (int i = 0; i < 2000; ++i) // bounded memory
            recent.firstTime(kPhone, QString::number(i), QStringLiteral("x"), t0 + 200s);
        QVERIFY(recent.firstTime(kPhone, QStringLiteral("0"), QStringLiteral("x"), t0 + 200s));
    }

    void siblingDirectory()
    {
        SiblingDirectory d;
        d.online(QStringLiteral("shed"), 0, {});
        d.online(QStringLiteral("outbuilding"), -1, QStringLiteral("Barn"));
        QCOMPARE(d.onlineResources(), (QStringList{QStringLiteral("shed"), QStringLiteral("outbuilding")}));
        QCOMPARE(d.all().at(1).keyword, QStringLiteral("barn"));
        QCOMPARE(d.all().at(1).priority, -1);
        const QDateTime at(QDate(2026, 12, 4), QTime(14, 2));
        d.offline(QStringLiteral("shed"), at);
        QCOMPARE(d.onlineResources(), QStringList{QStringLiteral("outbuilding")});
        QVERIFY(!d.all().at(0).online);
        QCOMPARE(d.all().at(0).offlineSince, at);
        d.offline(QStringLiteral("shed"), at.addSecs(60)); // a second unavailable keeps the first time
        QCOMPARE(d.all().at(0).offlineSince, at);
        d.forgetOnline(); // a new session of ours: who is online is learnt again, who was offline stays known
        QCOMPARE(d.all().size(), 1);
        QCOMPARE(d.all().at(0).keyword, QStringLiteral("shed"));
        d.online(QStringLiteral("shed2"), 0, QStringLiteral("shed")); // back under another resource
        QCOMPARE(d.all().size(), 1);
        QVERIFY(d.all().at(0).online);
        QCOMPARE(d.all().at(0).resource, QStringLiteral("shed2"));
    }

    void router()
    {
        CommandRouter router(3);
        QStringList calls;
        router.add(QStringLiteral("status"), {QStringLiteral("st")}, QStringLiteral("state"),
                   [&calls](const CommandRequest &r, const Replier &) { calls << r.name + QLatin1Char('|') + r.arguments; });
        router.add(QStringLiteral("mute"), {}, QStringLiteral("mute"),
                   [&calls](const CommandRequest &r, const Replier &) { calls << r.name + QLatin1Char('|') + r.arguments; });
        const auto t0 = std::chrono::steady_clock::now();
        const Replier nobody; // replies go nowhere in this unit test
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("  STATUS "), nobody, t0));
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("mute   2h"), nobody, t0));
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("st"), nobody, t0));
        QCOMPARE(calls, (QStringList{QStringLiteral("status|"), QStringLiteral("mute|2h"), QStringLiteral("status|")}));
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("status"), nobody, t0)); // "slow down" once
        QVERIFY(!router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("status"), nobody, t0)); // then silence
        QCOMPARE(calls.size(), 3);
        QVERIFY(router.dispatch(QStringLiteral("me@x/other"), QStringLiteral("status"), nobody, t0 + std::chrono::seconds(61)));
        QCOMPARE(calls.size(), 4);
        QVERIFY(!router.dispatch(QStringLiteral("wife@x/p"), QString(2000, QLatin1Char('a')), nobody, t0));
        QVERIFY(!router.dispatch(QStringLiteral("wife@x/p"), QStringLiteral("status\x07"), nobody, t0));
        QCOMPARE(calls.size(), 4);
        QVERIFY(router.helpText().contains(QStringLiteral("status (st) — state")));
        QVERIFY(!router.helpText().contains(QLatin1String("Appliances")));
        router.setHelpAppendix([] { return QStringLiteral("Appliances online on this account: garage (this one), shed"); });
        QVERIFY(router.helpText().endsWith(QStringLiteral("help — this list\n\nAppliances online on this account: garage (this one), shed")));
    }

    // Every message taken as a command reaches the observer first (known, unknown, help), with when it was received;
    // dropped and rate-limited ones do not (door control cancels a pending 'yes' question on the owner's next message).
    void routerObserverSeesEveryCommand()
    {
        CommandRouter router(3);
        QStringList seen;
        QStringList run;
        router.setObserver([&seen](const CommandRequest &r) {
            seen << r.name + QLatin1Char('|') + r.sender + QLatin1Char('|') + r.receivedAt.toString(Qt::ISODate);
        });
        router.add(QStringLiteral("yes"), {}, QStringLiteral("confirm"),
                   [&run](const CommandRequest &r, const Replier &) { run << r.name + QLatin1Char('|') + r.receivedAt.toString(Qt::ISODate); });
        const auto t0 = std::chrono::steady_clock::now();
        const QDateTime at(QDate(2026, 12, 5), QTime(7, 0), QTimeZone::UTC);
        const Replier nobody;
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("Yes"), nobody, t0, at));
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("status"), nobody, t0, at));
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("help"), nobody, t0));
        QVERIFY(!router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("yes\x07"), nobody, t0)); // dropped
        QVERIFY(router.dispatch(QStringLiteral("me@x/p"), QStringLiteral("yes"), nobody, t0)); // "slow down"
        QCOMPARE(seen, (QStringList{QStringLiteral("yes|me@x/p|2026-12-05T07:00:00Z"), QStringLiteral("status|me@x/p|2026-12-05T07:00:00Z"),
                                    QStringLiteral("help|me@x/p|")}));
        QCOMPARE(run, QStringList{QStringLiteral("yes|2026-12-05T07:00:00Z")});
    }

    void outboxKeepsOrderAcrossRestarts()
    {
        QTemporaryDir dir;
        QThreadPool writer;
        writer.setMaxThreadCount(1);
        const QStringList owners{QStringLiteral("me@x"), QStringLiteral("wife@x")};
        const auto entry = [&](const QString &text) {
            OutboxEntry e;
            e.text = text;
            e.owners = owners;
            return e;
        };
        {
            Outbox box(dir.path(), &writer);
            QString error;
            QVERIFY(box.open(owners, &error));
            box.add(entry(QStringLiteral("one")), {});
            const OutboxEntry two = box.add(entry(QStringLiteral("two")), QByteArray("\xff\xd8picture", 9));
            box.add(entry(QStringLiteral("three")), {});
            OutboxEntry first = *box.find(1);
            first.owners.removeAll(QStringLiteral("me@x")); // delivered to one owner only
            first.attempts = 1;
            *box.find(1) = first;
            box.save(first);
            box.remove(3);
            QVERIFY(two.picturePending());
            QCOMPARE(box.entries().size(), 2); // the list in memory is the truth at once
        } // the outbox waits for its writes
        Outbox reopened(dir.path(), &writer);
        QString error;
        QVERIFY(reopened.open(owners, &error));
        const auto pending = reopened.entries();
        QCOMPARE(pending.size(), 2);
        QCOMPARE(pending[0].text, QStringLiteral("one"));
        QCOMPARE(pending[0].owners, QStringList{QStringLiteral("wife@x")}); // not resent to the owner who has it
        QVERIFY(pending[0].mayRepeat);
        QCOMPARE(pending[1].text, QStringLiteral("two"));
        QVERIFY(pending[1].picturePending());
        QVERIFY(!pending[0].id.isEmpty());
        QVERIFY(pending[0].id != pending[1].id);
        std::optional<std::expected<QByteArray, QString>> picture;
        reopened.readPicture(pending[1], [&](std::expected<QByteArray, QString> bytes) { picture = bytes; });
        QTRY_VERIFY(picture.has_value());
        QCOMPARE(picture->value(), QByteArray("\xff\xd8picture", 9));
        QCOMPARE(reopened.add(entry(QStringLiteral("four")), {}).seq, 3); // after the last one left
        OutboxEntry gone = pending[0];
        gone.picture = QStringLiteral("snapshots/none.jpg");
        picture.reset();
        reopened.readPicture(gone, [&](std::expected<QByteArray, QString> bytes) { picture = bytes; });
        QTRY_VERIFY(picture.has_value());
        QVERIFY(!picture->has_value());
        QVERIFY2(picture->error().contains(QLatin1String("snapshots/none.jpg is gone")), qPrintable(picture->error()));
    }

    // A write that fails (the outbox directory replaced by a file, as a read-only or broken card would) is reported
    // once per failure streak, the alert stays in memory, and a write that works again is reported too.
    void outboxWriteFailuresAreReported()
    {
        QTemporaryDir dir;
        QThreadPool writer;
        writer.setMaxThreadCount(1);
        Outbox box(dir.path(), &writer);
        QString error;
        QVERIFY(box.open({QStringLiteral("me@x")}, &error));
        QSignalSpy failed(&box, &Outbox::storageFailed);
        QSignalSpy recovered(&box, &Outbox::storageRecovered);
        QVERIFY(QDir(dir.path()).rmdir(QStringLiteral("outbox")));
        QFile blocker(dir.filePath(QStringLiteral("outbox")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        OutboxEntry e;
        e.text = QStringLiteral("door open");
        e.owners = {QStringLiteral("me@x")};
        box.add(e, {});
        box.add(e, {});
        QTRY_COMPARE(failed.size(), 1);
        writer.waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(failed.size(), 1); // once per streak
        QVERIFY2(failed.first().first().toString().contains(QLatin1String("cannot write")), qPrintable(failed.first().first().toString()));
        QCOMPARE(box.entries().size(), 2);
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("outbox"))));
        box.add(e, {});
        QTRY_COMPARE(recovered.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestAddressing)
#include "tst_Addressing.moc"
