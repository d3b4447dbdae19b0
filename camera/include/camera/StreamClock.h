// The stream time of one frame source: turns what a stream says about each frame (its own timestamp, or none) and
// when the frame reached us (steady clock) into a time that never goes backwards, across file loops, reconnects and
// the camera's own timestamp jumps. Pure: no clock of its own, no I/O.
#pragma once

#include <chrono>
#include <optional>

namespace garage {

class StreamClock
{
public:
    // A source timestamp may run ahead of the arrival times by this much between two frames (a burst of buffered
    // frames, a slow event loop); further ahead it is a jump of the camera's clock, not time that passed.
    static constexpr std::chrono::milliseconds kJumpTolerance{2000};
    // Two frames are never given the same time.
    static constexpr std::chrono::milliseconds kMinimumStep{1};

    // The stream time of the next frame. The first frame takes its source time (0 without one); after that, time
    // advances by the source's own step while it is plausible (forward, not far beyond the steady time that
    // passed), and by the steady time between arrivals otherwise: a loop back to 0, a jump of hours, a stream
    // without timestamps, the first frame after restart().
    std::chrono::milliseconds next(std::optional<std::chrono::milliseconds> sourceTime,
                                   std::chrono::steady_clock::time_point arrival);
    // The stream was reopened: its timestamps start a new timeline, so the next frame continues by the steady time
    // since the last frame (the outage counts as time that passed).
    void restart() { m_lastSource.reset(); }
    // The last time given (0 before the first frame).
    std::chrono::milliseconds last() const { return m_last.value_or(std::chrono::milliseconds{}); }
    // Whether the last frame re-anchored on its arrival time instead of following its source timestamp.
    bool reanchored() const { return m_reanchored; }

private:
    std::optional<std::chrono::milliseconds> m_last;
    std::optional<std::chrono::milliseconds> m_lastSource;
    std::chrono::steady_clock::time_point m_lastArrival{};
    bool m_reanchored = false;
};

} // namespace garage
