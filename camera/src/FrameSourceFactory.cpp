// createFrameSource: picks the QCamera, MJPEG-over-HTTP or QMediaPlayer implementation for [camera] source.
#include "camera/FrameSource.h"

#include "CameraSource.h"
#include "Logging.h"
#include "MediaPlayerSource.h"
#include "MjpegHttpSource.h"
#include "camera/CameraMatcher.h"
#include "camera/SourceSpec.h"

#include <QMediaDevices>

namespace garage {
namespace {

std::expected<std::unique_ptr<FrameSource>, QString> createCameraSource(const CameraConfig &config,
                                                                        const SourceSpec &spec, QObject *parent)
{
    const QList<QCameraDevice> devices = QMediaDevices::videoInputs();
    const QList<CameraDeviceInfo> infos = describeVideoInputs(devices);
    const auto index = matchCameraDevice(spec, infos);
    if (!index)
        return std::unexpected(index.error());
    const QCameraDevice &device = devices[*index];
    const qsizetype formatIndex = nearestCameraFormat(infos[*index].formats, QSize(config.width, config.height), config.fps);
    QCameraFormat format;
    if (formatIndex >= 0) {
        format = device.videoFormats()[formatIndex];
        qCInfo(lcCamera).nospace() << "camera " << device.description() << " (" << device.id() << "): using "
                                   << format.resolution() << " " << format.maxFrameRate() << " fps "
                                   << format.pixelFormat() << " for requested " << config.width << "x"
                                   << config.height << " " << config.fps << " fps";
    } else {
        qCInfo(lcCamera) << "camera" << device.description() << "lists no formats; using its default";
    }
    return std::make_unique<CameraSource>(config, device, format, parent);
}

} // namespace

std::expected<std::unique_ptr<FrameSource>, QString> createFrameSource(const CameraConfig &config, QObject *parent)
{
    const auto spec = parseSourceSpec(config.source);
    if (!spec)
        return std::unexpected(spec.error());
    if (spec->kind == SourceSpec::Kind::Media && spec->url.scheme().startsWith(QLatin1String("http")))
        return std::make_unique<MjpegHttpSource>(config, spec->url, parent);
    if (spec->kind == SourceSpec::Kind::Media)
        return std::make_unique<MediaPlayerSource>(config, spec->url, parent);
    return createCameraSource(config, *spec, parent);
}

} // namespace garage
