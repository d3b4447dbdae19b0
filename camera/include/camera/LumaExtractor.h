// Gets the 8-bit luma plane out of a video buffer: a zero-copy view for planar and semi-planar YUV, one pass for
// packed YUV and 16-bit luma, a colour conversion for RGB. Pure function over memory, so every format is testable.
#pragma once

#include <QVideoFrameFormat>

#include <opencv2/core.hpp>

namespace garage {

// plane0/stride0: the first plane of the mapped frame. Returns a view into plane0 when possible, otherwise fills
// scratch and returns it; an empty Mat for formats without a luma path here (e.g. JPEG: decode first).
cv::Mat extractLuma(QVideoFrameFormat::PixelFormat format, int width, int height, const uchar *plane0, int stride0,
                    cv::Mat &scratch);

// Whether extractLuma handles the format without decoding.
bool hasDirectLuma(QVideoFrameFormat::PixelFormat format);

} // namespace garage
