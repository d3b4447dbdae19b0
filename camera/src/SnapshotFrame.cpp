#include "camera/SnapshotFrame.h"

namespace garage {

SnapshotFrame::SnapshotFrame() = default;

SnapshotFrame::SnapshotFrame(const QVideoFrame &frame, std::chrono::milliseconds timestamp,
                             std::chrono::steady_clock::time_point capturedSteady)
    : m_frame(frame)
    , m_timestamp(timestamp)
    , m_capturedAt(QDateTime::currentDateTimeUtc())
    , m_capturedSteady(capturedSteady)
{
}

SnapshotFrame::SnapshotFrame(const QByteArray &jpeg, QSize size, std::chrono::milliseconds timestamp,
                             std::chrono::steady_clock::time_point capturedSteady)
    : m_jpeg(jpeg)
    , m_jpegSize(size)
    , m_timestamp(timestamp)
    , m_capturedAt(QDateTime::currentDateTimeUtc())
    , m_capturedSteady(capturedSteady)
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

} // namespace garage
