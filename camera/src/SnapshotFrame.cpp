#include "camera/SnapshotFrame.h"

namespace garage {

SnapshotFrame::SnapshotFrame() = default;

SnapshotFrame::SnapshotFrame(const QVideoFrame &frame)
    : m_frame(frame)
{
}

bool SnapshotFrame::isNull() const
{
    return !m_frame.isValid();
}

QSize SnapshotFrame::size() const
{
    return m_frame.size();
}

std::chrono::milliseconds SnapshotFrame::timestamp() const
{
    const qint64 us = m_frame.startTime();
    return std::chrono::milliseconds(us < 0 ? 0 : us / 1000);
}

} // namespace garage
