#include "sensors/ThresholdMonitor.h"

#include <algorithm>

namespace garage {
namespace {

QString degrees(double celsius)
{
    return QStringLiteral("%1 °C").arg(celsius, 0, 'f', 1);
}

} // namespace

QString ThresholdMonitor::zoneName(Zone zone)
{
    switch (zone) {
    case Zone::Cold:
        return QStringLiteral("cold");
    case Zone::Hot:
        return QStringLiteral("hot");
    case Zone::Normal:
        break;
    }
    return QStringLiteral("normal");
}

std::optional<ThresholdMonitor::Zone> ThresholdMonitor::zoneFromName(const QString &name)
{
    for (Zone zone : {Zone::Normal, Zone::Cold, Zone::Hot})
        if (zoneName(zone) == name)
            return zone;
    return std::nullopt;
}

ThresholdMonitor::ThresholdMonitor(const TemperatureConfig &config)
    : m_config(config)
{
}

std::vector<ThresholdEvent> ThresholdMonitor::feed(const TemperatureReading &reading, std::chrono::steady_clock::time_point now)
{
    using Kind = ThresholdEvent::Kind;
    std::vector<ThresholdEvent> events;
    if (reading.quality != TemperatureReading::Quality::Ok) {
        if (!m_failingSince)
            m_failingSince = reading.steadyTime != std::chrono::steady_clock::time_point{} ? std::min(reading.steadyTime, now) : now;
        const auto failingFor = now - *m_failingSince;
        if (!m_failingAlerted && failingFor >= m_config.staleAfter) {
            m_failingAlerted = true;
            events.push_back({Kind::SensorFailing, 0,
                              QStringLiteral("Temperature sensor failing for %1 min: %2")
                                  .arg(std::chrono::duration_cast<std::chrono::minutes>(failingFor).count())
                                  .arg(reading.reason)});
        }
        return events;
    }
    const double c = reading.celsius;
    if (m_failingAlerted)
        events.push_back({Kind::SensorRecovered, c, QStringLiteral("Temperature sensor back: %1").arg(degrees(c))});
    m_failingSince.reset();
    m_failingAlerted = false;

    const auto &low = m_config.lowCelsius;
    const auto &high = m_config.highCelsius;
    const double h = m_config.hysteresisCelsius;
    if (low && c < *low && m_zone != Zone::Cold) {
        m_zone = Zone::Cold;
        events.push_back({Kind::TooCold, c, QStringLiteral("Frost warning: %1 (below %2)").arg(degrees(c), degrees(*low))});
    } else if (high && c > *high && m_zone != Zone::Hot) {
        m_zone = Zone::Hot;
        events.push_back({Kind::TooHot, c, QStringLiteral("Heat warning: %1 (above %2)").arg(degrees(c), degrees(*high))});
    } else if ((m_zone == Zone::Cold && low && c >= *low + h) || (m_zone == Zone::Hot && high && c <= *high - h)) {
        m_zone = Zone::Normal;
        events.push_back({Kind::BackToNormal, c, QStringLiteral("Temperature back to normal: %1").arg(degrees(c))});
    }
    return events;
}

} // namespace garage
