// Turns readings into owner alerts: one per crossing of `low`/`high`, one "back to normal" once the value has come
// back by `hysteresis`, one when the sensor has failed for `stale_minutes` and one when it recovers. No I/O.
#pragma once

#include "sensors/SensorsConfig.h"
#include "sensors/TemperatureReading.h"

#include <QDateTime>
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
    explicit ThresholdMonitor(const TemperatureConfig &config);
    std::vector<ThresholdEvent> feed(const TemperatureReading &reading, const QDateTime &now);

private:
    enum class Zone { Normal, Cold, Hot };
    TemperatureConfig m_config;
    Zone m_zone = Zone::Normal;
    QDateTime m_failingSince;
    bool m_failingAlerted = false;
};

} // namespace garage
