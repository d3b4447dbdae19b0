#include "app/AlertPolicy.h"

#include "app/DurationText.h"

namespace garage {

AlertPolicy::AlertPolicy(bool armed, std::chrono::seconds cooldown, bool personsOnly, MuteSchedule schedule)
    : m_armed(armed), m_cooldown(cooldown), m_personsOnly(personsOnly), m_schedule(std::move(schedule))
{
}

void AlertPolicy::muteUntil(const QDateTime &end)
{
    m_mutedUntilWall = end;
    m_mutedUntilSteady.reset();
}

void AlertPolicy::muteFor(std::chrono::seconds duration, const Moment &now)
{
    m_mutedUntilSteady = now.steady + duration;
    m_mutedUntilWall = {};
}

void AlertPolicy::unmute()
{
    m_mutedUntilWall = {};
    m_mutedUntilSteady.reset();
}

QDateTime AlertPolicy::mutedUntil(const Moment &now) const
{
    if (m_mutedUntilSteady) {
        if (*m_mutedUntilSteady <= now.steady)
            return {};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*m_mutedUntilSteady - now.steady);
        return now.wall.addMSecs(left.count()); // shown as "now + what is left": the wall clock may have stepped
    }
    return m_mutedUntilWall.isValid() && m_mutedUntilWall > now.wall ? m_mutedUntilWall : QDateTime();
}

AlertDecision AlertPolicy::decide(AlertKind kind, const Moment &now, std::optional<bool> person) const
{
    if (kind == AlertKind::Safety)
        return {true, {}};
    if (m_intrusionHold && now.steady < *m_intrusionHold)
        return {false, QStringLiteral("a door move the owner asked for")};
    if (!m_armed)
        return {false, QStringLiteral("disarmed")};
    if (const QDateTime until = mutedUntil(now); until.isValid())
        return {false, QStringLiteral("muted until %1").arg(until.toLocalTime().toString(QStringLiteral("HH:mm")))};
    if (scheduleMutes(now.wall))
        return {false, QStringLiteral("muted by schedule (%1)").arg(m_schedule.toString())};
    if (kind == AlertKind::Motion) {
        if (m_personsOnly && person != true)
            return {false, QStringLiteral("no person seen (persons_only)")};
        if (m_lastMotionAlert && now.steady - *m_lastMotionAlert < m_cooldown)
            return {false, QStringLiteral("cooldown, last alert %1 ago")
                               .arg(formatDuration(std::chrono::duration_cast<std::chrono::seconds>(
                                   now.steady - *m_lastMotionAlert)))};
    }
    return {true, {}};
}

} // namespace garage
