#include "xmpp/Jid.h"

namespace garage {

bool isBareJid(const QString &jid)
{
    const auto at = jid.indexOf(QLatin1Char('@'));
    if (at <= 0 || at == jid.size() - 1 || jid.contains(QLatin1Char('/')))
        return false;
    for (const QChar c : jid)
        if (c.isSpace())
            return false;
    return jid.indexOf(QLatin1Char('@'), at + 1) < 0;
}

QString bareJidOf(const QString &jid)
{
    const auto slash = jid.indexOf(QLatin1Char('/'));
    return (slash < 0 ? jid : jid.left(slash)).toLower();
}

QString resourceOf(const QString &jid)
{
    const auto slash = jid.indexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : jid.mid(slash + 1);
}

} // namespace garage
