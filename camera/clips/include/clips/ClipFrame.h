// One frame kept for a clip: the camera's JPEG bytes as they came (decoded only when a clip is made), or a colour
// picture already reduced to the clip's width. It carries its stream time.
#pragma once

#include <QByteArray>
#include <opencv2/core.hpp>

#include <chrono>
#include <cstddef>

namespace garage {

struct ClipFrame {
    std::chrono::milliseconds timestamp{}; // the frame source's stream time: never goes back
    QByteArray jpeg;                       // an MJPEG camera's frame, as sent
    cv::Mat bgr;                           // any other source: 8-bit BGR, already at the clip's size
    std::chrono::system_clock::time_point capturedAt{}; // wall clock, for the caption only (unset: no caption)

    bool isNull() const { return jpeg.isEmpty() && bgr.empty(); }
    // The memory the frame holds (the JPEG's bytes or the picture's pixels).
    std::size_t bytes() const;
};

} // namespace garage
