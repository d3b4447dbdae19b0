#include "CameraFrameSource.h"

#include "Logging.h"
#include "MediaFrameSource.h"

#include <QCameraDevice>
#include <QMediaDevices>

namespace garage {

QList<CameraCandidate> availableCameras()
{
    QList<CameraCandidate> result;
    const QCameraDevice preferred = QMediaDevices::defaultVideoInput();
    for (const QCameraDevice &device : QMediaDevices::videoInputs())
        result << CameraCandidate{QString::fromUtf8(device.id()), device.description(), device == preferred};
    return result;
}

CameraFrameSource::CameraFrameSource(const CameraConfig &config, const SourceSpec &spec, const QString &description,
                                     QObject *parent)
    : FrameSource(config, parent), m_config(config), m_spec(spec), m_description(description)
{
    m_session.setVideoSink(sink());
}

void CameraFrameSource::open()
{
    close();
    // the device list is read again at each attempt: a USB camera that fell off the bus comes back with a new id
    const QList<QCameraDevice> devices = QMediaDevices::videoInputs();
    const auto chosen = chooseCamera(availableCameras(), m_spec);
    if (!chosen || *chosen >= devices.size()) {
        fail(chosen ? QStringLiteral("the camera list changed") : chosen.error());
        return;
    }
    const QCameraDevice device = devices[*chosen];
    QList<FormatCandidate> candidates;
    const QList<QCameraFormat> formats = device.videoFormats();
    for (const QCameraFormat &f : formats)
        candidates << FormatCandidate{f.resolution(), f.minFrameRate(), f.maxFrameRate(), f.pixelFormat()};
    m_camera = new QCamera(device, this);
    if (const qsizetype i = chooseFormat(candidates, QSize(m_config.width, m_config.height), m_config.fps); i >= 0) {
        m_camera->setCameraFormat(formats[i]);
        qCInfo(lcCamera) << "camera" << device.description() << "format" << formats[i].resolution()
                         << formats[i].maxFrameRate() << "fps" << formats[i].pixelFormat() << "(asked for"
                         << m_config.width << "x" << m_config.height << "@" << m_config.fps << ")";
    }
    connect(m_camera, &QCamera::errorOccurred, this, [this](QCamera::Error, const QString &text) { fail(text); });
    connect(m_camera, &QCamera::activeChanged, this, [this](bool active) {
        if (!active)
            fail(QStringLiteral("the camera stopped"));
    });
    m_session.setCamera(m_camera);
    m_camera->start();
}

void CameraFrameSource::close()
{
    if (!m_camera)
        return;
    m_camera->disconnect(this);
    m_session.setCamera(nullptr);
    m_camera->stop();
    m_camera->deleteLater();
    m_camera = nullptr;
}

std::expected<std::unique_ptr<FrameSource>, QString> createFrameSource(const CameraConfig &config, QObject *parent)
{
    const auto spec = parseSourceSpec(config.source);
    if (!spec)
        return std::unexpected(spec.error());
    if (spec->kind == SourceSpec::Kind::Media)
        return std::make_unique<MediaFrameSource>(config, spec->url, parent);
    const QList<CameraCandidate> cameras = availableCameras();
    const auto chosen = chooseCamera(cameras, *spec);
    if (!chosen)
        return std::unexpected(chosen.error());
    return std::make_unique<CameraFrameSource>(config, *spec, cameras[*chosen].description, parent);
}

} // namespace garage
