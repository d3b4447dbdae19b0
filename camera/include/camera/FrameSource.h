// Where frames come from (a local camera or a media URL), with health: Starting -> Streaming, Stalled when no frame
// comes for stall_seconds, Offline on errors or the end of a stream; reopened with exponential backoff (1 s doubling
// to 60 s, with jitter). Hands analysis the luma plane at most analysis_fps times per second and keeps the latest
// full frame for snapshots.
#pragma once

#include "camera/CameraConfig.h"
#include "camera/LumaFrame.h"
#include "camera/SnapshotFrame.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QVideoSink>

#include <deque>
#include <expected>
#include <memory>

namespace garage {

class FrameSource : public QObject
{
    Q_OBJECT
public:
    enum class State { Starting, Streaming, Stalled, Offline };
    Q_ENUM(State)

    explicit FrameSource(const CameraConfig &config, QObject *parent = nullptr);
    ~FrameSource() override;

    void start();
    void stop();

    State state() const { return m_state; }
    QString stateReason() const { return m_reason; }
    double measuredFps() const;
    QSize frameSize() const { return m_frameSize; }
    SnapshotFrame latestFrame() const { return m_latest; }
    // The delay before the next reopen attempt (for tests and the log).
    std::chrono::milliseconds retryDelay() const { return m_retryDelay; }
    // A human name of what this source reads, for logs ("file vtest.avi", "camera HD Webcam").
    virtual QString description() const = 0;

Q_SIGNALS:
    void frameReady(const garage::LumaFrame &frame);
    void stateChanged(garage::FrameSource::State state, const QString &reason);

protected:
    virtual void open() = 0;  // start the pipeline; report problems with fail()
    virtual void close() = 0; // tear it down (no signals after this)
    QVideoSink *sink() { return &m_sink; }
    // The pipeline failed or ended: Offline, then a reopen after the backoff delay.
    void fail(const QString &reason);

private:
    void onVideoFrame(const QVideoFrame &frame);
    void deliver(const QVideoFrame &frame, std::chrono::milliseconds timestamp);
    void setState(State state, const QString &reason);
    void scheduleReopen();
    std::chrono::milliseconds streamTime(const QVideoFrame &frame);

    CameraConfig m_config;
    QVideoSink m_sink;
    State m_state = State::Offline;
    QString m_reason = QStringLiteral("not started");
    bool m_running = false;
    QTimer m_stallTimer;
    QTimer m_reopenTimer;
    int m_failures = 0;
    std::chrono::milliseconds m_retryDelay{0};
    SnapshotFrame m_latest;
    QSize m_frameSize;
    std::int64_t m_analysed = 0;
    std::chrono::milliseconds m_lastAnalysedTime{-1'000'000};
    std::chrono::milliseconds m_lastStreamTime{-1};
    std::chrono::milliseconds m_timeOffset{0}; // keeps stream time monotonic across loops and reopenings
    QElapsedTimer m_clock;
    std::deque<qint64> m_recentFrames; // wall-clock ms of recently analysed frames
    cv::Mat m_scratch;
    bool m_warnedFormat = false;
};

// Chooses the implementation from config.source (see SourceSpec). A camera source that matches no device is an
// error naming the devices that exist.
std::expected<std::unique_ptr<FrameSource>, QString> createFrameSource(const CameraConfig &config,
                                                                       QObject *parent = nullptr);

} // namespace garage
