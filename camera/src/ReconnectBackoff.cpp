#include "camera/ReconnectBackoff.h"

#include <algorithm>

namespace garage {

ReconnectBackoff::ReconnectBackoff(std::uint32_t seed)
    : m_random(seed)
{
}

std::chrono::milliseconds ReconnectBackoff::next()
{
    const int doublings = std::min(m_attempts, 6); // 2^6 s > 60 s
    ++m_attempts;
    const auto base = std::min(kInitial * (1 << doublings), kMaximum);
    std::uniform_real_distribution<double> factor(1.0 - kJitter, 1.0 + kJitter);
    const auto jittered = std::chrono::milliseconds(std::int64_t(double(base.count()) * factor(m_random)));
    return std::min(jittered, kMaximum);
}

void ReconnectBackoff::reset()
{
    m_attempts = 0;
}

} // namespace garage
