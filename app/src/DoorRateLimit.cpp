#include "app/DoorRateLimit.h"

namespace garage {

DoorRateLimit::DoorRateLimit(int presses, std::chrono::seconds window) : m_presses(presses), m_window(window) {}

void DoorRateLimit::forget(TimePoint now)
{
    while (!m_recent.empty() && now - m_recent.front() >= m_window)
        m_recent.pop_front();
}

bool DoorRateLimit::allows(TimePoint now)
{
    forget(now);
    return int(m_recent.size()) < m_presses;
}

std::chrono::seconds DoorRateLimit::waitFor(TimePoint now)
{
    if (allows(now))
        return std::chrono::seconds(0);
    // the oldest press leaves the window first; round up so "wait 0 s" is never said while still refused
    const auto left = m_recent.front() + m_window - now;
    return std::chrono::ceil<std::chrono::seconds>(left);
}

void DoorRateLimit::record(TimePoint now)
{
    forget(now);
    m_recent.push_back(now);
}

} // namespace garage
