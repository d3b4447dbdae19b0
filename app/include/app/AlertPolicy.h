// Decides whether an alert goes to the owners: armed/disarmed, muted (by command or schedule), the motion cooldown,
// persons-only. Safety alerts (frost, heat, door left open, camera or sensor failures) are never held back:
// arming and muting are about intrusion alerts, not about a freezing pipe.
// Durations (the cooldown, "mute 1h") run on the steady clock, so a step of the wall clock neither blocks alerts for
// hours nor ends a mute early; "mute until 07:00" and the schedule are wall times by nature.
#pragma once

#include "app/Clock.h"
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

    AlertDecision decide(AlertKind kind, const Moment &now, std::optional<bool> person = std::nullopt) const;
    // Call when a motion alert was actually sent: starts the cooldown.
    void motionAlertSent(const Moment &now) { m_lastMotionAlert = now.steady; }

    // A door move the owner asked for (DoorAlertWindow): motion and door alerts are held until `end`.
    void holdIntrusionUntil(std::chrono::steady_clock::time_point end) { m_intrusionHold = end; }

    bool isArmed() const { return m_armed; }
    void setArmed(bool armed) { m_armed = armed; }
    // "mute until 07:00": ends at that wall time.
    void muteUntil(const QDateTime &end);
    // "mute 1h": ends after that much real time, whatever the wall clock does meanwhile.
    void muteFor(std::chrono::seconds duration, const Moment &now);
    void unmute();
    // The end of a mute command still in force (as a wall time, for display and the state file), or a null QDateTime.
    QDateTime mutedUntil(const Moment &now) const;
    bool scheduleMutes(const QDateTime &now) const { return m_schedule.isMuted(now.toLocalTime()); }
    const MuteSchedule &schedule() const { return m_schedule; }

private:
    bool m_armed;
    std::chrono::seconds m_cooldown;
    bool m_personsOnly;
    MuteSchedule m_schedule;
    QDateTime m_mutedUntilWall;                                        // "until": a wall end
    std::optional<std::chrono::steady_clock::time_point> m_mutedUntilSteady; // "for": a steady end
    std::optional<std::chrono::steady_clock::time_point> m_lastMotionAlert;
    std::optional<std::chrono::steady_clock::time_point> m_intrusionHold;
};

} // namespace garage
