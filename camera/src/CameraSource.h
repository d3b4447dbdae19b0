// FrameSource over QCamera + QMediaCaptureSession + QVideoSink for a local (USB / CSI / V4L2) camera. The camera is
// looked up on every attempt: one missing at start (a USB camera enumerating late after a power cut) or unplugged
// later leaves the source Offline, retrying with backoff, until it is there.
#pragma once

#include "camera/CameraMatcher.h"
#include "camera/FrameSource.h"
#include "camera/SourceSpec.h"

#include <QCameraDevice>
#include <QCameraFormat>
#include <expected>
#include <functional>

class QCamera;
class QMediaCaptureSession;
class QVideoSink;

namespace garage {

// The camera an attempt opens.
struct CameraChoice {
    QCameraDevice device;
    QCameraFormat format; // null: the camera's default
};

// Finds the camera for one attempt, or says why there is none ("no camera found (...), retrying").
using CameraLookup = std::function<std::expected<CameraChoice, QString>()>;

class CameraSource : public FrameSource
{
    Q_OBJECT
public:
    // lookup runs at every attempt; until it finds a camera the source is named by config.source in messages.
    CameraSource(const CameraConfig &config, CameraLookup lookup, QObject *parent);
    ~CameraSource() override;

protected:
    QString describeSource() const override;
    void openStream() override;
    void closeStream() override;
    // Opens the chosen camera (the hardware edge: a test without a camera stands in here and delivers frames).
    virtual void openCamera(const CameraChoice &choice);

private:
    CameraLookup m_lookup;
    QCameraDevice m_device; // the last camera found
    QCamera *m_camera = nullptr;
    QMediaCaptureSession *m_session = nullptr;
    QVideoSink *m_sink = nullptr;
};

// What QMediaDevices lists, in the pure form CameraMatcher works on.
QList<CameraDeviceInfo> describeVideoInputs(const QList<QCameraDevice> &devices);

// The lookup of a real system: QMediaDevices::videoInputs() matched against the spec (pickCamera) each time.
CameraLookup systemCameraLookup(const SourceSpec &spec, const CameraConfig &config);

} // namespace garage
