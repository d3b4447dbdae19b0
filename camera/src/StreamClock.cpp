#include "camera/StreamClock.h"

#include <algorithm>

namespace garage {

using std::chrono::milliseconds;

milliseconds StreamClock::next(std::optional<milliseconds> sourceTime, std::chrono::steady_clock::time_point arrival)
{
    milliseconds out{};
    if (!m_last) {
        out = std::max(milliseconds{}, sourceTime.value_or(milliseconds{}));
        m_reanchored = false;
    } else {
        const milliseconds arrived =
            std::max(milliseconds{}, std::chrono::duration_cast<milliseconds>(arrival - m_lastArrival));
        std::optional<milliseconds> step;
        if (sourceTime && m_lastSource) {
            const milliseconds sourceStep = *sourceTime - *m_lastSource;
            if (sourceStep > milliseconds{} && sourceStep <= arrived + kJumpTolerance)
                step = sourceStep;
        }
        m_reanchored = !step && sourceTime.has_value();
        out = *m_last + std::max(kMinimumStep, step.value_or(arrived));
    }
    m_last = out;
    m_lastSource = sourceTime;
    m_lastArrival = arrival;
    return out;
}

} // namespace garage
