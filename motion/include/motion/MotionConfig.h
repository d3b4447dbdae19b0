// Settings of the motion pipeline and the event state machine ([motion] section); plain values with defaults.
#pragma once

#include <chrono>
#include <vector>

namespace garage {

struct NormalizedPoint {
    double x = 0; // 0..1 of the frame width
    double y = 0; // 0..1 of the frame height
    bool operator==(const NormalizedPoint &) const = default;
};

// A polygon in normalized coordinates, so a mask survives a resolution change.
using MaskPolygon = std::vector<NormalizedPoint>;

struct MotionConfig {
    int analysisWidth = 320;              // frames are downscaled by a whole factor to about this width (aspect kept)
    int blurSize = 3;                     // Gaussian kernel size, odd; 0 or 1 disables
    int threshold = 25;                   // luma difference that counts as changed
    std::chrono::milliseconds absorbTime{std::chrono::seconds(30)}; // a static change becomes background after this
    int dilateIterations = 2;             // despeckle/dilate passes
    double minContourPercent = 0.05;      // contours smaller than this % of the unmasked area are ignored
    double motionPercent = 0.4;           // a frame is "motion" when this % of the unmasked area changed
    double lightswitchPercent = 40.0;     // a change this large within a frame or two is a lighting change
    int lightswitchFrames = 5;            // frames ignored (and re-baselined) after a lighting change
    int minimumMotionFrames = 3;          // consecutive motion frames that start an event
    std::chrono::milliseconds eventGap{std::chrono::seconds(10)};         // an event ends after this without motion
    std::chrono::milliseconds maxEventDuration{std::chrono::seconds(300)}; // and is cut at this length
    std::vector<MaskPolygon> masks;       // excluded regions
    bool personCheck = false;             // run the HOG people detector on an event's best frames
};

} // namespace garage
