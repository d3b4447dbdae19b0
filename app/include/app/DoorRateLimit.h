// At most N presses of the door relay in a sliding window (3 in 5 min): a stuck script or a confused owner cannot
// wear out the opener or play with the door. Pure: the steady clock in, a verdict out.
#pragma once

#include <chrono>
#include <deque>

namespace garage {

class DoorRateLimit
{
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    explicit DoorRateLimit(int presses = 3, std::chrono::seconds window = std::chrono::minutes(5));

    bool allows(TimePoint now);
    // How long until a press is allowed again (zero when it is now).
    std::chrono::seconds waitFor(TimePoint now);
    void record(TimePoint now);

private:
    void forget(TimePoint now);

    int m_presses;
    std::chrono::seconds m_window;
    std::deque<TimePoint> m_recent;
};

} // namespace garage
