#include "camera/LumaExtractor.h"

#include "camera/MjpegStreamParser.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace garage {
namespace {

using PF = QVideoFrameFormat::PixelFormat;

bool planeLargeEnough(const PlaneView &p, int rows, int rowBytes)
{
    return p.data && p.bytesPerLine >= rowBytes && rows > 0
           && p.size >= std::size_t(p.bytesPerLine) * std::size_t(rows - 1) + std::size_t(rowBytes);
}

cv::Mat wrap(const PlaneView &p, int rows, int cols, int type)
{
    return cv::Mat(rows, cols, type, const_cast<unsigned char *>(p.data), std::size_t(p.bytesPerLine));
}

// 16-bit little-endian samples to 8 bits: keep the top `bits` significant bits.
std::expected<cv::Mat, QString> narrow16(const PlaneView &p, int width, int height, int significantBits,
                                         cv::Mat &scratch)
{
    if (p.bytesPerLine % 2 != 0)
        return std::unexpected(QStringLiteral("16-bit plane with odd stride %1").arg(p.bytesPerLine));
    const cv::Mat src = wrap(p, height, width, CV_16UC1);
    src.convertTo(scratch, CV_8U, 1.0 / double(1 << (significantBits - 8)));
    return scratch;
}

// A packed 4-byte format as seen by cvtColor: which conversion gives grey.
int rgbaToGreyCode(PF format)
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
        return -1;
    }
}

} // namespace

bool isLumaSupported(QVideoFrameFormat::PixelFormat format)
{
    switch (format) {
    case PF::Format_Invalid:
    case PF::Format_SamplerExternalOES:
    case PF::Format_SamplerRect:
    case PF::Format_IMC1:
    case PF::Format_IMC2:
    case PF::Format_IMC3:
    case PF::Format_IMC4:
        return false;
    default:
        return true;
    }
}

std::expected<cv::Mat, QString> extractLuma(QVideoFrameFormat::PixelFormat format, int width, int height,
                                            std::span<const PlaneView> planes, cv::Mat &scratch)
{
    if (width <= 0 || height <= 0 || planes.empty())
        return std::unexpected(QStringLiteral("empty frame"));
    const PlaneView &p0 = planes.front();
    const auto need = [&](int rowBytes) -> std::expected<void, QString> {
        if (!planeLargeEnough(p0, height, rowBytes))
            return std::unexpected(QStringLiteral("plane 0 too small for %1x%2 %3").arg(width).arg(height)
                                       .arg(QVideoFrameFormat::pixelFormatToString(format)));
        return {};
    };

    switch (format) {
    case PF::Format_YUV420P:
    case PF::Format_YUV422P:
    case PF::Format_YV12:
    case PF::Format_NV12:
    case PF::Format_NV21:
    case PF::Format_Y8:
        if (auto ok = need(width); !ok)
            return std::unexpected(ok.error());
        return wrap(p0, height, width, CV_8UC1); // zero copy: the Y plane is the grey image
    case PF::Format_P010:
    case PF::Format_P016:
    case PF::Format_Y16:
        if (auto ok = need(width * 2); !ok)
            return std::unexpected(ok.error());
        return narrow16(p0, width, height, 16, scratch); // MSB-aligned: the high byte
    case PF::Format_YUV420P10:
        if (auto ok = need(width * 2); !ok)
            return std::unexpected(ok.error());
        return narrow16(p0, width, height, 10, scratch); // LSB-aligned 10-bit
    case PF::Format_YUYV:
    case PF::Format_UYVY: {
        const int rowBytes = ((width + 1) / 2) * 4;
        if (auto ok = need(rowBytes); !ok)
            return std::unexpected(ok.error());
        // as 2-channel pixels: YUYV = (Y,U)(Y,V), UYVY = (U,Y)(V,Y): luma is one channel, one pass
        cv::extractChannel(wrap(p0, height, width, CV_8UC2), scratch, format == PF::Format_YUYV ? 0 : 1);
        return scratch;
    }
    case PF::Format_AYUV:
    case PF::Format_AYUV_Premultiplied:
        if (auto ok = need(width * 4); !ok)
            return std::unexpected(ok.error());
        cv::extractChannel(wrap(p0, height, width, CV_8UC4), scratch, 1);
        return scratch;
    case PF::Format_ARGB8888:
    case PF::Format_ARGB8888_Premultiplied:
    case PF::Format_XRGB8888:
    case PF::Format_ABGR8888:
    case PF::Format_XBGR8888: {
        // alpha first in memory: drop it by viewing from byte 1, then the remaining 3 bytes are RGB or BGR
        if (auto ok = need(width * 4); !ok)
            return std::unexpected(ok.error());
        const cv::Mat src = wrap(p0, height, width, CV_8UC4);
        const bool rgb = format != PF::Format_ABGR8888 && format != PF::Format_XBGR8888;
        thread_local cv::Mat bgr;
        bgr.create(height, width, CV_8UC3);
        const int fromTo[] = {1, rgb ? 2 : 0, 2, 1, 3, rgb ? 0 : 2};
        cv::mixChannels(&src, 1, &bgr, 1, fromTo, 3);
        cv::cvtColor(bgr, scratch, cv::COLOR_BGR2GRAY);
        return scratch;
    }
    case PF::Format_BGRA8888:
    case PF::Format_BGRA8888_Premultiplied:
    case PF::Format_BGRX8888:
    case PF::Format_RGBA8888:
    case PF::Format_RGBX8888:
        if (auto ok = need(width * 4); !ok)
            return std::unexpected(ok.error());
        cv::cvtColor(wrap(p0, height, width, CV_8UC4), scratch, rgbaToGreyCode(format));
        return scratch;
    case PF::Format_Jpeg: {
        if (!p0.data || p0.size == 0)
            return std::unexpected(QStringLiteral("empty JPEG frame"));
        const QByteArrayView jpeg(p0.data, qsizetype(p0.size));
        // decoded only at the size the frame announced (and the frame source held to its limit), and only whole
        if (const QSize header = jpegImageSize(jpeg); header != QSize(width, height))
            return std::unexpected(QStringLiteral("a %1x%2 frame holds a JPEG of %3x%4: not decoded")
                                       .arg(width).arg(height).arg(header.width()).arg(header.height()));
        if (!jpegIsComplete(jpeg))
            return std::unexpected(QStringLiteral("a truncated JPEG frame (no end-of-image marker) was dropped"));
        const cv::Mat bytes(1, int(p0.size), CV_8UC1, const_cast<unsigned char *>(p0.data));
        scratch = cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
        if (scratch.empty())
            return std::unexpected(QStringLiteral("JPEG frame does not decode"));
        return scratch;
    }
    default:
        return std::unexpected(QStringLiteral("pixel format %1 has no luma path")
                                   .arg(QVideoFrameFormat::pixelFormatToString(format)));
    }
}

} // namespace garage
