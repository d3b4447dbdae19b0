// Draws what the detector saw on a colour frame for alert snapshots: motion boxes, mask outlines, a caption.
#pragma once

#include "motion/MotionConfig.h"

#include <opencv2/core.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace garage {

// The caption as OpenCV's Hershey font can draw it (ASCII only): UTF-8 text with '·' as '-', '°' as "deg", any other
// non-ASCII character as '?' (once per character, not per byte).
std::string drawableCaption(std::string_view utf8);

void annotateFrame(cv::Mat &bgr, const std::vector<cv::Rect> &boxes, const std::vector<MaskPolygon> &masks,
                   const std::string &caption);

} // namespace garage
