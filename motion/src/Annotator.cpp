#include "motion/Annotator.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace garage {

std::string drawableCaption(std::string_view utf8)
{
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        const auto byte = static_cast<unsigned char>(utf8[i]);
        if (byte < 0x80) {
            out += char(byte);
            ++i;
            continue;
        }
        const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
        const std::string_view character = utf8.substr(i, length);
        out += character == "\u00b7" ? "-" : character == "\u00b0" ? "deg" : "?";
        i += length;
    }
    return out;
}

void annotateFrame(cv::Mat &bgr, const std::vector<cv::Rect> &boxes, const std::vector<MaskPolygon> &masks,
                   const std::string &caption)
{
    if (bgr.empty())
        return;
    const int thickness = std::max(1, bgr.cols / 400);
    std::vector<std::vector<cv::Point>> outlines;
    for (const MaskPolygon &polygon : masks) {
        std::vector<cv::Point> points;
        for (const NormalizedPoint &p : polygon)
            points.emplace_back(int(std::lround(p.x * (bgr.cols - 1))), int(std::lround(p.y * (bgr.rows - 1))));
        outlines.push_back(std::move(points));
    }
    cv::polylines(bgr, outlines, true, cv::Scalar(0, 0, 255), thickness, cv::LINE_AA);
    for (const cv::Rect &box : boxes)
        cv::rectangle(bgr, box, cv::Scalar(0, 255, 0), thickness + 1);
    if (caption.empty())
        return;
    const std::string text8 = drawableCaption(caption);
    const double fontScale = std::max(0.4, bgr.cols / 1280.0);
    int baseline = 0;
    const cv::Size text = cv::getTextSize(text8, cv::FONT_HERSHEY_SIMPLEX, fontScale, thickness, &baseline);
    const cv::Rect band(0, 0, std::min(bgr.cols, text.width + 12), std::min(bgr.rows, text.height + baseline + 12));
    bgr(band) *= 0.35; // darken behind the text so it stays readable on a bright scene
    cv::putText(bgr, text8, cv::Point(6, text.height + 6), cv::FONT_HERSHEY_SIMPLEX, fontScale,
                cv::Scalar(255, 255, 255), thickness, cv::LINE_AA);
}

} // namespace garage
