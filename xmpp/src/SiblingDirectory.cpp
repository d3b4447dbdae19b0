#include "xmpp/SiblingDirectory.h"

namespace garage {

void SiblingDirectory::online(const QString &resource, int priority, const QString &keyword)
{
    const QString word = (keyword.isEmpty() ? resource : keyword).toLower();
    // one entry per resource, and one per keyword: an appliance back under another resource replaces its old entry
    m_siblings.removeIf([&](const Sibling &s) { return s.resource == resource || (!s.online && s.keyword == word); });
    m_siblings.append({resource, word, priority, true, {}});
}

void SiblingDirectory::offline(const QString &resource, const QDateTime &at)
{
    for (Sibling &s : m_siblings)
        if (s.resource == resource && s.online) {
            s.online = false;
            s.offlineSince = at;
        }
}

void SiblingDirectory::forgetOnline()
{
    m_siblings.removeIf([](const Sibling &s) { return s.online; });
}

QStringList SiblingDirectory::onlineResources() const
{
    QStringList out;
    for (const Sibling &s : m_siblings)
        if (s.online)
            out << s.resource;
    return out;
}

} // namespace garage
