// Second-stage check on an event's best frame: OpenCV's built-in HOG people detector (no model files).
#pragma once

#include <opencv2/core.hpp>

namespace garage {

class PersonDetector
{
public:
    // image: grey or BGR. region: where the motion was (empty: the whole image); searched with a margin around it.
    bool containsPerson(const cv::Mat &image, const cv::Rect &region = {}) const;
};

} // namespace garage
