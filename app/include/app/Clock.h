// The appliance's two clocks, injectable: the steady clock for every duration (cooldown, grace, mute for a time,
// ages), the wall clock for display and dates only. A Pi has no RTC: its wall clock steps after boot and with NTP.
#pragma once

#include <QDateTime>
#include <chrono>

namespace garage {

// A moment on both clocks.
struct Moment {
    QDateTime wall;                               // UTC, for display, "until 07:00", the schedule, dates
    std::chrono::steady_clock::time_point steady; // for durations
};

class Clock
{
public:
    virtual ~Clock() = default;
    virtual std::chrono::steady_clock::time_point steadyNow() const { return std::chrono::steady_clock::now(); }
    virtual QDateTime wallNow() const { return QDateTime::currentDateTimeUtc(); }
    Moment now() const { return {wallNow(), steadyNow()}; }

    // The process-wide real clock.
    static const Clock &system();
};

} // namespace garage
