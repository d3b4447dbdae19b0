// createFrameSource: picks the QCamera, MJPEG-over-HTTP or QMediaPlayer implementation for [camera] source.
#include "camera/FrameSource.h"

#include "CameraSource.h"
#include "MediaPlayerSource.h"
#include "MjpegHttpSource.h"
#include "camera/SourceSpec.h"

namespace garage {

// Fails only on a malformed source: a camera that is not there (yet) is looked for again on every reconnect.
std::expected<std::unique_ptr<FrameSource>, QString> createFrameSource(const CameraConfig &config, QObject *parent)
{
    const auto spec = parseSourceSpec(config.source);
    if (!spec)
        return std::unexpected(spec.error());
    if (spec->kind == SourceSpec::Kind::Media && spec->url.scheme().startsWith(QLatin1String("http")))
        return std::make_unique<MjpegHttpSource>(config, spec->url, parent);
    if (spec->kind == SourceSpec::Kind::Media)
        return std::make_unique<MediaPlayerSource>(config, spec->url, parent);
    return std::make_unique<CameraSource>(config, systemCameraLookup(*spec, config), parent);
}

} // namespace garage
