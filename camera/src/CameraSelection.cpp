#include "camera/CameraSelection.h"

#include "camera/LumaExtractor.h"

#include <cmath>

namespace garage {

std::expected<qsizetype, QString> chooseCamera(const QList<CameraCandidate> &cameras, const SourceSpec &spec)
{
    QStringList names;
    for (const CameraCandidate &c : cameras)
        names << QStringLiteral("'%1' (%2)").arg(c.description, c.id);
    const QString available = names.isEmpty() ? QStringLiteral("no camera is connected")
                                              : QStringLiteral("cameras found: ") + names.join(QLatin1String(", "));
    if (cameras.isEmpty())
        return std::unexpected(spec.cameraMatch.isEmpty()
                                   ? available
                                   : QStringLiteral("no camera matches '%1': %2").arg(spec.cameraMatch, available));
    switch (spec.kind) {
    case SourceSpec::Kind::DefaultCamera:
        for (qsizetype i = 0; i < cameras.size(); ++i)
            if (cameras[i].isDefault)
                return i;
        return 0;
    case SourceSpec::Kind::DeviceNode:
        for (qsizetype i = 0; i < cameras.size(); ++i)
            if (cameras[i].id == spec.cameraMatch)
                return i;
        break;
    case SourceSpec::Kind::NamedCamera:
        for (qsizetype i = 0; i < cameras.size(); ++i)
            if (cameras[i].id == spec.cameraMatch)
                return i;
        for (qsizetype i = 0; i < cameras.size(); ++i)
            if (cameras[i].description.contains(spec.cameraMatch, Qt::CaseInsensitive))
                return i;
        break;
    case SourceSpec::Kind::Media:
        return std::unexpected(QStringLiteral("not a camera source"));
    }
    return std::unexpected(QStringLiteral("no camera matches '%1'; %2").arg(spec.cameraMatch, available));
}

qsizetype chooseFormat(const QList<FormatCandidate> &formats, const QSize &wanted, int fps)
{
    qsizetype best = -1;
    double bestScore = 0;
    const double wantedArea = std::max(1, wanted.width() * wanted.height());
    for (qsizetype i = 0; i < formats.size(); ++i) {
        const FormatCandidate &f = formats[i];
        const double area = f.resolution.width() * f.resolution.height();
        double score = std::abs(std::log2(std::max(1.0, area) / wantedArea)) * 10.0;
        if (fps > f.maxFps)
            score += (fps - f.maxFps) / std::max(1, fps) * 5.0;
        if (!hasDirectLuma(f.pixelFormat))
            score += 0.5; // a decode per frame costs CPU
        if (best < 0 || score < bestScore) {
            best = i;
            bestScore = score;
        }
    }
    return best;
}

} // namespace garage
