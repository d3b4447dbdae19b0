#include "FrameKernels.h"

#include <opencv2/core/hal/intrin.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>

// OpenCV's universal intrinsics: 128-bit vectors that compile to SSE2 on x86-64 and NEON on the Pi's ARM cores,
// with a plain loop for the tail of each row (and for targets without them).

namespace garage {

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
        // rows added as 16-bit lanes, then neighbouring lanes added by a multiply-add with ones (pmaddwd, vpadal):
        // no byte shuffles, which SSE2 does not have
        const cv::v_int16x8 ones = cv::v_setall_s16(1);
        const cv::v_int32x4 two = cv::v_setall_s32(2);
        auto pairs = [&](const std::uint8_t *pa, const std::uint8_t *pb) {
            cv::v_uint16x8 a0, a1, b0, b1;
            cv::v_expand(cv::v_load(pa), a0, a1);
            cv::v_expand(cv::v_load(pb), b0, b1);
            const cv::v_int32x4 lo = cv::v_shr<2>(cv::v_add(cv::v_dotprod(cv::v_reinterpret_as_s16(cv::v_add(a0, b0)), ones), two));
            const cv::v_int32x4 hi = cv::v_shr<2>(cv::v_add(cv::v_dotprod(cv::v_reinterpret_as_s16(cv::v_add(a1, b1)), ones), two));
            return cv::v_pack(lo, hi); // 8 averages as 16-bit lanes
        };
        for (; x + 16 <= w; x += 16) {
            const cv::v_int16x8 first = pairs(a + 2 * x, b + 2 * x);
            const cv::v_int16x8 second = pairs(a + 2 * x + 16, b + 2 * x + 16);
            cv::v_store(out + x, cv::v_pack_u(first, second));
        }
#endif
        for (; x < w; ++x)
            out[x] = std::uint8_t((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) >> 2);
    }
}

void blur3x3(const cv::Mat &src, cv::Mat &dst, cv::Mat &rows)
{
    CV_Assert(src.type() == CV_8UC1);
    const int w = src.cols, h = src.rows;
    if (w < 2 || h < 2) {
        src.copyTo(dst);
        return;
    }
    dst.create(h, w, CV_8UC1);
    rows.create(1, w, CV_16UC1);
    std::uint16_t *v = rows.ptr<std::uint16_t>(0);
    for (int y = 0; y < h; ++y) {
        // reflect-101 borders, as OpenCV's default: row -1 is row 1, row h is row h-2
        const std::uint8_t *up = src.ptr<std::uint8_t>(y == 0 ? 1 : y - 1);
        const std::uint8_t *mid = src.ptr<std::uint8_t>(y);
        const std::uint8_t *down = src.ptr<std::uint8_t>(y == h - 1 ? h - 2 : y + 1);
        int x = 0;
#if CV_SIMD128
        for (; x + 16 <= w; x += 16) {
            cv::v_uint16x8 u0, u1, m0, m1, d0, d1;
            cv::v_expand(cv::v_load(up + x), u0, u1);
            cv::v_expand(cv::v_load(mid + x), m0, m1);
            cv::v_expand(cv::v_load(down + x), d0, d1);
            cv::v_store(v + x, cv::v_add(cv::v_add(u0, d0), cv::v_shl<1>(m0)));
            cv::v_store(v + x + 8, cv::v_add(cv::v_add(u1, d1), cv::v_shl<1>(m1)));
        }
#endif
        for (; x < w; ++x)
            v[x] = std::uint16_t(up[x] + 2 * mid[x] + down[x]);

        std::uint8_t *out = dst.ptr<std::uint8_t>(y);
        out[0] = std::uint8_t((2 * v[1] + 2 * v[0] + 8) >> 4);
        x = 1;
#if CV_SIMD128
        const cv::v_uint16x8 eight = cv::v_setall_u16(8);
        for (; x + 16 <= w - 1; x += 16) {
            const cv::v_uint16x8 lo = cv::v_shr<4>(cv::v_add(cv::v_add(cv::v_load(v + x - 1), cv::v_load(v + x + 1)),
                                                             cv::v_add(cv::v_shl<1>(cv::v_load(v + x)), eight)));
            const cv::v_uint16x8 hi = cv::v_shr<4>(cv::v_add(cv::v_add(cv::v_load(v + x + 7), cv::v_load(v + x + 9)),
                                                             cv::v_add(cv::v_shl<1>(cv::v_load(v + x + 8)), eight)));
            cv::v_store(out + x, cv::v_pack(lo, hi));
        }
#endif
        for (; x < w - 1; ++x)
            out[x] = std::uint8_t((v[x - 1] + 2 * v[x] + v[x + 1] + 8) >> 4);
        out[w - 1] = std::uint8_t((2 * v[w - 2] + 2 * v[w - 1] + 8) >> 4);
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

int markChanged(const cv::Mat &a, const cv::Mat &b, int threshold, const cv::Mat &mask, cv::Mat &changed)
{
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
        for (; x + 16 <= w; x += 16) {
            cv::v_uint8x16 on = cv::v_gt(cv::v_absdiff(cv::v_load(pa + x), cv::v_load(pb + x)), vlimit);
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
            const int d = pa[x] > pb[x] ? pa[x] - pb[x] : pb[x] - pa[x];
            const std::uint8_t on = d > limit && (!pm || pm[x]) ? 0xFF : 0x00;
            out[x] = on;
            count += on & 1;
        }
    }
    return count;
}

} // namespace garage
