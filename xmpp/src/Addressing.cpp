#include "xmpp/Addressing.h"

#include "xmpp/Jid.h"

namespace garage {
namespace {

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

QStringList everyone(const AddressingContext &c)
{
    QStringList names = c.otherResources;
    names << c.ownResource;
    for (QString &n : names)
        n = n.toLower();
    names.sort();
    names.removeDuplicates();
    return names;
}

} // namespace

QString sharedAccountHint(const AddressingContext &context)
{
    const QStringList names = everyone(context);
    return QStringLiteral("Several systems share this account: %1 — start with a name, e.g. '%2 status'")
        .arg(names.join(QLatin1String(", ")), names.value(0));
}

AddressingDecision decideAddressing(const IncomingMessage &m, const AddressingContext &c)
{
    AddressingDecision d;
    d.prefixReplies = !c.otherResources.isEmpty();
    auto ignore = [&d](const QString &why) {
        d.action = AddressingDecision::Action::Ignore;
        d.reason = why;
        return d;
    };
    const QString sender = bareJidOf(m.from);
    if (sender == c.ownBareJid)
        return ignore(QStringLiteral("from our own account (another appliance or a copy): never answered"));
    if (m.type == QLatin1String("error") || m.type == QLatin1String("headline") || m.type == QLatin1String("groupchat"))
        return ignore(QStringLiteral("message type %1").arg(m.type));
    const QString body = m.body.trimmed();
    if (body.isEmpty())
        return ignore(QStringLiteral("no body (chat state, receipt or marker)"));
    if (!c.owners.contains(sender))
        return ignore(QStringLiteral("sender %1 is not an owner").arg(sender));
    if (m.delayed)
        return ignore(QStringLiteral("delayed (offline storage or archive): a stale command is not executed"));

    const QString resource = resourceOf(m.to);
    if (!resource.isEmpty()) {
        if (resource != c.ownResource)
            return ignore(QStringLiteral("addressed to resource %1").arg(resource));
        const QString rest = afterLeadingWord(body, c.keyword);
        d.action = AddressingDecision::Action::Execute;
        d.command = rest.isNull() ? body : rest;
        return d;
    }

    if (const QString rest = afterLeadingWord(body, c.keyword); !rest.isNull()) {
        d.action = AddressingDecision::Action::Execute;
        d.command = rest;
        return d;
    }
    for (const QString &other : c.otherResources)
        if (!afterLeadingWord(body, other).isNull())
            return ignore(QStringLiteral("for %1").arg(other));

    const bool othersOnline = !c.otherResources.isEmpty();
    if (c.policy == KeywordPolicy::Never || (c.policy == KeywordPolicy::Auto && !othersOnline)) {
        d.action = AddressingDecision::Action::Execute;
        d.command = body;
        return d;
    }
    // the keyword is needed: exactly one appliance, the lowest name online, explains it
    if (everyone(c).value(0) == c.ownResource.toLower()) {
        d.action = AddressingDecision::Action::Hint;
        return d;
    }
    return ignore(QStringLiteral("no keyword, another appliance gives the hint"));
}

} // namespace garage
