#include "camera/SnapshotFrame.h"

namespace garage {

SnapshotFrame::SnapshotFrame() = default;

SnapshotFrame::SnapshotFrame(const QVideoFrame &frame)
    : m_frame(frame)
    , m_capturedAt(QDateTime::currentDateTimeUtc())
    , m_capturedSteady(std::chrono::steady_clock::now())
{
}

SnapshotFrame::SnapshotFrame(const QByteArray &jpeg, QSize size, std::chrono::milliseconds timestamp)
    : m_jpeg(jpeg)
    , m_jpegSize(size)
    , m_jpegTime(timestamp)
    , m_capturedAt(QDateTime::currentDateTimeUtc())
    , m_capturedSteady(std::chrono::steady_clock::now())
{
}

bool SnapshotFrame::isNull() const
{
    return !m_frame.isValid() && m_jpeg.isEmpty();
}

QSize SnapshotFrame::size() const
{
    return m_jpeg.isEmpty() ? m_frame.size() : m_jpegSize;
}

std::chrono::milliseconds SnapshotFrame::timestamp() const
{
    if (!m_jpeg.isEmpty())
        return m_jpegTime;
    const qint64 us = m_frame.startTime();
    return std::chrono::milliseconds(us < 0 ? 0 : us / 1000);
}

} // namespace garage
