#include "motion/PersonDetector.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>

namespace garage {
namespace {

constexpr int kWindowHeight = 128; // the default people detector's window is 64x128

} // namespace

bool PersonDetector::containsPerson(const cv::Mat &image, const cv::Rect &region) const
{
    if (image.empty())
        return false;
    const cv::Rect frame(cv::Point(0, 0), image.size());
    cv::Rect search = region.area() > 0 ? region : frame;
    // a margin of half the box on each side: motion boxes often cut off a limb
    search -= cv::Point(search.width / 2, search.height / 2);
    search += cv::Size(search.width, search.height);
    search &= frame;
    if (search.height < kWindowHeight / 2 || search.width < 32)
        return false;
    cv::Mat roi = image(search);
    cv::Mat grey;
    if (roi.channels() == 3)
        cv::cvtColor(roi, grey, cv::COLOR_BGR2GRAY);
    else
        grey = roi;
    // HOG finds people at least as tall as its 128 px window and, by its own pyramid, any taller: scale so that a
    // person a fifth of the frame tall fills the window (far people in a wide view); never scale down
    const double scale = std::clamp(double(kWindowHeight + 32) / (image.rows / 5.0), 1.0, 2.0);
    cv::Mat scaled;
    if (scale > 1.0)
        cv::resize(grey, scaled, cv::Size(), scale, scale, cv::INTER_LINEAR);
    else
        scaled = grey;
    if (scaled.rows < kWindowHeight || scaled.cols < 64)
        return false;
    static thread_local cv::HOGDescriptor hog = [] {
        cv::HOGDescriptor h;
        h.setSVMDetector(cv::HOGDescriptor::getDefaultPeopleDetector());
        return h;
    }();
    std::vector<cv::Rect> found;
    std::vector<double> weights;
    hog.detectMultiScale(scaled, found, weights, 0.0, cv::Size(8, 8), cv::Size(16, 16), 1.05, 2.0);
    return std::any_of(weights.begin(), weights.end(), [](double w) { return w > 0.3; });
}

} // namespace garage
