// A live video input (camera, file, stream): hands paced luma frames to analysis, keeps the latest full frame for
// snapshots, reports health (Starting / Streaming / Stalled / Offline) and reconnects by itself with backoff.
#pragma once

#include "camera/AnalysisPacer.h"
#include "camera/CameraConfig.h"
#include "camera/LumaFrame.h"
#include "camera/ReconnectBackoff.h"
#include "camera/SnapshotFrame.h"
#include "camera/StreamClock.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QSize>
#include <QString>
#include <QTimer>
#include <chrono>
#include <deque>
#include <expected>
#include <functional>
#include <memory>
#include <optional>

class QVideoFrame;

namespace garage {

class FrameSource : public QObject
{
    Q_OBJECT
public:
    enum class State { Starting, Streaming, Stalled, Offline };
    Q_ENUM(State)

    ~FrameSource() override;

    // Opens the stream and keeps it open (reconnecting with backoff) until stop().
    void start();
    void stop();
    bool isRunning() const { return m_running; }

    State state() const { return m_state; }
    QString stateReason() const { return m_reason; }
    double measuredFps() const;          // analysed frames per second, over the last few seconds
    QSize frameSize() const;
    virtual SnapshotFrame latestFrame() const; // the newest full frame (no copy until encoded); virtual for a test's fake camera
    // JPEG of the latest frame with the configured quality and width, encoded on the thread pool.
    QFuture<std::expected<QByteArray, QString>> snapshot(std::function<void(cv::Mat &bgr)> annotate = {}) const;
    const CameraConfig &config() const { return m_config; }
    // For the watchdog: empty while the source is running or actively recovering (streaming, opening within its
    // stall timeout, a reconnect scheduled); otherwise what is stuck ("Offline and no reconnect scheduled", also
    // for a source never started or stopped).
    QString supervisionProblem(std::chrono::steady_clock::time_point now) const;

Q_SIGNALS:
    // Emitted on the thread that owns the source. frame.timestamp is the source's stream time (StreamClock): it
    // never goes backwards, across file loops, reconnects and the camera's own timestamp jumps.
    void frameReady(const garage::LumaFrame &frame);
    void stateChanged(garage::FrameSource::State state, const QString &reason);
    // A reconnect attempt is due after `delay` (attempt counts from 1 since the stream last worked).
    void reconnectScheduled(std::chrono::milliseconds delay, int attempt);

protected:
    FrameSource(const CameraConfig &config, QObject *parent);

    // Subclasses feed every decoded frame here (from their QVideoSink, on the owning thread).
    void deliverFrame(const QVideoFrame &frame);
    // ... or every JPEG of a compressed stream: decoded straight to grey (no colour), only when analysed; the bytes
    // themselves are kept as the snapshot frame.
    void deliverJpeg(const QByteArray &jpeg);
    // The stream is being opened: Starting, stall watchdog armed.
    void beginStarting(const QString &reason);
    // The stream failed or ended: Offline with the reason, reconnect later.
    void reportOffline(const QString &reason);
    // Stop everything the base runs (timers); state Offline with the reason.
    void haltSupervision(const QString &reason);
    // What the source is, for "opening ..." (no password).
    virtual QString describeSource() const = 0;
    // Open the stream, dropping what an earlier attempt left (called by start() and after each backoff delay).
    virtual void openStream() = 0;
    // Close the stream without blocking. Subclasses call stop() in their destructors.
    virtual void closeStream() = 0;

private:
    void setState(State state, const QString &reason);
    void onStallTimeout();
    void scheduleReconnect();
    std::chrono::milliseconds streamTime(std::optional<std::chrono::milliseconds> sourceTime,
                                         std::chrono::steady_clock::time_point arrival);
    // A frame arrived: stall watchdog re-armed, Streaming. Returns whether the pacer wants it analysed.
    bool frameArrived(const std::function<QString()> &describe, std::chrono::milliseconds timestamp);
    void emitLuma(const cv::Mat &grey, std::chrono::milliseconds timestamp, int scale = 1);
    void warnSkipped(const QString &why);
    // Whether a frame of this size may be decoded (the configured limit); logs the first of a run that may not.
    bool withinPictureLimit(QSize size);

    CameraConfig m_config;
    QString m_displaySource;
    State m_state = State::Offline;
    QString m_reason = QStringLiteral("not started");
    SnapshotFrame m_latest;
    AnalysisPacer m_pacer;
    ReconnectBackoff m_backoff;
    QTimer m_stallTimer;
    QTimer m_reconnectTimer;
    QElapsedTimer m_clock;            // wall clock for measuredFps
    StreamClock m_streamClock;
    std::chrono::steady_clock::time_point m_startingSince{}; // when the current attempt began opening
    std::chrono::steady_clock::time_point m_reconnectDue{};
    std::chrono::steady_clock::time_point m_lastFrameAt{};
    std::deque<qint64> m_analysedAtMs; // recent analysis times (m_clock) for measuredFps
    std::int64_t m_index = 0;
    cv::Mat m_scratch;
    QString m_lastLumaError;
    bool m_running = false;
    bool m_oversizeLogged = false;
};

// The reduction (1, 2, 4 or 8) a JPEG frame this wide is decoded at: the largest that keeps its luma at least
// lumaWidth wide (1 when lumaWidth is 0).
int jpegLumaScale(int width, int lumaWidth);

// The frame source for config.source: QCamera for camera / camera:<match> / /dev/videoN, an MJPEG reader for
// http(s):// cameras, QMediaPlayer for files, file:// and rtsp://. Fails only on a malformed source: a camera spec
// that matches no device (yet) gives a source that runs Offline ("no camera found (...), retrying") and looks for
// the device again on every reconnect attempt.
std::expected<std::unique_ptr<FrameSource>, QString> createFrameSource(const CameraConfig &config,
                                                                       QObject *parent = nullptr);

} // namespace garage
