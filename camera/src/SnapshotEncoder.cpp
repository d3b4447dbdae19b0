#include "camera/SnapshotEncoder.h"

#include <QImage>
#include <QtConcurrent/QtConcurrentRun>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace garage {

std::expected<QByteArray, QString> encodeSnapshotNow(const SnapshotFrame &frame, int quality, int maxWidth,
                                                     const std::function<void(cv::Mat &bgr)> &annotate)
{
    if (frame.isNull())
        return std::unexpected(QStringLiteral("no frame"));
    QImage image = frame.videoFrame().toImage();
    if (image.isNull())
        return std::unexpected(QStringLiteral("the frame could not be converted to an image"));
    image = image.convertToFormat(QImage::Format_BGR888);
    // a deep copy: the annotation draws on it and the QImage goes away
    cv::Mat bgr = cv::Mat(image.height(), image.width(), CV_8UC3, image.bits(), size_t(image.bytesPerLine())).clone();
    if (annotate)
        annotate(bgr);
    if (maxWidth > 0 && bgr.cols > maxWidth) {
        const double scale = double(maxWidth) / bgr.cols;
        cv::resize(bgr, bgr, cv::Size(maxWidth, std::max(1, int(bgr.rows * scale))), 0, 0, cv::INTER_AREA);
    }
    std::vector<uchar> jpeg;
    for (int q = std::clamp(quality, 1, 100);; q -= 10) {
        if (!cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, q}))
            return std::unexpected(QStringLiteral("JPEG encoding failed"));
        if (qsizetype(jpeg.size()) <= kMaxSnapshotBytes || q <= 30)
            break;
    }
    return QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size()));
}

QFuture<std::expected<QByteArray, QString>> encodeSnapshot(SnapshotFrame frame, int quality, int maxWidth,
                                                           std::function<void(cv::Mat &bgr)> annotate)
{
    return QtConcurrent::run([frame = std::move(frame), quality, maxWidth, annotate = std::move(annotate)] {
        return encodeSnapshotNow(frame, quality, maxWidth, annotate);
    });
}

} // namespace garage
