// JPEG encoding of a SnapshotFrame on QThreadPool, never on the event loop thread.
#pragma once

#include "camera/SnapshotFrame.h"

#include <QByteArray>
#include <QFuture>
#include <QString>
#include <expected>
#include <functional>
#include <opencv2/core/mat.hpp>

namespace garage {

// annotate runs on the worker, on the full-resolution BGR image, before scaling down to maxWidth (<= 0: no limit).
QFuture<std::expected<QByteArray, QString>> encodeSnapshot(SnapshotFrame frame, int quality, int maxWidth,
                                                           std::function<void(cv::Mat &bgr)> annotate = {});

// The synchronous work behind encodeSnapshot (for the worker and for benchmarks).
std::expected<QByteArray, QString> encodeSnapshotNow(const SnapshotFrame &frame, int quality, int maxWidth,
                                                     const std::function<void(cv::Mat &bgr)> &annotate);

} // namespace garage
