// Turns readings into owner alerts: one per crossing of `low`/`high`, one "back to normal" once the value has come
// back by `hysteresis`, one when the sensor has failed for `stale_minutes` and one when it recovers. No I/O.
// Durations are measured on the steady clock (a Pi has no RTC: its wall clock steps after boot).
#pragma once

#include "sensors/SensorsConfig.h"
#include "sensors/TemperatureReading.h"

#include <chrono>
#include <optional>
#include <vector>

namespace garage {

struct ThresholdEvent {
    enum class Kind { TooCold, TooHot, BackToNormal, SensorFailing, SensorRecovered };
    Kind kind;
    double celsius = 0;
    QString text; // owner-facing, e.g. "Frost warning: 1.5 °C (below 2 °C)"
};

class ThresholdMonitor
{
public:
    // Where the temperature stands: what the owner was last told.
    enum class Zone { Normal, Cold, Hot };
    static QString zoneName(Zone zone);                  // "normal", "cold", "hot"
    static std::optional<Zone> zoneFromName(const QString &name);

    explicit ThresholdMonitor(const TemperatureConfig &config);
    // now: the steady time of this call; a reading's steadyTime (when set) says when it was measured.
    std::vector<ThresholdEvent> feed(const TemperatureReading &reading, std::chrono::steady_clock::time_point now);

    Zone zone() const { return m_zone; }
    // What an earlier run told the owner (kept across a restart): a garage still cold is not warned again.
    void restoreZone(Zone zone) { m_zone = zone; }

private:
    TemperatureConfig m_config;
    Zone m_zone = Zone::Normal;
    std::optional<std::chrono::steady_clock::time_point> m_failingSince;
    bool m_failingAlerted = false;
};

} // namespace garage
