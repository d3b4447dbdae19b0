#include "motion/EventTracker.h"

namespace garage {

EventTracker::EventTracker(const MotionConfig &config)
    : m_config(config)
{
}

void EventTracker::absorb(std::chrono::milliseconds timestamp, std::int64_t frameIndex, const FrameAnalysis &analysis,
                          bool &bestChanged)
{
    MotionEvent &e = m_inEvent ? m_event : m_candidate;
    e.end = timestamp;
    e.endFrame = frameIndex;
    for (const cv::Rect &box : analysis.boxes)
        e.box = e.box.area() ? (e.box | box) : box;
    if (analysis.changedPercent > e.peakPercent) {
        e.peakPercent = analysis.changedPercent;
        e.bestFrame = frameIndex;
        bestChanged = true;
    }
}

EventUpdate EventTracker::update(std::chrono::milliseconds timestamp, std::int64_t frameIndex, const FrameAnalysis &analysis)
{
    EventUpdate out;
    const bool advanced = !m_lastTimestamp || timestamp > *m_lastTimestamp;
    m_lastTimestamp = timestamp; // after a step back, frames count again from the new time
    if (!advanced) {
        m_run = 0;
        if (m_inEvent) {
            m_inEvent = false;
            out.kind = EventUpdate::Kind::Ended;
            out.event = m_event;
        }
        return out;
    }
    if (!m_inEvent) {
        if (!analysis.motion) {
            m_run = 0;
            return out;
        }
        if (m_run == 0) {
            m_candidate = MotionEvent{};
            m_candidate.start = timestamp;
            m_candidate.startFrame = frameIndex;
        }
        ++m_run;
        bool best = false;
        absorb(timestamp, frameIndex, analysis, best);
        if (m_run < m_config.minimumMotionFrames)
            return out;
        m_inEvent = true;
        m_event = m_candidate;
        m_run = 0;
        out.kind = EventUpdate::Kind::Started;
        out.event = m_event;
        out.bestFrameChanged = true; // the best frame so far is among the frames that started it
        return out;
    }

    if (analysis.motion)
        absorb(timestamp, frameIndex, analysis, out.bestFrameChanged);
    const bool quietTooLong = !analysis.motion && timestamp - m_event.end >= m_config.eventGap;
    const bool tooLong = timestamp - m_event.start >= m_config.maxEventDuration;
    out.event = m_event;
    if (quietTooLong || tooLong) {
        out.kind = EventUpdate::Kind::Ended;
        out.bestFrameChanged = false;
        m_inEvent = false;
        m_run = 0;
    } else {
        out.kind = EventUpdate::Kind::Ongoing;
    }
    return out;
}

std::optional<MotionEvent> EventTracker::finish(std::chrono::milliseconds)
{
    m_run = 0; // motion frames before an outage and after it are not one run
    if (!m_inEvent)
        return std::nullopt;
    m_inEvent = false;
    return m_event;
}

} // namespace garage
