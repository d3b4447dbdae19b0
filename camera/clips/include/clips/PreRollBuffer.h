// The last few seconds of frames before an event ("pre-capture"), thinned to the clip's frame rate and bounded in
// time and in bytes. Pure: frames in, frames out, no I/O and no decoding.
#pragma once

#include "clips/ClipFrame.h"

#include <chrono>
#include <cstddef>
#include <deque>
#include <vector>

namespace garage {

class PreRollBuffer
{
public:
    static constexpr std::size_t kDefaultMaxBytes = 16u * 1024u * 1024u;

    // span: how much stream time to keep (pre_seconds); fps: the clip's frame rate (frames closer together are not
    // kept); maxBytes: the memory bound (the oldest frames go first).
    PreRollBuffer(std::chrono::milliseconds span, int fps, std::size_t maxBytes = kDefaultMaxBytes);

    // Whether a frame at this stream time would be kept: ask before reducing a picture for push().
    bool wants(std::chrono::milliseconds timestamp) const;
    // Keeps the frame if wants() says so; returns whether it was kept. A timestamp before the newest (a source that
    // restarted) empties the buffer first: frames of two streams are never mixed.
    bool push(ClipFrame frame);

    // The kept frames at or after `from` (stream time), oldest first.
    std::vector<ClipFrame> since(std::chrono::milliseconds from) const;
    std::vector<ClipFrame> frames() const { return {m_frames.begin(), m_frames.end()}; }

    std::size_t size() const { return m_frames.size(); }
    std::size_t memoryBytes() const { return m_bytes; }
    std::size_t maxBytes() const { return m_maxBytes; }
    std::chrono::milliseconds span() const { return m_span; }
    void clear();

private:
    void evict();

    std::chrono::milliseconds m_span;
    std::chrono::milliseconds m_interval; // the clip's frame interval
    std::chrono::milliseconds m_slack;    // how early a frame may come for its slot
    std::chrono::milliseconds m_nextDue{}; // the next slot on the clip's frame grid
    std::size_t m_maxBytes;
    std::deque<ClipFrame> m_frames;
    std::size_t m_bytes = 0;
};

} // namespace garage
