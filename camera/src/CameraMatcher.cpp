#include "camera/CameraMatcher.h"

#include <QStringList>
#include <cmath>
#include <tuple>

namespace garage {

QString describeCameraDevices(const QList<CameraDeviceInfo> &devices)
{
    if (devices.isEmpty())
        return QStringLiteral("none");
    QStringList parts;
    for (const auto &d : devices)
        parts << QStringLiteral("%1 (%2)").arg(d.description, QString::fromUtf8(d.id));
    return parts.join(QLatin1String(", "));
}

std::expected<qsizetype, QString> matchCameraDevice(const SourceSpec &spec, const QList<CameraDeviceInfo> &devices)
{
    if (devices.isEmpty())
        return std::unexpected(QStringLiteral("no camera exists on this system (no video input devices found); "
                                              "use a file path or URL as [camera] source"));
    if (spec.kind == SourceSpec::Kind::DefaultCamera) {
        for (qsizetype i = 0; i < devices.size(); ++i)
            if (devices[i].isDefault)
                return i;
        return 0;
    }
    const QString wanted = spec.cameraMatch;
    for (qsizetype i = 0; i < devices.size(); ++i)
        if (QString::fromUtf8(devices[i].id) == wanted)
            return i;
    if (spec.kind == SourceSpec::Kind::NamedCamera) {
        for (qsizetype i = 0; i < devices.size(); ++i)
            if (QString::fromUtf8(devices[i].id).contains(wanted, Qt::CaseInsensitive)
                || devices[i].description.contains(wanted, Qt::CaseInsensitive))
                return i;
    }
    return std::unexpected(QStringLiteral("no camera matches '%1'; available cameras: %2")
                               .arg(wanted, describeCameraDevices(devices)));
}

std::expected<CameraPick, QString> pickCamera(const SourceSpec &spec, const QList<CameraDeviceInfo> &devices,
                                              QSize wanted, int fps)
{
    const auto index = matchCameraDevice(spec, devices);
    if (!index) {
        const QString what = devices.isEmpty() ? QStringLiteral("no video devices")
                                               : QStringLiteral("'%1' matches none of: %2")
                                                     .arg(spec.cameraMatch, describeCameraDevices(devices));
        return std::unexpected(QStringLiteral("no camera found (%1), retrying").arg(what));
    }
    return CameraPick{*index, nearestCameraFormat(devices[*index].formats, wanted, fps)};
}

qsizetype nearestCameraFormat(const QList<CameraFormatInfo> &formats, QSize wanted, int fps)
{
    qsizetype best = -1;
    std::tuple<double, int, double, int> bestScore;
    const double wantedArea = std::max(1, wanted.width() * wanted.height());
    for (qsizetype i = 0; i < formats.size(); ++i) {
        const auto &f = formats[i];
        const double area = std::max(1, f.resolution.width() * f.resolution.height());
        const bool reachesFps = f.maxFps + 0.01f >= float(fps);
        const double fpsDistance = reachesFps && f.minFps <= float(fps) ? 0.0 : std::abs(double(f.maxFps) - fps);
        const bool jpeg = f.pixelFormat == QVideoFrameFormat::Format_Jpeg;
        const auto score = std::make_tuple(std::abs(std::log(area / wantedArea)), reachesFps ? 0 : 1, fpsDistance,
                                           jpeg ? 1 : 0);
        if (best < 0 || score < bestScore) {
            best = i;
            bestScore = score;
        }
    }
    return best;
}

} // namespace garage
