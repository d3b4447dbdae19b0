// The latest full-resolution frame, kept for snapshots: implicitly shared (a QVideoFrame), no pixel copy until encoded.
#pragma once

#include <QVideoFrame>

#include <chrono>

namespace garage {

class SnapshotFrame
{
public:
    SnapshotFrame() = default;
    SnapshotFrame(const QVideoFrame &frame, std::chrono::milliseconds timestamp) : m_frame(frame), m_timestamp(timestamp) {}

    bool isNull() const { return !m_frame.isValid(); }
    QSize size() const { return m_frame.size(); }
    std::chrono::milliseconds timestamp() const { return m_timestamp; }
    const QVideoFrame &videoFrame() const { return m_frame; }

private:
    QVideoFrame m_frame;
    std::chrono::milliseconds m_timestamp{0};
};

} // namespace garage
