#include "camera/AnalysisPacer.h"

#include <algorithm>

namespace garage {

AnalysisPacer::AnalysisPacer(int analysisFps)
    : m_interval(std::chrono::microseconds(1'000'000 / std::max(1, analysisFps)))
{
}

bool AnalysisPacer::take(std::chrono::milliseconds streamTime)
{
    const std::chrono::microseconds t = streamTime;
    if (m_due && t < m_last)
        m_due.reset();
    m_last = t;
    // a 1 ms tolerance: millisecond timestamps of a 30 fps stream must still hit every third frame at 10 fps
    if (m_due && t + std::chrono::milliseconds(1) < *m_due)
        return false;
    // keep the schedule (no drift) but never let it fall behind into a burst
    m_due = std::max(m_due.value_or(t) + m_interval, t + m_interval / 2);
    return true;
}

} // namespace garage
