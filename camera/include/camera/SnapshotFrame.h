// The latest full-resolution frame, kept implicitly shared: the QVideoFrame a player or camera delivered, or the JPEG
// bytes an MJPEG network camera sent. No pixel copy until encoded.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QSize>
#include <QVideoFrame>
#include <chrono>

namespace garage {

class SnapshotFrame
{
public:
    SnapshotFrame();
    // timestamp: the frame source's stream time (the same as the frame's LumaFrame); capturedSteady: when it reached
    // us (the wall-clock capture time is taken at construction).
    SnapshotFrame(const QVideoFrame &frame, std::chrono::milliseconds timestamp,
                  std::chrono::steady_clock::time_point capturedSteady = std::chrono::steady_clock::now());
    SnapshotFrame(const QByteArray &jpeg, QSize size, std::chrono::milliseconds timestamp,
                  std::chrono::steady_clock::time_point capturedSteady = std::chrono::steady_clock::now());

    bool isNull() const;
    QSize size() const;
    std::chrono::milliseconds timestamp() const { return m_timestamp; } // the source's stream time: never goes back
    // When the frame was captured (taken as: when it reached us): wall clock for captions and replies only, the
    // steady clock for every "how old is it" question.
    QDateTime capturedAt() const { return m_capturedAt; }
    std::chrono::steady_clock::time_point capturedSteady() const { return m_capturedSteady; }
    const QVideoFrame &videoFrame() const { return m_frame; } // invalid for a JPEG frame
    const QByteArray &jpeg() const { return m_jpeg; }         // empty for a video frame

private:
    QVideoFrame m_frame;
    QByteArray m_jpeg;
    QSize m_jpegSize;
    std::chrono::milliseconds m_timestamp{};
    QDateTime m_capturedAt;
    std::chrono::steady_clock::time_point m_capturedSteady{};
};

} // namespace garage
