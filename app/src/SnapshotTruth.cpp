#include "app/SnapshotTruth.h"

#include "app/DurationText.h"

namespace garage {
namespace {

QString clockText(const QDateTime &t, const QDateTime &reference)
{
    const QDateTime local = t.toLocalTime();
    return local.toString(local.date() == reference.toLocalTime().date() ? QStringLiteral("HH:mm:ss")
                                                                          : QStringLiteral("ddd dd.MM HH:mm:ss"));
}

} // namespace

SnapshotVerdict judgeSnapshot(const SnapshotFacts &f)
{
    const QDateTime reference = f.capturedAt.isValid() ? f.capturedAt : f.downSince;
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(f.now - f.capturedSteady);
    const bool fresh = f.streaming && f.hasFrame && age <= f.stallTimeout;
    if (fresh)
        return {true, true, QStringLiteral("Snapshot of the %1 at %2").arg(f.name, clockText(f.capturedAt, f.capturedAt))};

    QString why;
    if (!f.streaming) {
        why = QStringLiteral("The camera is %1").arg(f.cameraState.isEmpty() ? QStringLiteral("offline") : f.cameraState);
        if (f.downSince.isValid())
            why += QStringLiteral(" since %1").arg(f.downSince.toLocalTime().toString(QStringLiteral("HH:mm")));
    } else {
        why = QStringLiteral("The camera sends no new pictures (the last one came %1 ago)").arg(formatDuration(age));
    }
    if (!f.hasFrame)
        return {false, false, why + QStringLiteral("; no picture")};
    return {true, false,
            why + QStringLiteral("; here is the last picture, taken at %1").arg(clockText(f.capturedAt, reference))};
}

} // namespace garage
