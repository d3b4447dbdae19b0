// The motion event state machine: an event starts after minimum_motion_frames consecutive motion frames, ends after
// event_gap without motion, and is cut at max_event_seconds. Tracks each event's span, peak, union box and best frame.
// Timestamps are the frame source's stream time, which never goes backwards (camera/StreamClock); should one still not
// advance, the open event ends there rather than stay open for ever (its gap and length could never be measured).
#pragma once

#include "motion/MotionConfig.h"
#include "motion/MotionDetector.h"

#include <opencv2/core.hpp>

#include <chrono>
#include <cstdint>
#include <optional>

namespace garage {

struct MotionEvent {
    std::chrono::milliseconds start{}, end{}; // stream timestamps of the first and last motion frame
    std::int64_t startFrame = 0, endFrame = 0;
    double peakPercent = 0;
    cv::Rect box;                             // union of all boxes, input-frame coordinates
    std::int64_t bestFrame = 0;               // the frame with the largest changed area
    std::optional<bool> person;               // set by the person check when enabled
};

struct EventUpdate {
    enum class Kind { None, Started, Ongoing, Ended };
    Kind kind = Kind::None;
    MotionEvent event;             // the current or ended event (valid unless None)
    bool bestFrameChanged = false; // this frame is the event's new best frame
};

class EventTracker
{
public:
    explicit EventTracker(const MotionConfig &config);

    // A frame whose timestamp is not after the previous frame's ends an open event (Ended) and is otherwise ignored;
    // events start again once time advances.
    EventUpdate update(std::chrono::milliseconds timestamp, std::int64_t frameIndex, const FrameAnalysis &analysis);
    // Ends an open event (the camera went offline or stalled, the stream ended, shutdown); the next motion starts a
    // new event.
    std::optional<MotionEvent> finish(std::chrono::milliseconds timestamp);
    bool inEvent() const { return m_inEvent; }

private:
    void absorb(std::chrono::milliseconds timestamp, std::int64_t frameIndex, const FrameAnalysis &analysis,
                bool &bestChanged);

    MotionConfig m_config;
    std::optional<std::chrono::milliseconds> m_lastTimestamp;
    bool m_inEvent = false;
    MotionEvent m_event;
    // the run of consecutive motion frames before an event starts
    int m_run = 0;
    MotionEvent m_candidate;
};

} // namespace garage
