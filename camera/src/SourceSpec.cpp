#include "camera/SourceSpec.h"

#include "camera/UrlCredentials.h"

#include <QFileInfo>

namespace garage {

std::expected<SourceSpec, QString> parseSourceSpec(const QString &text)
{
    const QString s = text.trimmed();
    SourceSpec spec;
    if (s.isEmpty() || s == QLatin1String("camera"))
        return spec;
    if (s.startsWith(QLatin1String("camera:"))) {
        spec.kind = SourceSpec::Kind::NamedCamera;
        spec.cameraMatch = s.mid(7).trimmed();
        if (spec.cameraMatch.isEmpty())
            return std::unexpected(QStringLiteral("'camera:' needs a device id or description after the colon"));
        return spec;
    }
    if (s.startsWith(QLatin1String("/dev/video"))) {
        spec.kind = SourceSpec::Kind::DeviceNode;
        spec.cameraMatch = s;
        return spec;
    }
    spec.kind = SourceSpec::Kind::Media;
    const QUrl url(s);
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("rtsp") || scheme == QLatin1String("http") || scheme == QLatin1String("https")) {
        if (url.host().isEmpty())
            return std::unexpected(QStringLiteral("URL '%1' has no host").arg(maskUrlCredentials(s)));
        spec.url = url;
        return spec;
    }
    if (scheme == QLatin1String("file")) {
        spec.url = url;
        return spec;
    }
    if (!scheme.isEmpty() && scheme.size() > 1)
        return std::unexpected(QStringLiteral("unsupported scheme '%1' (use a file path, file://, rtsp://, http(s)://)")
                                   .arg(scheme));
    spec.url = QUrl::fromLocalFile(QFileInfo(s).absoluteFilePath());
    return spec;
}

} // namespace garage
