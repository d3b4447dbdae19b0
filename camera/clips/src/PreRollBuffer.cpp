#include "clips/PreRollBuffer.h"

#include <algorithm>

namespace garage {

PreRollBuffer::PreRollBuffer(std::chrono::milliseconds span, int fps, std::size_t maxBytes)
    : m_span(std::max(span, std::chrono::milliseconds(0)))
    , m_interval(1000 / std::max(fps, 1))
    // a quarter of an interval of slack: a 15 fps camera's 133/200 ms steps still give every third frame at 5 fps,
    // a 25 fps one alternates 80/120 ms gaps at 10 fps (10 frames a second, not 12.5)
    , m_slack(m_interval / 4)
    , m_maxBytes(maxBytes)
{
}

bool PreRollBuffer::wants(std::chrono::milliseconds timestamp) const
{
    if (m_frames.empty() || timestamp < m_frames.back().timestamp)
        return true;
    return timestamp >= m_nextDue - m_slack;
}

bool PreRollBuffer::push(ClipFrame frame)
{
    if (frame.isNull() || !wants(frame.timestamp))
        return false;
    if (!m_frames.empty() && frame.timestamp < m_frames.back().timestamp)
        clear();
    // slots stay on the grid while frames come on time; after a gap the grid restarts at the frame
    const bool onGrid = !m_frames.empty() && frame.timestamp <= m_nextDue + m_slack;
    m_nextDue = (onGrid ? m_nextDue : frame.timestamp) + m_interval;
    m_bytes += frame.bytes();
    m_frames.push_back(std::move(frame));
    evict();
    return !m_frames.empty();
}

void PreRollBuffer::evict()
{
    const auto newest = m_frames.back().timestamp;
    while (!m_frames.empty() && (newest - m_frames.front().timestamp > m_span || m_bytes > m_maxBytes)) {
        m_bytes -= m_frames.front().bytes();
        m_frames.pop_front();
    }
}

std::vector<ClipFrame> PreRollBuffer::since(std::chrono::milliseconds from) const
{
    const auto first = std::find_if(m_frames.begin(), m_frames.end(),
                                    [from](const ClipFrame &f) { return f.timestamp >= from; });
    return {first, m_frames.end()};
}

void PreRollBuffer::clear()
{
    m_frames.clear();
    m_bytes = 0;
}

} // namespace garage
