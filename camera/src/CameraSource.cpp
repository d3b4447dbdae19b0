#include "CameraSource.h"

#include "Logging.h"
#include "camera/CameraMatcher.h"

#include <QCamera>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QVideoSink>

namespace garage {

QList<CameraDeviceInfo> describeVideoInputs(const QList<QCameraDevice> &devices)
{
    QList<CameraDeviceInfo> out;
    for (const auto &d : devices) {
        CameraDeviceInfo info{d.id(), d.description(), d.isDefault(), {}};
        for (const auto &f : d.videoFormats())
            info.formats.append({f.resolution(), f.minFrameRate(), f.maxFrameRate(), f.pixelFormat()});
        out.append(info);
    }
    return out;
}

CameraSource::CameraSource(const CameraConfig &config, const QCameraDevice &device, const QCameraFormat &format,
                           QObject *parent)
    : FrameSource(config, parent)
    , m_device(device)
    , m_format(format)
{
}

CameraSource::~CameraSource()
{
    stop();
}

QString CameraSource::describeSource() const
{
    return m_device.description();
}

void CameraSource::closeStream()
{
    if (!m_camera)
        return;
    m_camera->disconnect(this);
    m_sink->disconnect(this);
    m_camera->stop();
    m_camera->deleteLater();
    m_session->deleteLater();
    m_sink->deleteLater();
    m_camera = nullptr;
    m_session = nullptr;
    m_sink = nullptr;
}

// A USB camera that fell off the bus comes back as a new device entry: look it up by id on every attempt.
void CameraSource::openStream()
{
    closeStream();
    const auto inputs = QMediaDevices::videoInputs();
    const auto it = std::find_if(inputs.begin(), inputs.end(), [&](const QCameraDevice &d) { return d.id() == m_device.id(); });
    if (it == inputs.end()) {
        reportOffline(QStringLiteral("camera %1 (%2) is not connected")
                          .arg(m_device.description(), QString::fromUtf8(m_device.id())));
        return;
    }
    m_device = *it;
    m_camera = new QCamera(m_device, this);
    if (!m_format.isNull())
        m_camera->setCameraFormat(m_format);
    m_session = new QMediaCaptureSession(this);
    m_sink = new QVideoSink(this);
    m_session->setCamera(m_camera);
    m_session->setVideoSink(m_sink);
    connect(m_sink, &QVideoSink::videoFrameChanged, this, &CameraSource::deliverFrame);
    connect(m_camera, &QCamera::errorOccurred, this, [this](QCamera::Error error, const QString &text) {
        if (error != QCamera::NoError)
            reportOffline(text.isEmpty() ? QStringLiteral("camera error %1").arg(int(error)) : text);
    });
    m_camera->start();
}

} // namespace garage
