// Frames from a local camera (V4L2 on the Pi: USB, or CSI through libcamera's V4L2 compatibility) via QCamera.
#pragma once

#include "camera/CameraSelection.h"
#include "camera/FrameSource.h"
#include "camera/SourceSpec.h"

#include <QCamera>
#include <QMediaCaptureSession>

namespace garage {

class CameraFrameSource : public FrameSource
{
    Q_OBJECT
public:
    CameraFrameSource(const CameraConfig &config, const SourceSpec &spec, const QString &description,
                      QObject *parent = nullptr);
    QString description() const override { return QStringLiteral("camera %1").arg(m_description); }

protected:
    void open() override;
    void close() override;

private:
    CameraConfig m_config;
    SourceSpec m_spec;
    QString m_description;
    QMediaCaptureSession m_session;
    QCamera *m_camera = nullptr;
};

// The cameras Qt sees, as plain candidates.
QList<CameraCandidate> availableCameras();

} // namespace garage
