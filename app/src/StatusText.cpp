#include "app/StatusText.h"

#include "app/DurationText.h"

namespace garage {
namespace {

QString ago(const QDateTime &then, const QDateTime &now)
{
    return formatDuration(std::chrono::seconds(then.secsTo(now))) + QStringLiteral(" ago");
}

QString alertState(const StatusInfo &info, const QDateTime &now)
{
    QString s = info.armed ? QStringLiteral("armed") : QStringLiteral("disarmed");
    if (info.mutedUntil.isValid() && info.mutedUntil > now)
        s += QStringLiteral(", muted until %1").arg(info.mutedUntil.toLocalTime().toString(QStringLiteral("HH:mm")));
    else if (!info.scheduleMute.isEmpty())
        s += QStringLiteral(", muted by schedule (%1)").arg(info.scheduleMute);
    return s;
}

} // namespace

QString formatTemperature(const StatusInfo &info, const QDateTime &now)
{
    if (!info.hasTemperatureSensor)
        return QStringLiteral("no sensor configured");
    QString s = info.celsius ? QStringLiteral("%1 °C (%2)").arg(*info.celsius, 0, 'f', 1).arg(ago(info.temperatureTime, now))
                             : QStringLiteral("no reading yet");
    if (!info.temperatureProblem.isEmpty())
        s += QStringLiteral(", sensor problem: %1").arg(info.temperatureProblem);
    return s;
}

QString formatStatus(const StatusInfo &info, const QDateTime &now)
{
    QStringList lines;
    lines << QStringLiteral("%1: %2").arg(info.name, alertState(info, now));
    lines << QStringLiteral("camera: %1%2").arg(info.cameraState,
                                                info.cameraFps > 0 ? QStringLiteral(", %1 fps").arg(info.cameraFps, 0, 'f', 1)
                                                                   : QString());
    lines << QStringLiteral("last motion: %1").arg(info.lastMotion.isValid()
                                                       ? QStringLiteral("%1 (%2)")
                                                             .arg(info.lastMotion.toLocalTime().toString(QStringLiteral("ddd HH:mm")),
                                                                  ago(info.lastMotion, now))
                                                       : QStringLiteral("none since start"));
    lines << QStringLiteral("temperature: %1").arg(formatTemperature(info, now));
    if (info.doorOpen && info.doorChangeSeen)
        lines << QStringLiteral("door: %1 for %2")
                     .arg(*info.doorOpen ? QStringLiteral("open") : QStringLiteral("closed"),
                          formatDuration(std::chrono::seconds(info.doorSince.secsTo(now))));
    else if (info.doorOpen)
        lines << QStringLiteral("door: %1 (no change seen since %2)")
                     .arg(*info.doorOpen ? QStringLiteral("open") : QStringLiteral("closed"),
                          info.doorSince.toLocalTime().toString(QStringLiteral("ddd HH:mm")));
    else if (!info.doorProblem.isEmpty())
        lines << QStringLiteral("door: unknown (%1)").arg(info.doorProblem);
    if (!info.doorControl.isEmpty())
        lines << info.doorControl;
    if (!info.storageProblem.isEmpty())
        lines << QStringLiteral("storage: problem (%1); alerts still go out, pictures may not be kept")
                     .arg(info.storageProblem);
    lines << QStringLiteral("up %1 · garage-guard %2 · %3")
                 .arg(formatDuration(std::chrono::seconds(info.startedAt.secsTo(now))), info.version, info.server);
    return lines.join(QLatin1Char('\n'));
}

QString formatPresence(const StatusInfo &info)
{
    QStringList parts;
    parts << (info.armed ? QStringLiteral("armed") : QStringLiteral("disarmed"));
    if (info.celsius)
        parts << QStringLiteral("%1 °C").arg(*info.celsius, 0, 'f', 1);
    if (info.doorOpen)
        parts << (*info.doorOpen ? QStringLiteral("door open") : QStringLiteral("door closed"));
    return parts.join(QStringLiteral(" · "));
}

} // namespace garage
