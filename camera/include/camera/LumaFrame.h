// One analysed frame: the luma plane (wrapping the mapped video frame when it can) with its stream time.
#pragma once

#include <chrono>
#include <cstdint>
#include <opencv2/core/mat.hpp>

namespace garage {

struct LumaFrame {
    cv::Mat grey;                          // CV_8UC1 luma; wraps the mapped frame without copying: valid only during the frameReady emission
    std::chrono::milliseconds timestamp{}; // stream time, not wall clock
    std::int64_t index = 0;                // counter of frames handed to analysis
    int scale = 1;                         // frame (snapshot) pixels per luma pixel: the luma was decoded reduced

    // a rectangle found on the luma, on the full-size frame (the snapshot)
    cv::Rect toFrame(const cv::Rect &onLuma) const
    {
        return {onLuma.x * scale, onLuma.y * scale, onLuma.width * scale, onLuma.height * scale};
    }
};

} // namespace garage
