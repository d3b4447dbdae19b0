// The per-pixel stages of the motion pipeline as single passes over rows, written so the compiler vectorizes them:
// halving by 2x2 area average, the 3x3 binomial blur, and difference + threshold + mask + count in one pass.
// They do what cv::resize(INTER_AREA), cv::GaussianBlur(3x3) and absdiff/threshold/bitwise_and/countNonZero do,
// for a fraction of the instructions on small frames (no dispatch, no per-call set-up, no intermediate images, and
// rounding averages where a grey level either way does not change a verdict thresholded at 25).
#pragma once

#include <opencv2/core.hpp>

namespace garage {

// dst = the 2x2 area average of src, (cols/2)x(rows/2); an odd last column or row is left out. Averaged in two
// rounding steps (what the vector units do in one instruction): at most one grey level above the exact average.
void halveByArea(const cv::Mat &src, cv::Mat &dst);

// 3x3 binomial blur ([1 2 1] both ways, /16) with reflected borders, as cv::GaussianBlur(src, dst, {3, 3}, 0), each
// [1 2 1] as two rounding averages: at most two grey levels above the exact result. rows is scratch.
void blur3x3(const cv::Mat &src, cv::Mat &dst, cv::Mat &rows);

// dst(x, y) = 255 where any pixel of the cell x y of cell x cell pixels in src is set, else 0; (cols/cell)x(rows/cell),
// a partial last cell left out. rows is scratch.
void poolAny(const cv::Mat &src, int cell, cv::Mat &dst, cv::Mat &rows);

// changed = 255 where |a * gainQ7 / 128 - b| > threshold and mask is set (an empty mask: everywhere), else 0;
// returns how many. gainQ7 (0..256, 128 = 1) takes out a change of the whole picture's brightness.
int markChanged(const cv::Mat &a, const cv::Mat &b, int threshold, const cv::Mat &mask, cv::Mat &changed,
                int gainQ7 = 128);

} // namespace garage
