// Which camera device and which of its formats to use: pure decisions over plain lists, so they are testable
// without hardware.
#pragma once

#include "camera/SourceSpec.h"

#include <QList>
#include <QSize>
#include <QString>
#include <QVideoFrameFormat>
#include <expected>

namespace garage {

struct CameraCandidate {
    QString id;          // e.g. "/dev/video0"
    QString description; // e.g. "HD Pro Webcam C920"
    bool isDefault = false;
};

struct FormatCandidate {
    QSize resolution;
    float minFps = 0;
    float maxFps = 0;
    QVideoFrameFormat::PixelFormat pixelFormat = QVideoFrameFormat::Format_Invalid;
};

// The index of the camera the spec names; the error lists the cameras that exist.
std::expected<qsizetype, QString> chooseCamera(const QList<CameraCandidate> &cameras, const SourceSpec &spec);

// The format nearest to the request: resolution first, then frame rate, then formats whose luma is free (YUV) over
// those that need decoding (JPEG). -1 for an empty list.
qsizetype chooseFormat(const QList<FormatCandidate> &formats, const QSize &wanted, int fps);

} // namespace garage
