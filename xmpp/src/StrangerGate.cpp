#include "StrangerGate.h"

#include "Logging.h"
#include "xmpp/Jid.h"

#include <QDomElement>

namespace garage {
namespace {
constexpr qsizetype kMaxRemembered = 64;
constexpr auto kLogEvery = std::chrono::hours(24);
} // namespace

bool StanzaTrust::trusted(const QString &from) const
{
    if (from.isEmpty())
        return true; // from our server, on behalf of our own account
    const QString bare = bareJidOf(from).toLower();
    if (bare == ownBareJid || owners.contains(bare))
        return true;
    // the server itself and its components (upload.example.org): no local part, our domain or below it
    if (!bare.contains(QLatin1Char('@')))
        return bare == domain || bare.endsWith(QLatin1Char('.') + domain);
    return false;
}

bool StrangerGate::handleStanza(const QDomElement &stanza)
{
    const QString tag = stanza.tagName();
    if (tag == QLatin1String("iq")) {
        // a result or an error never gets an answer from us: they are answers to what we asked (upload slots, disco)
        const QString type = stanza.attribute(QStringLiteral("type"));
        if (type == QLatin1String("result") || type == QLatin1String("error"))
            return false;
    } else if (tag != QLatin1String("message") && tag != QLatin1String("presence")) {
        return false;
    }
    const QString from = stanza.attribute(QStringLiteral("from"));
    if (m_trust.trusted(from))
        return false;
    ++m_swallowed;
    const QDomElement payload = stanza.firstChildElement();
    noteStranger(bareJidOf(from).toLower(),
                 tag + (payload.isNull() ? QString() : QLatin1Char(' ') + payload.namespaceURI()));
    return true;
}

void StrangerGate::noteStranger(const QString &bare, const QString &what)
{
    const auto now = std::chrono::steady_clock::now();
    const auto it = m_logged.constFind(bare);
    if (it != m_logged.cend() && now - *it < kLogEvery) {
        qCDebug(lcXmpp).noquote() << "ignored a" << what << "from" << bare << "(not an owner)";
        return;
    }
    if (m_logged.size() >= kMaxRemembered)
        m_logged.clear(); // a crowd of strangers: a line each again, never unbounded memory
    m_logged.insert(bare, now);
    qCInfo(lcXmpp).noquote() << "ignoring stanzas from" << bare
                             << "(not an owner): nothing is answered, not even an error; further ones are not logged "
                                "for a day";
}

} // namespace garage
