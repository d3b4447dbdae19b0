// FrameSource over QCamera + QMediaCaptureSession + QVideoSink for a local (USB / CSI / V4L2) camera.
#pragma once

#include "camera/CameraMatcher.h"
#include "camera/FrameSource.h"

#include <QCameraDevice>
#include <QCameraFormat>

class QCamera;
class QMediaCaptureSession;
class QVideoSink;

namespace garage {

class CameraSource : public FrameSource
{
    Q_OBJECT
public:
    CameraSource(const CameraConfig &config, const QCameraDevice &device, const QCameraFormat &format, QObject *parent);
    ~CameraSource() override;

protected:
    QString describeSource() const override;
    void openStream() override;
    void closeStream() override;

private:

    QCameraDevice m_device;
    QCameraFormat m_format;
    QCamera *m_camera = nullptr;
    QMediaCaptureSession *m_session = nullptr;
    QVideoSink *m_sink = nullptr;
};

// What QMediaDevices lists, in the pure form CameraMatcher works on.
QList<CameraDeviceInfo> describeVideoInputs(const QList<QCameraDevice> &devices);

} // namespace garage
