// Pure luma (Y / grey) extraction from the planes of a mapped video frame, for every pixel format Qt delivers.
#pragma once

#include <QString>
#include <QVideoFrameFormat>
#include <cstddef>
#include <expected>
#include <opencv2/core/mat.hpp>
#include <span>

namespace garage {

// One mapped plane: its first byte, the stride and the number of bytes mapped.
struct PlaneView {
    const unsigned char *data = nullptr;
    int bytesPerLine = 0;
    std::size_t size = 0;
};

// Returns a CV_8UC1 width x height luma image. For 8-bit planar and semi-planar YUV (and Y8) the result wraps
// plane 0 without copying (valid as long as the planes are); otherwise it is written into `scratch` (reused
// between calls, so steady state allocates nothing). 16-bit formats keep their 8 most significant bits; RGB
// formats use the BT.601 weights (cv::cvtColor); JPEG is decoded to grey.
std::expected<cv::Mat, QString> extractLuma(QVideoFrameFormat::PixelFormat format, int width, int height,
                                            std::span<const PlaneView> planes, cv::Mat &scratch);

// Whether extractLuma handles the format.
bool isLumaSupported(QVideoFrameFormat::PixelFormat format);

} // namespace garage
