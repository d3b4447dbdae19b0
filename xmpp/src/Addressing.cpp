#include "xmpp/Addressing.h"

#include "xmpp/Jid.h"

#include <algorithm>

namespace garage {
namespace {

using Action = AddressingDecision::Action;

// How the message reached us: to the bare JID (the server picked who gets it), to our full JID (the phone picked
// us), or relayed by a sibling (never relayed again).
enum class Route { Bare, Full, Relayed };

// The rest of the body when it starts with word (case-insensitive, followed by the end, a space, ':' or ','),
// or a null string.
QString afterLeadingWord(const QString &body, const QString &word)
{
    if (word.isEmpty() || !body.startsWith(word, Qt::CaseInsensitive))
        return {};
    if (body.size() == word.size())
        return QStringLiteral("");
    const QChar next = body.at(word.size());
    if (!next.isSpace() && next != QLatin1Char(':') && next != QLatin1Char(','))
        return {};
    QString rest = body.mid(word.size() + 1).trimmed();
    return rest.isNull() ? QStringLiteral("") : rest;
}

bool othersOnline(const AddressingContext &c)
{
    return std::ranges::any_of(c.siblings, &Sibling::online);
}

struct Name {
    QString keyword;
    QString resource;
    bool self = false;
    auto operator<=>(const Name &other) const
    {
        if (const auto k = keyword.compare(other.keyword); k != 0)
            return k <=> 0;
        return resource.compare(other.resource) <=> 0;
    }
    bool operator==(const Name &) const = default;
};

// Every appliance online, ours included, sorted by keyword (then resource): the first one is "the lowest name",
// which every appliance computes alike from the same presences.
QList<Name> everyone(const AddressingContext &c)
{
    QList<Name> names{{c.keyword.toLower(), c.ownResource, true}};
    for (const Sibling &s : c.siblings)
        if (s.online)
            names.append({s.keyword.toLower(), s.resource, false});
    std::ranges::sort(names);
    return names;
}

QStringList keywords(const AddressingContext &c)
{
    QStringList out;
    for (const Name &n : everyone(c))
        if (!out.contains(n.keyword))
            out << n.keyword;
    return out;
}

// The sibling whose keyword leads the body: an online one first (a keyword seen offline may have come back under
// another resource).
const Sibling *namedSibling(const QString &body, const AddressingContext &c)
{
    const Sibling *offline = nullptr;
    for (const Sibling &s : c.siblings) {
        if (s.keyword.compare(c.keyword, Qt::CaseInsensitive) == 0 || afterLeadingWord(body, s.keyword).isNull())
            continue;
        if (s.online)
            return &s;
        if (!offline || s.offlineSince > offline->offlineSince)
            offline = &s;
    }
    return offline;
}

AddressingDecision &ignore(AddressingDecision &d, const QString &why)
{
    d.action = Action::Ignore;
    d.reason = why;
    return d;
}

AddressingDecision &relay(AddressingDecision &d, const QString &resource, const QString &why)
{
    d.action = Action::Relay;
    d.relayTo = resource;
    d.reason = why;
    return d;
}

// Something the whole account answers (a hint, "shed is offline"): exactly one answer whoever received it. The
// lowest name answers; any other receiver relays it to the lowest name, which deduplicates.
AddressingDecision &answeredByLowest(AddressingDecision &d, const AddressingContext &c, Route via, Action action)
{
    const Name lowest = everyone(c).value(0);
    if (via == Route::Relayed || lowest.self) {
        d.action = action;
        return d;
    }
    if (!c.relay)
        return ignore(d, QStringLiteral("%1 answers it (relay is off)").arg(lowest.keyword));
    return relay(d, lowest.resource, QStringLiteral("the lowest name, %1, answers it").arg(lowest.keyword));
}

// An owner's message that reached us via a route: execute, relay, hint, or tell that an appliance is offline.
AddressingDecision &route(AddressingDecision &d, const QString &body, const AddressingContext &c, Route via)
{
    if (const QString rest = afterLeadingWord(body, c.keyword); !rest.isNull()) {
        d.action = Action::Execute;
        d.command = rest;
        return d;
    }
    if (const Sibling *s = namedSibling(body, c)) {
        if (!s->online) {
            d.offlineKeyword = s->keyword;
            d.offlineSince = s->offlineSince;
            if (via != Route::Bare) {
                d.action = Action::Offline;
                return d;
            }
            return answeredByLowest(d, c, via, Action::Offline);
        }
        if (via == Route::Relayed)
            return ignore(d, QStringLiteral("relayed, but for %1: a relayed message is never relayed again")
                                 .arg(s->keyword));
        if (!c.relay)
            return ignore(d, QStringLiteral("for %1 (relay is off)").arg(s->keyword));
        return relay(d, s->resource, QStringLiteral("for %1").arg(s->keyword));
    }
    if (via == Route::Full) {
        d.action = Action::Execute;
        d.command = body;
        return d;
    }
    if (c.policy == KeywordPolicy::Never || (c.policy == KeywordPolicy::Auto && !othersOnline(c))) {
        d.action = Action::Execute;
        d.command = body;
        return d;
    }
    return answeredByLowest(d, c, via, Action::Hint);
}

// Written to another appliance's full JID: the server hands it to us only when that resource is offline (it then
// routes it as if to the bare JID). A name in it still counts; without one it was for the offline appliance.
// via: Bare as the server handed it to us, or Relayed by the sibling it handed it to.
AddressingDecision &toAnotherResource(AddressingDecision &d, const QString &body, const QString &resource,
                                      const AddressingContext &c, Route via)
{
    const auto left = std::ranges::find_if(c.siblings, [&](const Sibling &s) { return s.resource == resource; });
    if (left == c.siblings.end() || left->online)
        return ignore(d, QStringLiteral("addressed to resource %1").arg(resource));
    const Sibling *named = namedSibling(body, c);
    if (!afterLeadingWord(body, c.keyword).isNull() || (named && named->online))
        return route(d, body, c, via);
    d.offlineKeyword = named ? named->keyword : left->keyword;
    d.offlineSince = named ? named->offlineSince : left->offlineSince;
    return answeredByLowest(d, c, via, Action::Offline);
}

bool isOfflineSibling(const QString &resource, const AddressingContext &c)
{
    return std::ranges::any_of(c.siblings, [&](const Sibling &s) { return s.resource == resource && !s.online; });
}

bool ignoredType(const QString &type)
{
    return type == QLatin1String("error") || type == QLatin1String("headline") || type == QLatin1String("groupchat");
}

// A XEP-0297 wrapper: only a sibling of our own account relays, and what it relays must stand on its own.
AddressingDecision decideRelayed(const IncomingMessage &m, const AddressingContext &c, AddressingDecision d)
{
    const QString relayer = bareJidOf(m.from);
    if (relayer != c.ownBareJid)
        return ignore(d, QStringLiteral("a forwarded message from %1: only our own account relays").arg(relayer));
    if (resourceOf(m.from) == c.ownResource)
        return ignore(d, QStringLiteral("our own relayed message"));
    if (ignoredType(m.type))
        return ignore(d, QStringLiteral("a relay of type %1 (a bounce)").arg(m.type));
    if (const QString to = resourceOf(m.to); !to.isEmpty() && to != c.ownResource)
        return ignore(d, QStringLiteral("relayed to resource %1").arg(to));
    if (!c.relay)
        return ignore(d, QStringLiteral("relayed by %1 (relay is off)").arg(resourceOf(m.from)));
    if (m.delayed)
        return ignore(d, QStringLiteral("a delayed relay (offline storage): a stale command is not executed"));
    const ForwardedMessage &f = *m.forwarded;
    const QString sender = bareJidOf(f.from);
    const QString body = f.body.trimmed();
    if (ignoredType(f.type))
        return ignore(d, QStringLiteral("relayed message type %1").arg(f.type));
    if (body.isEmpty())
        return ignore(d, QStringLiteral("relayed message without a body"));
    if (sender == c.ownBareJid || !c.owners.contains(sender))
        return ignore(d, QStringLiteral("relayed from %1, who is not an owner").arg(sender));
    d.sender = f.from;
    d.messageId = f.id;
    d.body = body;
    d.relayed = true;
    if (const QString addressed = resourceOf(f.to); isOfflineSibling(addressed, c))
        return toAnotherResource(d, body, addressed, c, Route::Relayed);
    return route(d, body, c, Route::Relayed);
}

} // namespace

QString sharedAccountHint(const AddressingContext &context)
{
    const QStringList names = keywords(context);
    return QStringLiteral("Several systems share this account: %1 — start with a name, e.g. '%2 status'")
        .arg(names.join(QLatin1String(", ")), names.value(0));
}

QString appliancesOnline(const AddressingContext &context)
{
    if (!othersOnline(context))
        return {};
    QStringList names;
    QString example;
    for (const Name &n : everyone(context)) {
        names << (n.self ? n.keyword + QStringLiteral(" (this one)") : n.keyword);
        if (!n.self && example.isEmpty())
            example = n.keyword;
    }
    return QStringLiteral("Appliances online on this account: %1 — start with a name, e.g. '%2 status'")
        .arg(names.join(QLatin1String(", ")), example);
}

QString offlineText(const QString &keyword, const QDateTime &since, const QDateTime &now)
{
    if (!since.isValid())
        return QStringLiteral("%1 is offline").arg(keyword);
    const QDateTime local = since.toLocalTime();
    const bool today = local.date() == now.toLocalTime().date();
    return QStringLiteral("%1 is offline since %2")
        .arg(keyword, local.toString(today ? QStringLiteral("HH:mm") : QStringLiteral("yyyy-MM-dd HH:mm")));
}

AddressingDecision decideAddressing(const IncomingMessage &m, const AddressingContext &context)
{
    AddressingContext withoutRelay;
    if (!context.relay) {
        // a negative priority never gets a bare-JID message: without relaying such an appliance cannot be reached
        // that way, so it does not count (as before relaying existed)
        withoutRelay = context;
        withoutRelay.siblings.removeIf([](const Sibling &s) { return s.online && s.priority < 0; });
    }
    const AddressingContext &c = context.relay ? context : withoutRelay;
    AddressingDecision d;
    d.prefixReplies = othersOnline(c);
    if (m.forwarded)
        return decideRelayed(m, c, d);
    const QString sender = bareJidOf(m.from);
    if (sender == c.ownBareJid)
        return ignore(d, QStringLiteral("from our own account (another appliance or a copy): never answered"));
    if (ignoredType(m.type))
        return ignore(d, QStringLiteral("message type %1").arg(m.type));
    const QString body = m.body.trimmed();
    if (body.isEmpty())
        return ignore(d, QStringLiteral("no body (chat state, receipt or marker)"));
    if (!c.owners.contains(sender))
        return ignore(d, QStringLiteral("sender %1 is not an owner").arg(sender));
    if (m.delayed)
        return ignore(d, QStringLiteral("delayed (offline storage or archive): a stale command is not executed"));
    d.sender = m.from;
    d.messageId = m.id;
    d.body = body;

    const QString resource = resourceOf(m.to);
    if (resource.isEmpty())
        return route(d, body, c, Route::Bare);
    if (resource != c.ownResource)
        return toAnotherResource(d, body, resource, c, Route::Bare);
    return route(d, body, c, Route::Full);
}

} // namespace garage
