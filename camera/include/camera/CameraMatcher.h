// Pure choice of the local camera and its capture format from what QMediaDevices lists (testable without a camera).
#pragma once

#include "camera/SourceSpec.h"

#include <QByteArray>
#include <QList>
#include <QSize>
#include <QString>
#include <QVideoFrameFormat>
#include <expected>

namespace garage {

struct CameraFormatInfo {
    QSize resolution;
    float minFps = 0;
    float maxFps = 0;
    QVideoFrameFormat::PixelFormat pixelFormat = QVideoFrameFormat::Format_Invalid;
};

struct CameraDeviceInfo {
    QByteArray id; // e.g. /dev/video0 on Linux
    QString description;
    bool isDefault = false;
    QList<CameraFormatInfo> formats;
};

// Index of the device the spec names: default camera, exact id / device node, or a case-insensitive substring of
// the id or description. No match (or no camera at all) -> an error naming the available devices.
std::expected<qsizetype, QString> matchCameraDevice(const SourceSpec &spec, const QList<CameraDeviceInfo> &devices);

// Index of the format nearest the request: closest pixel count, then one reaching the fps, then the closest fps,
// then a raw YUV format over JPEG (no decode). -1 if the list is empty.
qsizetype nearestCameraFormat(const QList<CameraFormatInfo> &formats, QSize wanted, int fps);

struct CameraPick {
    qsizetype device = -1; // index into the list
    qsizetype format = -1; // index into its formats, -1 when it lists none (its default is used)
};

// The camera to open for the spec and the format for the request, or, when none matches (yet: a USB camera can
// enumerate late), "no camera found (<what exists, or 'no video devices'>), retrying".
std::expected<CameraPick, QString> pickCamera(const SourceSpec &spec, const QList<CameraDeviceInfo> &devices,
                                              QSize wanted, int fps);

// "HD Webcam (/dev/video0), ..." for messages; "none" when empty.
QString describeCameraDevices(const QList<CameraDeviceInfo> &devices);

} // namespace garage
