// Remembers the owners' messages handled in the last minute, so that a command the server delivered to us AND a
// sibling relayed to us runs once and is answered once. A message is known by (sender, id); one without an id by
// (sender, body, arrival second), where the next second matches too (the relayed copy comes a few ms later). Pure:
// the steady clock comes in.
#pragma once

#include <QString>

#include <chrono>
#include <deque>

namespace garage {

class RecentMessages
{
public:
    static constexpr std::chrono::seconds kWindow{60};
    static constexpr std::size_t kCapacity = 512;

    // True the first time (sender, id) — or (sender, body, second) without an id — is seen within the window; the
    // message is remembered either way.
    bool firstTime(const QString &sender, const QString &id, const QString &body, std::chrono::steady_clock::time_point now);

private:
    struct Seen {
        QString sender; // full JID, the bare part lower-cased
        QString id;
        QString body;
        std::chrono::steady_clock::time_point at;
    };
    std::deque<Seen> m_seen;
};

} // namespace garage
