// A frame handed to motion analysis: the luma plane, usually a view of the mapped video frame (no copy).
#pragma once

#include <opencv2/core.hpp>

#include <chrono>
#include <cstdint>

namespace garage {

struct LumaFrame {
    cv::Mat grey;                          // CV_8UC1; valid only during the frameReady emission (clone to keep)
    std::chrono::milliseconds timestamp{}; // stream time, monotonic across loops and reconnects
    std::int64_t index = 0;                // counter of frames handed to analysis
};

} // namespace garage
