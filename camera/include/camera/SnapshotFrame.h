// The latest full-resolution frame, kept implicitly shared (it holds the QVideoFrame): no pixel copy until encoded.
#pragma once

#include <QSize>
#include <QVideoFrame>
#include <chrono>

namespace garage {

class SnapshotFrame
{
public:
    SnapshotFrame();
    explicit SnapshotFrame(const QVideoFrame &frame);

    bool isNull() const;
    QSize size() const;
    std::chrono::milliseconds timestamp() const; // stream time (0 when the stream gives none)
    const QVideoFrame &videoFrame() const { return m_frame; }

private:
    QVideoFrame m_frame;
};

} // namespace garage
