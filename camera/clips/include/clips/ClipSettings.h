// How an event clip is made: the [clips] section of the configuration.
#pragma once

#include <chrono>

namespace garage {

struct ClipSettings {
    bool enabled = true;
    std::chrono::seconds preSeconds{2};  // kept before an event starts
    std::chrono::seconds maxSeconds{10}; // a clip is cut here (pre-roll included)
    int width = 640;                     // output width in pixels, aspect kept (never scaled up)
    int fps = 5;
    bool annotate = true; // the capture time in a corner of each frame
    // The VBV cap: 320 kbit/s with a one-second buffer keeps a 10 s clip under 10 × 320 + 320 kbit = 440 KB,
    // below Conversations' 512 KiB auto-download limit with room for the MP4 index.
    int maxKbitPerSecond = 320;
};

} // namespace garage
