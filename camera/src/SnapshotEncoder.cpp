#include "camera/SnapshotEncoder.h"

#include "camera/MjpegStreamParser.h"

#include <QImage>
#include <QPromise>
#include <QThreadPool>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace garage {
namespace {

// Decoded only when the JPEG's header says the size the frame was accepted with (FrameSource held that size to the
// picture limit): a header that claims more is never decoded in full colour.
cv::Mat decodeJpeg(const void *data, qsizetype size, QSize accepted)
{
    if (jpegImageSize(QByteArrayView(static_cast<const char *>(data), size)) != accepted)
        return {};
    return cv::imdecode(cv::Mat(1, int(size), CV_8UC1, const_cast<void *>(data)), cv::IMREAD_COLOR);
}

// Full-resolution BGR copy of the frame (the one copy a snapshot needs).
std::expected<cv::Mat, QString> toBgr(const SnapshotFrame &frame)
{
    if (!frame.jpeg().isEmpty()) {
        cv::Mat bgr = decodeJpeg(frame.jpeg().constData(), frame.jpeg().size(), frame.size());
        if (bgr.empty())
            return std::unexpected(QStringLiteral("the camera's JPEG does not decode"));
        return bgr;
    }
    QVideoFrame vf = frame.videoFrame();
    if (vf.pixelFormat() == QVideoFrameFormat::Format_Jpeg) {
        if (!vf.map(QVideoFrame::ReadOnly))
            return std::unexpected(QStringLiteral("cannot map the camera's JPEG frame"));
        cv::Mat bgr = decodeJpeg(vf.bits(0), vf.mappedBytes(0), vf.size());
        vf.unmap();
        if (bgr.empty()) // not handed to QVideoFrame::toImage(): it would decode whatever size the header says
            return std::unexpected(QStringLiteral("the camera's %1x%2 JPEG frame does not decode at that size")
                                       .arg(vf.width()).arg(vf.height()));
        return bgr;
    }
    const QImage image = vf.toImage().convertToFormat(QImage::Format_RGB888);
    if (image.isNull())
        return std::unexpected(QStringLiteral("frame (%1) does not convert to an image")
                                   .arg(QVideoFrameFormat::pixelFormatToString(vf.pixelFormat())));
    const cv::Mat rgb(image.height(), image.width(), CV_8UC3, const_cast<uchar *>(image.constBits()),
                      std::size_t(image.bytesPerLine()));
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

} // namespace

std::expected<QByteArray, QString> encodeSnapshotNow(const SnapshotFrame &frame, int quality, int maxWidth,
                                                     const std::function<void(cv::Mat &bgr)> &annotate)
{
    if (frame.isNull())
        return std::unexpected(QStringLiteral("no frame yet"));
    auto bgr = toBgr(frame);
    if (!bgr)
        return std::unexpected(bgr.error());
    if (annotate)
        annotate(*bgr);
    cv::Mat out = *bgr;
    if (maxWidth > 0 && out.cols > maxWidth) {
        const int h = std::max(1, int(std::lround(double(out.rows) * maxWidth / out.cols)));
        cv::resize(*bgr, out, cv::Size(maxWidth, h), 0, 0, cv::INTER_AREA);
    }
    std::vector<uchar> jpeg;
    const std::vector<int> params{cv::IMWRITE_JPEG_QUALITY, std::clamp(quality, 1, 100)};
    if (!cv::imencode(".jpg", out, jpeg, params))
        return std::unexpected(QStringLiteral("JPEG encoding failed"));
    return QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size()));
}

QFuture<std::expected<QByteArray, QString>> encodeSnapshot(SnapshotFrame frame, int quality, int maxWidth,
                                                           std::function<void(cv::Mat &bgr)> annotate)
{
    using Result = std::expected<QByteArray, QString>;
    auto promise = std::make_shared<QPromise<Result>>();
    QFuture<Result> future = promise->future();
    promise->start();
    QThreadPool::globalInstance()->start([promise, frame = std::move(frame), quality, maxWidth,
                                          annotate = std::move(annotate)] {
        promise->addResult(encodeSnapshotNow(frame, quality, maxWidth, annotate));
        promise->finish();
    });
    return future;
}

} // namespace garage
