// Draws what the detector saw on a colour frame for alert snapshots: motion boxes, mask outlines, a caption.
#pragma once

#include "motion/MotionConfig.h"

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace garage {

void annotateFrame(cv::Mat &bgr, const std::vector<cv::Rect> &boxes, const std::vector<MaskPolygon> &masks,
                   const std::string &caption);

} // namespace garage
