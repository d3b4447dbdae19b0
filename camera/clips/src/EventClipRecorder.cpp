#include "clips/EventClipRecorder.h"

#include <numeric>

namespace garage {

EventClipRecorder::EventClipRecorder(const ClipSettings &settings, std::size_t preRollMaxBytes)
    : m_settings(settings)
    , m_preRoll(settings.preSeconds, settings.fps, preRollMaxBytes)
{
}

bool EventClipRecorder::wants(std::chrono::milliseconds timestamp) const
{
    return m_preRoll.wants(timestamp);
}

std::optional<std::vector<ClipFrame>> EventClipRecorder::push(const ClipFrame &frame)
{
    if (m_recording && !m_clip.empty() && frame.timestamp < m_clip.back().timestamp) {
        m_recording = false; // the source restarted: the stream times of the clip are gone
        m_clip.clear();
    }
    if (!m_preRoll.push(frame) || !m_recording)
        return std::nullopt;
    if (frame.timestamp - m_clipStart >= m_settings.maxSeconds)
        return take();
    m_clip.push_back(frame);
    return std::nullopt;
}

void EventClipRecorder::start(std::chrono::milliseconds eventStart)
{
    if (m_recording)
        return;
    m_recording = true;
    m_clip = m_preRoll.since(eventStart - m_settings.preSeconds);
    m_clipStart = m_clip.empty() ? eventStart : m_clip.front().timestamp;
}

std::optional<std::vector<ClipFrame>> EventClipRecorder::finish(std::chrono::milliseconds eventEnd)
{
    if (!m_recording)
        return std::nullopt;
    while (!m_clip.empty() && m_clip.back().timestamp > eventEnd)
        m_clip.pop_back();
    return take();
}

std::vector<ClipFrame> EventClipRecorder::take()
{
    m_recording = false;
    return std::exchange(m_clip, {});
}

std::size_t EventClipRecorder::memoryBytes() const
{
    return std::accumulate(m_clip.begin(), m_clip.end(), m_preRoll.memoryBytes(),
                           [](std::size_t sum, const ClipFrame &f) { return sum + f.bytes(); });
}

} // namespace garage
