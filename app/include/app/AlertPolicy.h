// Decides whether an alert goes to the owners: armed/disarmed, muted (by command or schedule), the motion cooldown,
// persons-only. Safety alerts (frost, heat, door left open, camera or sensor failures) are never held back:
// arming and muting are about intrusion alerts, not about a freezing pipe.
#pragma once

#include "app/MuteSchedule.h"

#include <QDateTime>
#include <QString>
#include <chrono>
#include <optional>

namespace garage {

enum class AlertKind {
    Motion,       // a motion event started
    DoorActivity, // the door opened/closed
    Safety,       // temperature thresholds, door left open, camera/sensor lost and back
};

struct AlertDecision {
    bool send = false;
    QString reason; // why it was held back (for the log and `status`)
};

class AlertPolicy
{
public:
    AlertPolicy(bool armed, std::chrono::seconds cooldown, bool personsOnly, MuteSchedule schedule);

    AlertDecision decide(AlertKind kind, const QDateTime &now, std::optional<bool> person = std::nullopt) const;
    // Call when a motion alert was actually sent: starts the cooldown.
    void motionAlertSent(const QDateTime &now) { m_lastMotionAlert = now; }

    bool isArmed() const { return m_armed; }
    void setArmed(bool armed) { m_armed = armed; }
    void muteUntil(const QDateTime &end) { m_mutedUntil = end; }
    void unmute() { m_mutedUntil = {}; }
    // The end of a mute command still in force, or a null QDateTime.
    QDateTime mutedUntil(const QDateTime &now) const { return m_mutedUntil > now ? m_mutedUntil : QDateTime(); }
    bool scheduleMutes(const QDateTime &now) const { return m_schedule.isMuted(now.toLocalTime()); }
    const MuteSchedule &schedule() const { return m_schedule; }

private:
    bool m_armed;
    std::chrono::seconds m_cooldown;
    bool m_personsOnly;
    MuteSchedule m_schedule;
    QDateTime m_mutedUntil;
    QDateTime m_lastMotionAlert;
};

} // namespace garage
