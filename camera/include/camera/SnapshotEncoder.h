// JPEG snapshots of a frame, encoded on a worker thread (QThreadPool) so the event loop never stalls.
#pragma once

#include "camera/SnapshotFrame.h"

#include <QByteArray>
#include <QFuture>
#include <QString>

#include <opencv2/core.hpp>

#include <expected>
#include <functional>

namespace garage {

// Phones download inline pictures automatically only up to 512 KiB (Conversations' default): stay well below.
inline constexpr qsizetype kMaxSnapshotBytes = 480 * 1024;

// annotate runs on the worker, on the full-resolution BGR image, before it is scaled down to maxWidth.
QFuture<std::expected<QByteArray, QString>> encodeSnapshot(SnapshotFrame frame, int quality, int maxWidth,
                                                           std::function<void(cv::Mat &bgr)> annotate = {});

// The same work, synchronously (for the worker, tools and tests).
std::expected<QByteArray, QString> encodeSnapshotNow(const SnapshotFrame &frame, int quality, int maxWidth,
                                                     const std::function<void(cv::Mat &bgr)> &annotate = {});

} // namespace garage
