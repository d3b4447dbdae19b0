#include "motion/MotionDetector.h"

#include "FrameKernels.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace garage {

MotionDetector::MotionDetector(const MotionConfig &config)
    : m_config(config)
{
}

void MotionDetector::reset()
{
    m_hasBackground = false;
    m_lightingHold = 0;
    m_inputSize = {};
}

void MotionDetector::prepare(const cv::Size &inputSize)
{
    m_inputSize = inputSize;
    // an integer factor near input/analysis_width: area averaging by a whole factor is OpenCV's fast path
    // (768 -> 384, 640 -> 320, 1280 -> 320), and a fractional one costs ~6x more for no better verdict
    const int factor = std::max(1, int(std::lround(double(inputSize.width) / std::max(m_config.analysisWidth, 1))));
    m_analysisSize = cv::Size(std::max(1, inputSize.width / factor), std::max(1, inputSize.height / factor));
    m_scale = double(factor);
    m_mask = cv::Mat(m_analysisSize, CV_8UC1, cv::Scalar(255));
    std::vector<std::vector<cv::Point>> polygons;
    for (const MaskPolygon &polygon : m_config.masks) {
        std::vector<cv::Point> points;
        for (const NormalizedPoint &p : polygon)
            points.emplace_back(int(std::lround(p.x * m_analysisSize.width)), int(std::lround(p.y * m_analysisSize.height)));
        polygons.push_back(std::move(points));
    }
    if (!polygons.empty())
        cv::fillPoly(m_mask, polygons, cv::Scalar(0));
    m_unmaskedPixels = cv::countNonZero(m_mask);
    m_hasMask = m_unmaskedPixels < m_analysisSize.area();
    m_hasBackground = false;
    m_lightingHold = 0;
}

void MotionDetector::downscaleAndBlur(const cv::Mat &grey)
{
    // halving by area averaging is OpenCV's fastest resize; a factor of 4 costs ~3x two halvings, so go in halves
    // while the factor is even, then by what is left (3 for 960 -> 320)
    int factor = int(m_scale);
    const cv::Mat *current = &grey;
    cv::Mat *target = &m_small;
    while (factor > 1) {
        const int step = factor % 2 == 0 ? 2 : factor;
        if (step == 2)
            halveByArea(*current, *target);
        else
            cv::resize(*current, *target, cv::Size(current->cols / step, current->rows / step), 0, 0, cv::INTER_AREA);
        current = target;
        target = target == &m_small ? &m_half : &m_small;
        factor /= step;
    }
    if (current == &grey) {
        grey.copyTo(m_small);
        current = &m_small;
    }
    if (m_config.blurSize == 3)
        blur3x3(*current, m_blurred, m_blurRows);
    else if (m_config.blurSize > 1)
        cv::GaussianBlur(*current, m_blurred, cv::Size(m_config.blurSize, m_config.blurSize), 0);
    else
        current->copyTo(m_blurred);
}

void MotionDetector::adaptBackground(const cv::Mat &small, std::chrono::milliseconds timestamp)
{
    // exponential running average whose time constant is a third of absorb_seconds: a static change (a parked car)
    // is 95 % absorbed after absorb_seconds, whatever the frame rate. The weight comes from the time since the last
    // update, so updating at most every 150 ms absorbs just as fast and halves the float work at 10 fps.
    const auto sinceUpdate = timestamp - m_lastAdapt;
    if (sinceUpdate < std::chrono::milliseconds(150) && sinceUpdate >= std::chrono::milliseconds(0))
        return;
    const double dt = std::clamp(double(sinceUpdate.count()), 1.0, 5000.0);
    const double tau = std::max(1.0, m_config.absorbTime.count() / 3.0);
    cv::accumulateWeighted(small, m_background, 1.0 - std::exp(-dt / tau));
    m_background.convertTo(m_background8, CV_8U);
    m_backgroundMean = cv::mean(m_background8)[0];
    m_lastAdapt = timestamp;
}

void MotionDetector::rebaseline(const cv::Mat &small, std::chrono::milliseconds timestamp)
{
    small.convertTo(m_background, CV_32F);
    small.copyTo(m_background8);
    m_backgroundMean = cv::mean(m_background8)[0];
    m_lastAdapt = timestamp;
}

// The changed regions, as boxes in input-frame coordinates. Changed pixels are pooled into cells of 2 x
// dilate_iterations pixels (a cell is set when any of its pixels changed): that does what as many 3x3 dilations do,
// joining changed pixels up to that far apart into one region, and leaves the contour search a grid 16x smaller
// (at the default 4-pixel cells).
std::vector<cv::Rect> MotionDetector::findRegions()
{
    const int cell = std::max(1, 2 * m_config.dilateIterations);
    const cv::Mat *grid = &m_changed;
    if (cell > 1) {
        poolAny(m_changed, cell, m_cells, m_pooled);
        grid = &m_cells;
    }
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(*grid, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    const double minArea = m_config.minContourPercent / 100.0 * m_unmaskedPixels;
    const cv::Rect analysed(cv::Point(0, 0), m_analysisSize);
    std::vector<cv::Rect> boxes;
    for (const auto &contour : contours) {
        const cv::Rect cells = cv::boundingRect(contour);
        // the region's area: its set cells (a one-cell region has a contour of no area)
        if (double(cv::countNonZero((*grid)(cells))) * cell * cell < minArea)
            continue;
        const cv::Rect box = cv::Rect(cells.x * cell, cells.y * cell, cells.width * cell, cells.height * cell) & analysed;
        const cv::Rect scaled(int(box.x * m_scale), int(box.y * m_scale), int(std::ceil(box.width * m_scale)),
                              int(std::ceil(box.height * m_scale)));
        boxes.push_back(scaled & cv::Rect(cv::Point(0, 0), m_inputSize));
    }
    return boxes;
}

// A cloud, dusk or the camera's exposure make the whole picture darker or brighter, slowly enough that the background
// lags and a large share of the view differs, too little at once to be a lighting change. The ratio of the mean
// brightness of background and frame takes that out before the comparison (in 1/128 steps; a change under 3 % or
// a near-black picture is left alone). A person or car moves the mean a little too, and is still far off the
// compensated background.
int MotionDetector::brightnessGain() const
{
    const double frameMean = cv::mean(m_blurred)[0];
    if (frameMean < 8 || m_backgroundMean < 8)
        return 128;
    const double gain = std::clamp(m_backgroundMean / frameMean, 0.5, 2.0);
    return std::abs(gain - 1.0) < 0.03 ? 128 : int(std::lround(gain * 128));
}

FrameAnalysis MotionDetector::process(const cv::Mat &grey, std::chrono::milliseconds timestamp)
{
    FrameAnalysis result;
    if (grey.empty() || grey.type() != CV_8UC1 || grey.cols < 2 || grey.rows < 2)
        return result;
    if (grey.size() != m_inputSize)
        prepare(grey.size());
    if (m_unmaskedPixels == 0)
        return result; // everything is masked out

    downscaleAndBlur(grey);

    if (!m_hasBackground) {
        rebaseline(m_blurred, timestamp);
        m_hasBackground = true;
        return result;
    }

    const int changed = markChanged(m_blurred, m_background8, m_config.threshold, m_hasMask ? m_mask : cv::Mat(),
                                    m_changed, brightnessGain());
    result.changedPercent = 100.0 * changed / m_unmaskedPixels;

    if (result.changedPercent >= m_config.lightswitchPercent || m_lightingHold > 0) {
        // lighting change (light switched, headlights, IR mode): learn the new scene at once, not motion
        if (result.changedPercent >= m_config.lightswitchPercent)
            m_lightingHold = m_config.lightswitchFrames;
        else
            --m_lightingHold;
        rebaseline(m_blurred, timestamp);
        result.lightingChange = true;
        return result;
    }

    adaptBackground(m_blurred, timestamp);

    // below the motion threshold the verdict is "no motion" whatever the boxes: a quiet garage skips the box search
    if (result.changedPercent < m_config.motionPercent)
        return result;
    result.boxes = findRegions();
    result.motion = !result.boxes.empty();
    return result;
}

} // namespace garage
