// The addressing decision (who on a shared account answers a message): random JIDs, message types, bodies, delay
// flags, relay wrappers and sibling tables. Two properties besides "no crash":
//  - one decision: a stranger, our own account (unless it is a sibling's relay of an owner's message), a delayed or
//    error/headline/groupchat message is never executed, answered or relayed; whatever is acted on names an owner as
//    its sender; a relay goes to an online sibling, never back to us and never twice; the decision is repeatable;
//  - a whole account: the server hands an owner's message to some of the online appliances, each decides, relays
//    reach their target, each drops what it already handled (RecentMessages): exactly one appliance answers
//    (at most one when the phone wrote to a resource no appliance ever saw).
#include "FuzzInput.h"
#include "xmpp/Addressing.h"
#include "xmpp/Jid.h"
#include "xmpp/RecentMessages.h"
#include "xmpp/SiblingDirectory.h"

#include <QHash>
#include <QTimeZone>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

using namespace garage;
using Action = AddressingDecision::Action;

namespace {

void check(bool ok, const char *property)
{
    if (ok)
        return;
    std::fprintf(stderr, "fuzz_addressing: property broken: %s\n", property);
    std::abort();
}

const QString kOwnBare = QStringLiteral("home@example.org");
const std::array<QString, 6> kTypes{QStringLiteral("chat"), QStringLiteral("normal"), QStringLiteral("error"),
                                    QStringLiteral("headline"), QStringLiteral("groupchat"), QString()};
const std::array<QString, 4> kWords{QStringLiteral("garage"), QStringLiteral("shed"), QStringLiteral("sprinkler"),
                                    QStringLiteral("barn")};

QString text(fuzz::FuzzInput &in, std::size_t max) { return QString::fromUtf8(in.bytes(in.byte() % (max + 1))); }

// Mostly a plausible JID (an owner, a stranger, our own account with some resource), sometimes any text.
QString jid(fuzz::FuzzInput &in, const QString &resource)
{
    switch (in.byte() % 6) {
    case 0: return QStringLiteral("me@example.org/") + resource;
    case 1: return QStringLiteral("ME@Example.org/") + resource; // an owner, other case
    case 2: return QStringLiteral("stranger@example.net/") + resource;
    case 3: return kOwnBare + QLatin1Char('/') + resource;
    case 4: return kOwnBare;
    default: return text(in, 40);
    }
}

QString type(fuzz::FuzzInput &in)
{
    const std::uint8_t pick = in.byte();
    return pick < 200 ? kTypes[pick % kTypes.size()] : text(in, 12);
}

// A body: an optional leading name (ours, a sibling's, unknown, any case), a separator, then anything.
QString body(fuzz::FuzzInput &in)
{
    static const std::array<QString, 5> kSeparators{QStringLiteral(" "), QStringLiteral(":"), QStringLiteral(","),
                                                    QStringLiteral(""), QStringLiteral("\t")};
    QString out;
    const std::uint8_t shape = in.byte();
    if (shape & 1)
        out += (shape & 2) ? kWords[(shape >> 2) % kWords.size()].toUpper() : kWords[(shape >> 2) % kWords.size()];
    if (shape & 0x40)
        out += kSeparators[(shape >> 4) % kSeparators.size()];
    return (shape & 0x80 ? QStringLiteral("  ") : QString()) + out + text(in, 48);
}

// The sibling table as XmppLink builds it: presences of our account's other resources (never our own, never an empty
// one) fed to SiblingDirectory, each available (with a priority and maybe a keyword) or unavailable at some time.
QList<Sibling> siblings(fuzz::FuzzInput &in, const QString &ownResource)
{
    SiblingDirectory directory;
    const int presences = in.byte() % 6;
    for (int i = 0; i < presences; ++i) {
        const std::uint8_t pick = in.byte();
        const QString resource = pick < 200 ? kWords[pick % kWords.size()] : text(in, 12);
        const std::uint8_t how = in.byte();
        if (resource.isEmpty() || resource == ownResource)
            continue;
        if (how & 1)
            directory.online(resource, int(std::int8_t(in.byte())),
                             (how & 2) ? kWords[(how >> 2) % kWords.size()] : QString());
        else
            directory.offline(resource, QDateTime::fromSecsSinceEpoch(std::int64_t(in.u32()), QTimeZone::UTC));
    }
    return directory.all();
}

void checkOne(const IncomingMessage &m, const AddressingContext &c)
{
    const AddressingDecision d = decideAddressing(m, c);
    const AddressingDecision again = decideAddressing(m, c);
    check(d.action == again.action && d.command == again.command && d.relayTo == again.relayTo &&
              d.sender == again.sender,
          "the same message and context decide the same");
    (void)sharedAccountHint(c);
    (void)appliancesOnline(c);
    if (d.action == Action::Ignore) {
        check(!d.reason.isEmpty(), "an ignored message says why (for the log)");
        return;
    }
    const auto ignoredType = [](const QString &t) {
        return t == QLatin1String("error") || t == QLatin1String("headline") || t == QLatin1String("groupchat");
    };
    check(!m.delayed, "a delayed message (offline storage, archive) is never acted on");
    check(!ignoredType(m.type), "an error, headline or groupchat message is never acted on");
    check(c.owners.contains(bareJidOf(d.sender)) && bareJidOf(d.sender) != c.ownBareJid,
          "only an owner's message is acted on, and it is answered to that owner");
    check(!d.body.isEmpty() && d.body == d.body.trimmed(), "an acted-on message has a trimmed body");
    if (m.forwarded) {
        check(bareJidOf(m.from) == c.ownBareJid && resourceOf(m.from) != c.ownResource,
              "only a sibling of our own account relays to us");
        check(d.relayed && !ignoredType(m.forwarded->type), "a relayed message is marked and of a command's type");
        check(c.relay, "with relay off nothing relayed is acted on");
    } else {
        check(bareJidOf(m.from) != c.ownBareJid, "our own account's plain messages are never acted on");
        check(!d.relayed, "a plain message is not marked relayed");
    }
    if (d.action == Action::Relay) {
        check(!d.reason.isEmpty(), "a relay says why");
        check(c.relay && !d.relayed, "a relay happens only with relay on, and never of a relayed message");
        check(d.relayTo != c.ownResource, "never relayed to ourselves");
        check(std::ranges::any_of(c.siblings, [&](const Sibling &s) { return s.online && s.resource == d.relayTo; }),
              "relayed only to an online sibling");
    }
}

// A single message against a random context.
void oneDecision(fuzz::FuzzInput &in)
{
    AddressingContext c;
    c.ownBareJid = kOwnBare;
    c.ownResource = kWords[in.byte() % kWords.size()];
    c.keyword = (in.byte() & 1) ? c.ownResource : kWords[in.byte() % kWords.size()];
    c.owners = {QStringLiteral("me@example.org")};
    if (in.byte() & 1)
        c.owners << QStringLiteral("other@example.org");
    c.policy = std::array{KeywordPolicy::Auto, KeywordPolicy::Always, KeywordPolicy::Never}[in.byte() % 3];
    c.relay = in.byte() & 1;
    c.siblings = siblings(in, c.ownResource);

    IncomingMessage m;
    m.from = jid(in, text(in, 10));
    m.to = (in.byte() & 1) ? kOwnBare : jid(in, kWords[in.byte() % kWords.size()]);
    m.type = type(in);
    m.delayed = in.byte() & 1;
    m.id = text(in, 8);
    if (in.byte() % 3 == 0) {
        ForwardedMessage f;
        f.from = jid(in, QStringLiteral("phone"));
        f.to = (in.byte() & 1) ? kOwnBare : kOwnBare + QLatin1Char('/') + kWords[in.byte() % kWords.size()];
        f.type = type(in);
        f.id = text(in, 8);
        f.body = body(in);
        m.forwarded = f;
        m.body = text(in, 8);
    } else {
        m.body = body(in);
    }
    checkOne(m, c);
}

// A whole shared account: 1 to 4 appliances with distinct resources and keywords (as SiblingDirectory keeps them),
// some offline, all with relay on and the same keyword policy (auto or always).
void wholeAccount(fuzz::FuzzInput &in)
{
    struct Appliance {
        QString resource;
        QString keyword;
        bool online = true;
    };
    QList<Appliance> all;
    const int n = 1 + in.byte() % 4;
    const std::uint8_t first = in.byte();
    for (int i = 0; i < n; ++i) {
        const std::uint8_t flags = in.byte();
        const QString keyword = kWords[(first + i) % kWords.size()]; // distinct, as SiblingDirectory keeps them
        // a keyword is its resource unless the presence named another one
        all.append({(flags & 1) ? keyword : QStringLiteral("r%1").arg(i), keyword, (flags & 0x80) == 0});
    }
    QStringList online;
    for (const Appliance &a : all)
        if (a.online)
            online << a.resource;
    if (online.isEmpty())
        return;
    const KeywordPolicy policy = (in.byte() & 1) ? KeywordPolicy::Always : KeywordPolicy::Auto;
    const auto contextOf = [&](const QString &resource) {
        AddressingContext c{kOwnBare, resource, {}, {QStringLiteral("me@example.org")}, {}, policy, true};
        for (const Appliance &a : all) {
            if (a.resource == resource)
                c.keyword = a.keyword;
            else
                c.siblings.append({a.resource, a.keyword, 0, a.online,
                                   a.online ? QDateTime() : QDateTime::fromSecsSinceEpoch(1'790'000'000, QTimeZone::UTC)});
        }
        return c;
    };

    // where the phone wrote: the bare JID, a known resource (online or not), or a resource nobody saw
    const std::uint8_t where = in.byte();
    QString toResource;
    if (where % 3 == 1)
        toResource = all[(where >> 2) % all.size()].resource;
    else if (where % 3 == 2 && (where & 0x80))
        toResource = QStringLiteral("laptop");
    const bool unknownResource = toResource == QLatin1String("laptop");
    QStringList receivers;
    if (!toResource.isEmpty() && online.contains(toResource)) {
        receivers << toResource; // the phone picked an online appliance
    } else { // the server routes it as to the bare JID: to the highest priorities, at least one
        const std::uint8_t mask = in.byte();
        for (int i = 0; i < online.size(); ++i)
            if (mask & (1 << i))
                receivers << online[i];
        if (receivers.isEmpty())
            receivers << online[mask % online.size()];
    }
    const IncomingMessage original{QStringLiteral("me@example.org/phone"),
                                   toResource.isEmpty() ? kOwnBare : kOwnBare + QLatin1Char('/') + toResource,
                                   body(in), (in.byte() & 1) ? QStringLiteral("chat") : QStringLiteral("normal"),
                                   false, (in.byte() & 1) ? QStringLiteral("m1") : QString(), std::nullopt};

    QHash<QString, RecentMessages> recent;
    const auto now = std::chrono::steady_clock::time_point(std::chrono::seconds(1000));
    QList<QPair<QString, IncomingMessage>> queue;
    for (const QString &r : receivers)
        queue.append({r, original});
    QStringList answered;
    int hops = 0;
    while (!queue.isEmpty()) {
        check(++hops <= 32, "relays end");
        const auto [name, message] = queue.takeFirst();
        const AddressingContext c = contextOf(name);
        checkOne(message, c);
        const AddressingDecision d = decideAddressing(message, c);
        if (d.action == Action::Ignore || !recent[name].firstTime(d.sender, d.messageId, d.body, now))
            continue;
        if (d.action != Action::Relay) {
            if (!answered.contains(name))
                answered << name;
            continue;
        }
        check(online.contains(d.relayTo), "relayed to an appliance that is online");
        const IncomingMessage wrapped{kOwnBare + QLatin1Char('/') + name, kOwnBare + QLatin1Char('/') + d.relayTo, {},
                                      QStringLiteral("chat"), false, QStringLiteral("w%1").arg(hops),
                                      ForwardedMessage{message.from, message.to, message.body, message.id,
                                                       message.type, QDateTime::fromSecsSinceEpoch(1'790'000'100)}};
        queue.append({d.relayTo, wrapped});
    }
    if (original.body.trimmed().isEmpty())
        check(answered.isEmpty(), "an empty body is answered by nobody");
    else if (unknownResource)
        check(answered.size() <= 1, "a message to a resource nobody saw is answered at most once");
    else
        check(answered.size() == 1, "an owner's message to the account is answered exactly once");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    qputenv("QT_LOGGING_RULES", "*.info=false");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::FuzzInput in(data, size);
    if (in.byte() & 1)
        wholeAccount(in);
    else
        oneDecision(in);
    return 0;
}
