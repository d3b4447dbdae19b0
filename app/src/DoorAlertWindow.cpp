#include "app/DoorAlertWindow.h"

namespace garage {

void DoorAlertWindow::moveStarted(TimePoint now, std::chrono::seconds travel)
{
    const TimePoint end = now + travel + kSlack;
    if (!m_until || end > *m_until)
        m_until = end;
}

bool DoorAlertWindow::holds(TimePoint now) const
{
    return m_until && now < *m_until;
}

} // namespace garage
