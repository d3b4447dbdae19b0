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

    void start() override;
    void stop() override;

protected:
    void reopen() override;

private:
    void open();
    void close();

    QCameraDevice m_device;
    QCameraFormat m_format;
    QCamera *m_camera = nullptr;
    QMediaCaptureSession *m_session = nullptr;
    QVideoSink *m_sink = nullptr;
    bool m_running = false;
};

// What QMediaDevices lists, in the pure form CameraMatcher works on.
QList<CameraDeviceInfo> describeVideoInputs(const QList<QCameraDevice> &devices);

} // namespace garage
