#include "motion/MotionDetector.h"

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
    m_hasBackground = false;
    m_lightingHold = 0;
}

void MotionDetector::adaptBackground(const cv::Mat &small, std::chrono::milliseconds timestamp)
{
    // exponential running average whose time constant is a third of absorb_seconds: a static change (a parked car)
    // is 95 % absorbed after absorb_seconds, whatever the frame rate
    const double dt = std::clamp(double((timestamp - m_lastTimestamp).count()), 1.0, 5000.0);
    const double tau = std::max(1.0, m_config.absorbTime.count() / 3.0);
    const double alpha = 1.0 - std::exp(-dt / tau);
    cv::accumulateWeighted(small, m_background, alpha);
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

    if (m_analysisSize == grey.size())
        grey.copyTo(m_small);
    else
        cv::resize(grey, m_small, m_analysisSize, 0, 0, cv::INTER_AREA);
    if (m_config.blurSize > 1)
        cv::GaussianBlur(m_small, m_blurred, cv::Size(m_config.blurSize, m_config.blurSize), 0);
    else
        m_blurred = m_small;

    if (!m_hasBackground) {
        m_blurred.convertTo(m_background, CV_32F);
        m_hasBackground = true;
        m_lastTimestamp = timestamp;
        return result;
    }

    m_background.convertTo(m_background8, CV_8U);
    cv::absdiff(m_blurred, m_background8, m_diff);
    cv::threshold(m_diff, m_changed, m_config.threshold, 255, cv::THRESH_BINARY);
    cv::bitwise_and(m_changed, m_mask, m_changed);
    result.changedPercent = 100.0 * cv::countNonZero(m_changed) / m_unmaskedPixels;

    if (result.changedPercent >= m_config.lightswitchPercent || m_lightingHold > 0) {
        // lighting change (light switched, headlights, IR mode): learn the new scene at once, not motion
        if (result.changedPercent >= m_config.lightswitchPercent)
            m_lightingHold = m_config.lightswitchFrames;
        else
            --m_lightingHold;
        m_blurred.convertTo(m_background, CV_32F);
        m_lastTimestamp = timestamp;
        result.lightingChange = true;
        return result;
    }

    adaptBackground(m_blurred, timestamp);
    m_lastTimestamp = timestamp;

    if (m_config.dilateIterations > 0)
        cv::dilate(m_changed, m_changed, cv::Mat(), cv::Point(-1, -1), m_config.dilateIterations);
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(m_changed, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    const double minArea = m_config.minContourPercent / 100.0 * m_unmaskedPixels;
    for (const auto &contour : contours) {
        const cv::Rect box = cv::boundingRect(contour);
        if (double(box.area()) < minArea || cv::contourArea(contour) < minArea)
            continue;
        const cv::Rect scaled(int(box.x * m_scale), int(box.y * m_scale), int(std::ceil(box.width * m_scale)),
                              int(std::ceil(box.height * m_scale)));
        result.boxes.push_back(scaled & cv::Rect(cv::Point(0, 0), m_inputSize));
    }
    result.motion = !result.boxes.empty() && result.changedPercent >= m_config.motionPercent;
    return result;
}

} // namespace garage
