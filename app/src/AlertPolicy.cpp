#include "app/AlertPolicy.h"

#include "app/DurationText.h"

namespace garage {

AlertPolicy::AlertPolicy(bool armed, std::chrono::seconds cooldown, bool personsOnly, MuteSchedule schedule)
    : m_armed(armed), m_cooldown(cooldown), m_personsOnly(personsOnly), m_schedule(std::move(schedule))
{
}

AlertDecision AlertPolicy::decide(AlertKind kind, const QDateTime &now, std::optional<bool> person) const
{
    if (kind == AlertKind::Safety)
        return {true, {}};
    if (!m_armed)
        return {false, QStringLiteral("disarmed")};
    if (mutedUntil(now).isValid())
        return {false, QStringLiteral("muted until %1").arg(m_mutedUntil.toLocalTime().toString(QStringLiteral("HH:mm")))};
    if (scheduleMutes(now))
        return {false, QStringLiteral("muted by schedule (%1)").arg(m_schedule.toString())};
    if (kind == AlertKind::Motion) {
        if (m_personsOnly && person != true)
            return {false, QStringLiteral("no person seen (persons_only)")};
        if (m_lastMotionAlert.isValid() && m_lastMotionAlert.secsTo(now) < m_cooldown.count())
            return {false, QStringLiteral("cooldown, last alert %1 ago")
                               .arg(formatDuration(std::chrono::seconds(m_lastMotionAlert.secsTo(now))))};
    }
    return {true, {}};
}

} // namespace garage
