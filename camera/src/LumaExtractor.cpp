#include "camera/LumaExtractor.h"

#include <opencv2/imgproc.hpp>

namespace garage {
namespace {

using PF = QVideoFrameFormat::PixelFormat;

enum class Path { View8, High16, PackedEven, PackedOdd, Ayuv, Rgb, None };

Path pathFor(PF format)
{
    switch (format) {
    case PF::Format_NV12:
    case PF::Format_NV21:
    case PF::Format_YUV420P:
    case PF::Format_YUV422P:
    case PF::Format_YV12:
    case PF::Format_IMC1:
    case PF::Format_IMC2:
    case PF::Format_IMC3:
    case PF::Format_IMC4:
    case PF::Format_Y8:
        return Path::View8;
    case PF::Format_P010:
    case PF::Format_P016:
    case PF::Format_Y16:
    case PF::Format_YUV420P10:
        return Path::High16;
    case PF::Format_YUYV:
        return Path::PackedEven; // Y0 U Y1 V
    case PF::Format_UYVY:
        return Path::PackedOdd;  // U Y0 V Y1
    case PF::Format_AYUV:
    case PF::Format_AYUV_Premultiplied:
        return Path::Ayuv;       // A Y U V
    case PF::Format_ARGB8888:
    case PF::Format_ARGB8888_Premultiplied:
    case PF::Format_XRGB8888:
    case PF::Format_BGRA8888:
    case PF::Format_BGRA8888_Premultiplied:
    case PF::Format_BGRX8888:
    case PF::Format_ABGR8888:
    case PF::Format_XBGR8888:
    case PF::Format_RGBA8888:
    case PF::Format_RGBX8888:
        return Path::Rgb;
    default:
        return Path::None;
    }
}

// byte order in memory of the 32-bit RGB formats (Qt names them by byte order)
int rgbConversion(PF format)
{
    switch (format) {
    case PF::Format_BGRA8888:
    case PF::Format_BGRA8888_Premultiplied:
    case PF::Format_BGRX8888:
        return cv::COLOR_BGRA2GRAY;
    case PF::Format_RGBA8888:
    case PF::Format_RGBX8888:
        return cv::COLOR_RGBA2GRAY;
    default:
        return -1; // ARGB / XRGB / ABGR / XBGR: alpha first, handled by hand
    }
}

} // namespace

bool hasDirectLuma(QVideoFrameFormat::PixelFormat format)
{
    return pathFor(format) != Path::None;
}

cv::Mat extractLuma(QVideoFrameFormat::PixelFormat format, int width, int height, const uchar *plane0, int stride0,
                    cv::Mat &scratch)
{
    if (!plane0 || width <= 0 || height <= 0)
        return {};
    auto *data = const_cast<uchar *>(plane0); // views are only ever read
    switch (pathFor(format)) {
    case Path::View8:
        return cv::Mat(height, width, CV_8UC1, data, size_t(stride0));
    case Path::High16: {
        // P010/P016/Y16 keep the significant bits at the top of each 16-bit word
        const cv::Mat wide(height, width, CV_16UC1, data, size_t(stride0));
        wide.convertTo(scratch, CV_8U, 1.0 / 256.0);
        return scratch;
    }
    case Path::PackedEven:
    case Path::PackedOdd: {
        scratch.create(height, width, CV_8UC1);
        const int offset = pathFor(format) == Path::PackedEven ? 0 : 1;
        for (int y = 0; y < height; ++y) {
            const uchar *in = plane0 + size_t(y) * stride0 + offset;
            uchar *out = scratch.ptr<uchar>(y);
            for (int x = 0; x < width; ++x)
                out[x] = in[2 * x];
        }
        return scratch;
    }
    case Path::Ayuv: {
        const cv::Mat packed(height, width, CV_8UC4, data, size_t(stride0));
        scratch.create(height, width, CV_8UC1);
        cv::extractChannel(packed, scratch, 1);
        return scratch;
    }
    case Path::Rgb: {
        const cv::Mat packed(height, width, CV_8UC4, data, size_t(stride0));
        if (const int code = rgbConversion(format); code >= 0) {
            cv::cvtColor(packed, scratch, code);
            return scratch;
        }
        // A R G B (or A B G R) in memory: drop the first byte, then the usual conversion
        cv::Mat three(height, width, CV_8UC3);
        const int fromTo[] = {1, 0, 2, 1, 3, 2};
        cv::mixChannels(&packed, 1, &three, 1, fromTo, 3);
        const bool rgbOrder = format == PF::Format_ARGB8888 || format == PF::Format_ARGB8888_Premultiplied
                              || format == PF::Format_XRGB8888;
        cv::cvtColor(three, scratch, rgbOrder ? cv::COLOR_RGB2GRAY : cv::COLOR_BGR2GRAY);
        return scratch;
    }
    case Path::None:
        break;
    }
    return {};
}

} // namespace garage
