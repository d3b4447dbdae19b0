#include "app/DeviceHealth.h"

namespace garage {

void DeviceHealth::down(const QString &reason, const Moment &now)
{
    m_reason = reason;
    if (!m_downSince) {
        m_downSince = now.steady;
        m_downSinceWall = now.wall;
    }
}

std::optional<DeviceChange> DeviceHealth::up(const Moment &now)
{
    std::optional<DeviceChange> change;
    if (m_downSince && m_lostTold)
        change = DeviceChange{DeviceChange::Kind::Back, m_reason,
                              std::chrono::duration_cast<std::chrono::seconds>(now.steady - *m_downSince)};
    m_downSince.reset();
    m_downSinceWall = {};
    m_reason.clear();
    m_lostTold = false;
    return change;
}

std::optional<DeviceChange> DeviceHealth::poll(const Moment &now)
{
    if (!m_downSince || m_lostTold || now.steady - *m_downSince < m_grace)
        return std::nullopt;
    m_lostTold = true;
    return DeviceChange{DeviceChange::Kind::Lost, m_reason, {}};
}

std::optional<std::chrono::steady_clock::time_point> DeviceHealth::deadline() const
{
    if (!m_downSince || m_lostTold)
        return std::nullopt;
    return *m_downSince + m_grace;
}

} // namespace garage
