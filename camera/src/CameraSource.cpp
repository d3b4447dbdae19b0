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

CameraLookup systemCameraLookup(const SourceSpec &spec, const CameraConfig &config)
{
    return [spec, wanted = QSize(config.width, config.height), fps = config.fps]()
               -> std::expected<CameraChoice, QString> {
        const QList<QCameraDevice> devices = QMediaDevices::videoInputs();
        const auto pick = pickCamera(spec, describeVideoInputs(devices), wanted, fps);
        if (!pick)
            return std::unexpected(pick.error());
        const QCameraDevice &device = devices[pick->device];
        return CameraChoice{device, pick->format >= 0 ? device.videoFormats()[pick->format] : QCameraFormat()};
    };
}

CameraSource::CameraSource(const CameraConfig &config, CameraLookup lookup, QObject *parent)
    : FrameSource(config, parent)
    , m_lookup(std::move(lookup))
{
}

CameraSource::~CameraSource()
{
    stop();
}

QString CameraSource::describeSource() const
{
    return m_device.isNull() ? config().source : m_device.description();
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

// The match runs again on every attempt: a USB camera that fell off the bus comes back as a new device entry, and
// one that was not there at start may be now.
void CameraSource::openStream()
{
    closeStream();
    const auto choice = m_lookup();
    if (!choice) {
        reportOffline(choice.error());
        return;
    }
    if (choice->device.id() != m_device.id() || m_device.isNull()) {
        if (choice->format.isNull())
            qCInfo(lcCamera) << "camera" << choice->device.description() << "lists no formats; using its default";
        else
            qCInfo(lcCamera).nospace() << "camera " << choice->device.description() << " (" << choice->device.id()
                                       << "): using " << choice->format.resolution() << " "
                                       << choice->format.maxFrameRate() << " fps " << choice->format.pixelFormat()
                                       << " for requested " << config().width << "x" << config().height << " "
                                       << config().fps << " fps";
    }
    m_device = choice->device;
    openCamera(*choice);
}

void CameraSource::openCamera(const CameraChoice &choice)
{
    m_camera = new QCamera(choice.device, this);
    if (!choice.format.isNull())
        m_camera->setCameraFormat(choice.format);
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
