// Decides which frames go to analysis so that at most analysis_fps frames per second of stream time are taken.
#pragma once

#include <chrono>
#include <optional>

namespace garage {

class AnalysisPacer
{
public:
    explicit AnalysisPacer(int analysisFps);

    // True if the frame with this stream time is analysed. Time going backwards (a looped file, a reconnected
    // stream) starts a new schedule.
    bool take(std::chrono::milliseconds streamTime);
    void reset() { m_due.reset(); }

private:
    std::chrono::microseconds m_interval;
    std::optional<std::chrono::microseconds> m_due;
    std::chrono::microseconds m_last{};
};

} // namespace garage
