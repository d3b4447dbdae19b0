#include "FrameKernels.h"

#include <opencv2/core/hal/intrin.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>

// OpenCV's universal intrinsics: 128-bit vectors that compile to SSE2 on x86-64 and NEON on the Pi's ARM cores,
// with a plain loop for the tail of each row (and for targets without them).

namespace garage {
namespace {

#if CV_SIMD128
// rounding averages, (a + b + 1) >> 1 per lane: one instruction on SSE2 (pavgb, pavgw) and NEON (urhadd); elsewhere
// (a | b) - ((a ^ b) >> 1)
inline cv::v_uint8x16 roundingAverage(const cv::v_uint8x16 &a, const cv::v_uint8x16 &b)
{
#if CV_SSE2
    return cv::v_uint8x16(_mm_avg_epu8(a.val, b.val));
#elif CV_NEON
    return cv::v_uint8x16(vrhaddq_u8(a.val, b.val));
#else
    const cv::v_uint8x16 half = cv::v_and(cv::v_reinterpret_as_u8(cv::v_shr<1>(cv::v_reinterpret_as_u16(cv::v_xor(a, b)))),
                                          cv::v_setall_u8(0x7F));
    return cv::v_sub(cv::v_or(a, b), half);
#endif
}

inline cv::v_uint16x8 roundingAverage(const cv::v_uint16x8 &a, const cv::v_uint16x8 &b)
{
#if CV_SSE2
    return cv::v_uint16x8(_mm_avg_epu16(a.val, b.val));
#elif CV_NEON
    return cv::v_uint16x8(vrhaddq_u16(a.val, b.val));
#else
    return cv::v_sub(cv::v_or(a, b), cv::v_shr<1>(cv::v_xor(a, b)));
#endif
}
#endif

} // namespace

void halveByArea(const cv::Mat &src, cv::Mat &dst)
{
    CV_Assert(src.type() == CV_8UC1);
    const int w = src.cols / 2, h = src.rows / 2;
    dst.create(h, w, CV_8UC1);
    for (int y = 0; y < h; ++y) {
        const std::uint8_t *a = src.ptr<std::uint8_t>(2 * y);
        const std::uint8_t *b = src.ptr<std::uint8_t>(2 * y + 1);
        std::uint8_t *out = dst.ptr<std::uint8_t>(y);
        int x = 0;
#if CV_SIMD128
        // rounding averages (pavgb/pavgw, urhadd): the two rows, then each pair of neighbours as the two bytes of a
        // 16-bit lane; rounding twice puts a result at most one grey level above the exact average
        const cv::v_uint16x8 low = cv::v_setall_u16(0x00FF);
        auto pairs = [&](const std::uint8_t *pa, const std::uint8_t *pb) {
            const cv::v_uint16x8 rows = cv::v_reinterpret_as_u16(roundingAverage(cv::v_load(pa), cv::v_load(pb)));
            return roundingAverage(cv::v_and(rows, low), cv::v_shr<8>(rows));
        };
        for (; x + 16 <= w; x += 16)
            cv::v_store(out + x, cv::v_pack(pairs(a + 2 * x, b + 2 * x), pairs(a + 2 * x + 16, b + 2 * x + 16)));
#endif
        for (; x < w; ++x)
            out[x] = std::uint8_t(((((a[2 * x] + b[2 * x] + 1) >> 1) + ((a[2 * x + 1] + b[2 * x + 1] + 1) >> 1)) + 1) >> 1);
    }
}

namespace {

inline std::uint8_t average(int a, int b)
{
    return std::uint8_t((a + b + 1) >> 1);
}

// [1 2 1] / 4 as two rounding averages: (a, c) then with b
inline std::uint8_t binomial(int a, int b, int c)
{
    return average(average(a, c), b);
}

} // namespace

void blur3x3(const cv::Mat &src, cv::Mat &dst, cv::Mat &rows)
{
    CV_Assert(src.type() == CV_8UC1);
    const int w = src.cols, h = src.rows;
    if (w < 2 || h < 2) {
        src.copyTo(dst);
        return;
    }
    dst.create(h, w, CV_8UC1);
    rows.create(1, w, CV_8UC1);
    std::uint8_t *v = rows.ptr<std::uint8_t>(0);
    for (int y = 0; y < h; ++y) {
        // reflect-101 borders, as OpenCV's default: row -1 is row 1, row h is row h-2
        const std::uint8_t *up = src.ptr<std::uint8_t>(y == 0 ? 1 : y - 1);
        const std::uint8_t *mid = src.ptr<std::uint8_t>(y);
        const std::uint8_t *down = src.ptr<std::uint8_t>(y == h - 1 ? h - 2 : y + 1);
        int x = 0;
#if CV_SIMD128
        for (; x + 16 <= w; x += 16)
            cv::v_store(v + x, roundingAverage(roundingAverage(cv::v_load(up + x), cv::v_load(down + x)), cv::v_load(mid + x)));
#endif
        for (; x < w; ++x)
            v[x] = binomial(up[x], mid[x], down[x]);

        std::uint8_t *out = dst.ptr<std::uint8_t>(y);
        out[0] = average(v[1], v[0]);
        x = 1;
#if CV_SIMD128
        for (; x + 16 <= w - 1; x += 16)
            cv::v_store(out + x, roundingAverage(roundingAverage(cv::v_load(v + x - 1), cv::v_load(v + x + 1)), cv::v_load(v + x)));
#endif
        for (; x < w - 1; ++x)
            out[x] = binomial(v[x - 1], v[x], v[x + 1]);
        out[w - 1] = average(v[w - 2], v[w - 1]);
    }
}

void poolAny(const cv::Mat &src, int cell, cv::Mat &dst, cv::Mat &rows)
{
    CV_Assert(src.type() == CV_8UC1 && cell >= 1);
    const int w = src.cols / cell, h = src.rows / cell;
    dst.create(h, w, CV_8UC1);
    rows.create(1, src.cols, CV_8UC1);
    std::uint8_t *any = rows.ptr<std::uint8_t>(0);
    for (int gy = 0; gy < h; ++gy) {
        // the cell row's pixel rows OR-ed together, then each cell's run of that
        std::memcpy(any, src.ptr<std::uint8_t>(gy * cell), std::size_t(src.cols));
        for (int r = 1; r < cell; ++r) {
            const std::uint8_t *row = src.ptr<std::uint8_t>(gy * cell + r);
            int x = 0;
#if CV_SIMD128
            for (; x + 16 <= src.cols; x += 16)
                cv::v_store(any + x, cv::v_or(cv::v_load(any + x), cv::v_load(row + x)));
#endif
            for (; x < src.cols; ++x)
                any[x] |= row[x];
        }
        std::uint8_t *out = dst.ptr<std::uint8_t>(gy);
        for (int gx = 0; gx < w; ++gx) {
            const std::uint8_t *run = any + gx * cell;
            std::uint8_t set = 0;
            if (cell == 4) {
                std::uint32_t word;
                std::memcpy(&word, run, 4);
                set = word != 0;
            } else {
                for (int i = 0; i < cell; ++i)
                    set |= run[i];
            }
            out[gx] = set ? 255 : 0;
        }
    }
}

int markChanged(const cv::Mat &a, const cv::Mat &b, int threshold, const cv::Mat &mask, cv::Mat &changed, int gainQ7)
{
    gainQ7 = std::clamp(gainQ7, 0, 256);
    CV_Assert(a.type() == CV_8UC1 && b.type() == CV_8UC1 && a.size() == b.size());
    CV_Assert(mask.empty() || (mask.type() == CV_8UC1 && mask.size() == a.size()));
    const int w = a.cols, h = a.rows;
    const auto limit = std::uint8_t(std::clamp(threshold, 0, 255));
    changed.create(h, w, CV_8UC1);
    int count = 0;
    for (int y = 0; y < h; ++y) {
        const std::uint8_t *pa = a.ptr<std::uint8_t>(y);
        const std::uint8_t *pb = b.ptr<std::uint8_t>(y);
        const std::uint8_t *pm = mask.empty() ? nullptr : mask.ptr<std::uint8_t>(y);
        std::uint8_t *out = changed.ptr<std::uint8_t>(y);
        int x = 0;
#if CV_SIMD128
        const cv::v_uint8x16 vlimit = cv::v_setall_u8(limit);
        const cv::v_uint8x16 all = cv::v_setall_u8(0xFF);
        cv::v_uint8x16 ones = cv::v_setzero_u8(); // per lane: how many set; subtracting 0xFF (wrapping) adds one
        int lanesFilled = 0;
        const cv::v_uint16x8 gain = cv::v_setall_u16(std::uint16_t(gainQ7));
        for (; x + 16 <= w; x += 16) {
            cv::v_uint8x16 va = cv::v_load(pa + x);
            if (gainQ7 != 128) { // a * gain / 128, saturated: 255 * 256 still fits 16 bits
                cv::v_uint16x8 lo, hi;
                cv::v_expand(va, lo, hi);
                va = cv::v_pack(cv::v_shr<7>(cv::v_mul_wrap(lo, gain)), cv::v_shr<7>(cv::v_mul_wrap(hi, gain)));
            }
            cv::v_uint8x16 on = cv::v_gt(cv::v_absdiff(va, cv::v_load(pb + x)), vlimit);
            on = cv::v_and(on, pm ? cv::v_load(pm + x) : all);
            cv::v_store(out + x, on);
            ones = cv::v_sub_wrap(ones, on); // v_sub saturates on 8-bit lanes
            if (++lanesFilled == 255) { // before a lane could wrap
                cv::v_uint16x8 lo, hi;
                cv::v_expand(ones, lo, hi);
                count += int(cv::v_reduce_sum(cv::v_add(lo, hi)));
                ones = cv::v_setzero_u8();
                lanesFilled = 0;
            }
        }
        cv::v_uint16x8 lo, hi;
        cv::v_expand(ones, lo, hi);
        count += int(cv::v_reduce_sum(cv::v_add(lo, hi)));
#endif
        for (; x < w; ++x) {
            const int va = std::min(255, (pa[x] * gainQ7) >> 7);
            const int d = va > pb[x] ? va - pb[x] : pb[x] - va;
            const std::uint8_t on = d > limit && (!pm || pm[x]) ? 0xFF : 0x00;
            out[x] = on;
            count += on & 1;
        }
    }
    return count;
}

} // namespace garage
