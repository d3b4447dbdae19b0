// The per-frame motion pipeline: grey frame in, changed area, boxes and a motion verdict out. Downscale, blur,
// compare with an adapting background (running average), threshold, mask, dilate (by pooling into cells), contours,
// minimum area; a change over lightswitch_percent of the frame is a lighting change that re-baselines the background
// instead of motion.
#pragma once

#include "motion/MotionConfig.h"

#include <opencv2/core.hpp>

#include <chrono>
#include <vector>

namespace garage {

struct FrameAnalysis {
    double changedPercent = 0;   // % of the unmasked area that changed
    std::vector<cv::Rect> boxes; // changed regions, in input-frame coordinates
    bool motion = false;         // the verdict for this frame
    bool lightingChange = false; // rejected as a lighting change (never motion)
};

class MotionDetector
{
public:
    explicit MotionDetector(const MotionConfig &config);

    // grey: CV_8UC1, any size (a view with a stride is fine). A size change restarts the background.
    FrameAnalysis process(const cv::Mat &grey, std::chrono::milliseconds timestamp);
    void reset();

private:
    void prepare(const cv::Size &inputSize);
    void downscaleAndBlur(const cv::Mat &grey);
    void adaptBackground(const cv::Mat &small, std::chrono::milliseconds timestamp);
    void rebaseline(const cv::Mat &small, std::chrono::milliseconds timestamp);
    std::vector<cv::Rect> findRegions();
    int brightnessGain() const;

    MotionConfig m_config;
    cv::Size m_inputSize;
    cv::Size m_analysisSize;
    double m_scale = 1.0;            // input pixels per analysis pixel
    cv::Mat m_background;            // CV_32F running average
    cv::Mat m_mask;                  // CV_8U, 255 where analysed
    int m_unmaskedPixels = 0;
    bool m_hasMask = false;
    int m_lightingHold = 0;          // frames left to re-baseline after a lighting change
    std::chrono::milliseconds m_lastAdapt{0};
    bool m_hasBackground = false;
    double m_backgroundMean = 0;     // mean grey level of m_background8
    // scratch buffers, reused frame to frame
    cv::Mat m_small, m_blurred, m_blurRows, m_background8, m_changed, m_half, m_cells, m_pooled;
};

} // namespace garage
