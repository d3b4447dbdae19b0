// Collects the frames of one event's clip: the pre-roll from pre_seconds before the event started, then the event's
// frames at the clip's rate, until the event ends or the clip reaches max_seconds. Pure: frames and stream times in,
// the clip's frames out (the caller encodes them off the event loop).
#pragma once

#include "clips/ClipSettings.h"
#include "clips/PreRollBuffer.h"

#include <optional>
#include <vector>

namespace garage {

class EventClipRecorder
{
public:
    explicit EventClipRecorder(const ClipSettings &settings, std::size_t preRollMaxBytes = PreRollBuffer::kDefaultMaxBytes);

    // Whether a frame at this stream time would be kept: ask before reducing a picture for push().
    bool wants(std::chrono::milliseconds timestamp) const;
    // Feeds a frame (kept in the pre-roll, and in the clip while one is recorded). Returns the clip's frames when
    // this frame is the first past max_seconds: the clip is cut there, and the event's end then returns nothing.
    std::optional<std::vector<ClipFrame>> push(const ClipFrame &frame);

    // The event started at this stream time: the clip starts with the pre-roll from pre_seconds before it. An event
    // starting while a clip is recorded continues that clip.
    void start(std::chrono::milliseconds eventStart);
    // The event ended: the clip's frames up to `eventEnd`, or nothing when no clip is recorded (or it was cut).
    std::optional<std::vector<ClipFrame>> finish(std::chrono::milliseconds eventEnd);

    bool recording() const { return m_recording; }
    // The pre-roll's bytes plus the recorded clip's (frames shared by both are counted once per holder).
    std::size_t memoryBytes() const;
    const PreRollBuffer &preRoll() const { return m_preRoll; }

private:
    std::vector<ClipFrame> take();

    ClipSettings m_settings;
    PreRollBuffer m_preRoll;
    bool m_recording = false;
    std::chrono::milliseconds m_clipStart{};
    std::vector<ClipFrame> m_clip;
};

} // namespace garage
