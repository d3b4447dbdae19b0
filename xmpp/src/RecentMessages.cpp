#include "xmpp/RecentMessages.h"

#include "xmpp/Jid.h"

namespace garage {
namespace {

QString normalised(const QString &jid)
{
    const QString resource = resourceOf(jid);
    return resource.isEmpty() ? bareJidOf(jid) : bareJidOf(jid) + QLatin1Char('/') + resource;
}

} // namespace

bool RecentMessages::firstTime(const QString &sender, const QString &id, const QString &body,
                               std::chrono::steady_clock::time_point now)
{
    using namespace std::chrono;
    while (!m_seen.empty() && (now - m_seen.front().at >= kWindow || m_seen.size() >= kCapacity))
        m_seen.pop_front();
    const QString who = normalised(sender);
    const auto second = time_point_cast<seconds>(now);
    for (const Seen &s : m_seen) {
        if (s.sender != who || s.id != id)
            continue;
        if (!id.isEmpty())
            return false;
        // no id: the same text from the same sender in the same or the next arrival second
        if (s.body == body && second - time_point_cast<seconds>(s.at) <= 1s)
            return false;
    }
    m_seen.push_back({who, id, body, now});
    return true;
}

} // namespace garage
