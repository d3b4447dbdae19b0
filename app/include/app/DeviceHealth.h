// One device's availability as the owner hears it (camera, door contact, temperature sensor): "lost" once, after a
// grace period (a shorter outage is not worth a message), and "back" once, only if "lost" was told. Steady time in,
// changes out, no I/O: the sibling of ThresholdMonitor.
#pragma once

#include "app/Clock.h"

#include <QString>
#include <chrono>
#include <optional>

namespace garage {

struct DeviceChange {
    enum class Kind { Lost, Back };
    Kind kind;
    QString reason;                 // Lost: why (the latest reason)
    std::chrono::seconds downFor{}; // Back: how long it was down
};

class DeviceHealth
{
public:
    explicit DeviceHealth(std::chrono::seconds grace) : m_grace(grace) {}

    // The device is not working (again, or still: the reason is updated, the grace is not restarted).
    void down(const QString &reason, const Moment &now);
    // The device works: Back if Lost had been told.
    std::optional<DeviceChange> up(const Moment &now);
    // Lost once the grace has passed while down.
    std::optional<DeviceChange> poll(const Moment &now);
    // When poll() may next report Lost (nullopt: nothing pending).
    std::optional<std::chrono::steady_clock::time_point> deadline() const;

    bool isDown() const { return m_downSince.has_value(); }
    QString reason() const { return m_reason; }
    QDateTime downSinceWall() const { return m_downSinceWall; } // display only

private:
    std::chrono::seconds m_grace;
    std::optional<std::chrono::steady_clock::time_point> m_downSince;
    QDateTime m_downSinceWall;
    QString m_reason;
    bool m_lostTold = false;
};

} // namespace garage
