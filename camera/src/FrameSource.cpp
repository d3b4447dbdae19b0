#include "camera/FrameSource.h"

#include "Logging.h"
#include "camera/LumaExtractor.h"
#include "camera/MjpegStreamParser.h"
#include "camera/SnapshotEncoder.h"
#include "camera/UrlCredentials.h"

#include <QVariant>
#include <QVideoFrame>
#include <array>
#include <opencv2/imgcodecs.hpp>

namespace garage {
namespace {

constexpr qint64 kFpsWindowMs = 3000;

} // namespace

FrameSource::FrameSource(const CameraConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_pacer(config.analysisFps)
{
    // never log a password embedded in an rtsp/http URL
    m_displaySource = maskUrlCredentials(config.source);
    m_clock.start();
    m_stallTimer.setSingleShot(true);
    m_stallTimer.setInterval(std::max(std::chrono::milliseconds(std::chrono::seconds(1)),
                                      std::chrono::milliseconds(config.stallTimeout)));
    connect(&m_stallTimer, &QTimer::timeout, this, &FrameSource::onStallTimeout);
    m_reconnectTimer.setSingleShot(true);
    // the delay is logged and announced (reconnectScheduled): the retry comes no earlier than that (a coarse QTimer
    // may fire up to 5 % early, 112 ms on a 2247 ms delay, seen in CI)
    m_reconnectTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
        if (!m_running)
            return;
        beginStarting(QStringLiteral("reconnecting (attempt %1)").arg(m_backoff.attempts()));
        openStream();
    });
}

FrameSource::~FrameSource() = default;

void FrameSource::start()
{
    if (m_running)
        return;
    m_running = true;
    beginStarting(QStringLiteral("opening %1").arg(describeSource()));
    openStream();
}

void FrameSource::stop()
{
    if (!m_running)
        return;
    m_running = false;
    closeStream();
    haltSupervision(QStringLiteral("stopped"));
}

double FrameSource::measuredFps() const
{
    const qint64 now = m_clock.elapsed();
    qsizetype recent = 0;
    for (const qint64 t : m_analysedAtMs)
        recent += now - t <= kFpsWindowMs ? 1 : 0;
    const qint64 span = std::min(now, kFpsWindowMs);
    return span > 0 ? double(recent) * 1000.0 / double(span) : 0.0;
}

QSize FrameSource::frameSize() const
{
    return m_latest.size();
}

SnapshotFrame FrameSource::latestFrame() const
{
    return m_latest;
}

QFuture<std::expected<QByteArray, QString>> FrameSource::snapshot(std::function<void(cv::Mat &bgr)> annotate) const
{
    return encodeSnapshot(m_latest, m_config.jpegQuality, m_config.snapshotWidth, std::move(annotate));
}

std::chrono::milliseconds FrameSource::streamTime(std::optional<std::chrono::milliseconds> sourceTime,
                                                 std::chrono::steady_clock::time_point arrival)
{
    const auto previous = m_streamClock.last();
    const auto time = m_streamClock.next(sourceTime, arrival);
    if (m_streamClock.reanchored() && sourceTime)
        qCDebug(lcCamera).nospace() << "camera " << m_displaySource << ": source time " << sourceTime->count()
                                    << " ms does not follow on; stream time " << previous.count() << " -> "
                                    << time.count() << " ms by the arrival time";
    return time;
}

bool FrameSource::frameArrived(const std::function<QString()> &describe, std::chrono::milliseconds timestamp)
{
    m_lastFrameAt = std::chrono::steady_clock::now();
    m_stallTimer.start();
    if (m_state != State::Streaming) { // the description is only made for the state change, not for every frame
        m_reconnectTimer.stop();
        m_backoff.reset();
        setState(State::Streaming, describe());
    }
    return m_pacer.take(timestamp); // a dropped frame costs nothing: not mapped, not decoded
}

QString FrameSource::supervisionProblem(std::chrono::steady_clock::time_point now) const
{
    using std::chrono::duration_cast;
    using std::chrono::seconds;
    // the stall timer and the reconnect timer run on this thread: a grace beyond their due time before calling
    // either of them stuck
    constexpr auto kGrace = std::chrono::seconds(5);
    const auto stallTimeout = m_stallTimer.intervalAsDuration();
    const auto since = [now](std::chrono::steady_clock::time_point t) {
        return duration_cast<seconds>(now - t).count();
    };
    if (!m_running)
        return QStringLiteral("Offline and no reconnect scheduled (%1)").arg(m_reason);
    if (m_reconnectTimer.isActive()) {
        if (now > m_reconnectDue + kGrace)
            return QStringLiteral("reconnect overdue by %1 s").arg(since(m_reconnectDue));
        return {};
    }
    switch (m_state) {
    case State::Streaming:
        if (now > m_lastFrameAt + stallTimeout + kGrace)
            return QStringLiteral("Streaming but no frame for %1 s").arg(since(m_lastFrameAt));
        return {};
    case State::Starting:
        if (now > m_startingSince + stallTimeout + kGrace)
            return QStringLiteral("Starting for %1 s without a frame").arg(since(m_startingSince));
        return {};
    case State::Stalled:
        return QStringLiteral("Stalled and no reconnect scheduled (%1)").arg(m_reason);
    case State::Offline:
        break;
    }
    return QStringLiteral("Offline and no reconnect scheduled (%1)").arg(m_reason);
}

int jpegLumaScale(int width, int lumaWidth)
{
    int scale = 1;
    while (lumaWidth > 0 && scale < 8 && width / (scale * 2) >= lumaWidth)
        scale *= 2;
    return scale;
}

void FrameSource::emitLuma(const cv::Mat &grey, std::chrono::milliseconds timestamp, int scale)
{
    m_analysedAtMs.push_back(m_clock.elapsed());
    while (!m_analysedAtMs.empty() && m_analysedAtMs.back() - m_analysedAtMs.front() > kFpsWindowMs)
        m_analysedAtMs.pop_front();
    const LumaFrame luma{grey, timestamp, m_index++, scale};
    Q_EMIT frameReady(luma);
}

void FrameSource::warnSkipped(const QString &why)
{
    if (why != m_lastLumaError) // once per kind of trouble, not once per frame
        qCWarning(lcCamera).noquote() << "frame skipped:" << why;
    m_lastLumaError = why;
}

void FrameSource::deliverFrame(const QVideoFrame &incoming)
{
    if (!incoming.isValid() || !withinPictureLimit(incoming.size()))
        return;
    const auto arrival = std::chrono::steady_clock::now();
    const qint64 us = incoming.startTime();
    const auto timestamp = streamTime(us >= 0 ? std::optional(std::chrono::milliseconds(us / 1000)) : std::nullopt,
                                      arrival);
    m_latest = SnapshotFrame(incoming, timestamp, arrival); // shared, no pixel copy
    const auto describe = [&incoming] {
        return QStringLiteral("%1x%2 %3").arg(incoming.width()).arg(incoming.height())
            .arg(QVideoFrameFormat::pixelFormatToString(incoming.pixelFormat()));
    };
    if (!frameArrived(describe, timestamp))
        return;

    QVideoFrame frame = incoming;
    if (!frame.map(QVideoFrame::ReadOnly)) {
        warnSkipped(QStringLiteral("cannot map a %1 frame").arg(QVideoFrameFormat::pixelFormatToString(frame.pixelFormat())));
        return;
    }
    std::array<PlaneView, 4> planes{};
    const int count = std::min<int>(frame.planeCount(), int(planes.size()));
    for (int i = 0; i < count; ++i)
        planes[std::size_t(i)] = {frame.bits(i), frame.bytesPerLine(i), std::size_t(frame.mappedBytes(i))};
    auto grey = extractLuma(frame.pixelFormat(), frame.width(), frame.height(),
                            std::span(planes.data(), std::size_t(count)), m_scratch);
    if (grey)
        emitLuma(*grey, timestamp);
    else
        warnSkipped(grey.error());
    frame.unmap();
}

bool FrameSource::withinPictureLimit(QSize size)
{
    if (size.width() <= m_config.maxPictureWidth && size.height() <= m_config.maxPictureHeight) {
        m_oversizeLogged = false;
        return true;
    }
    if (!m_oversizeLogged) // one line per run of oversize frames, not one per frame
        qCWarning(lcCamera).noquote() << "camera" << m_displaySource << QStringLiteral(
            ": a %1x%2 frame is over the %3x%4 limit ([camera] max_picture_width/height): dropped without decoding it, "
            "and every further one until a frame fits").arg(size.width()).arg(size.height())
            .arg(m_config.maxPictureWidth).arg(m_config.maxPictureHeight);
    m_oversizeLogged = true;
    return false;
}

void FrameSource::deliverJpeg(const QByteArray &jpeg)
{
    const QSize size = jpegImageSize(jpeg);
    if (!size.isValid()) {
        warnSkipped(QStringLiteral("a part of the stream is not a JPEG image"));
        return;
    }
    // checked before anything decodes it: neither the analysis nor a snapshot (in full colour) may see it
    if (!withinPictureLimit(size))
        return;
    if (!jpegIsComplete(jpeg)) {
        warnSkipped(QStringLiteral("a truncated JPEG (no end-of-image marker after its scan) was dropped: it would "
                                   "decode with grey fill, which looks like motion"));
        return;
    }
    const auto arrival = std::chrono::steady_clock::now();
    const auto timestamp = streamTime(std::nullopt, arrival); // MJPEG over HTTP carries no timestamps
    m_latest = SnapshotFrame(jpeg, size, timestamp, arrival);
    if (!frameArrived([size] { return QStringLiteral("%1x%2 MJPEG").arg(size.width()).arg(size.height()); }, timestamp))
        return;
    // luma only: libjpeg skips the chroma planes and the colour conversion, and at a reduced scale its inverse DCT
    // makes the smaller picture directly (the analysis would only downscale a full-size one)
    const int scale = jpegLumaScale(size.width(), m_config.lumaWidth);
    const int flags = scale == 8 ? cv::IMREAD_REDUCED_GRAYSCALE_8
                      : scale == 4 ? cv::IMREAD_REDUCED_GRAYSCALE_4
                      : scale == 2 ? cv::IMREAD_REDUCED_GRAYSCALE_2
                                   : cv::IMREAD_GRAYSCALE;
    cv::imdecode(cv::Mat(1, int(jpeg.size()), CV_8UC1, const_cast<char *>(jpeg.constData())), flags, &m_scratch);
    const QSize expected((size.width() + scale - 1) / scale, (size.height() + scale - 1) / scale);
    if (m_scratch.empty() || m_scratch.cols != expected.width() || m_scratch.rows != expected.height()) {
        warnSkipped(QStringLiteral("a %1x%2 JPEG does not decode").arg(size.width()).arg(size.height()));
        return;
    }
    emitLuma(m_scratch, timestamp, scale);
}

void FrameSource::beginStarting(const QString &reason)
{
    m_pacer.reset();
    m_streamClock.restart(); // a new timeline for the stream's own timestamps; the stream time goes on
    m_startingSince = std::chrono::steady_clock::now();
    m_stallTimer.start();
    setState(State::Starting, reason);
}

void FrameSource::reportOffline(const QString &reason)
{
    m_stallTimer.stop();
    setState(State::Offline, reason);
    scheduleReconnect();
}

void FrameSource::haltSupervision(const QString &reason)
{
    m_stallTimer.stop();
    m_reconnectTimer.stop();
    setState(State::Offline, reason);
}

void FrameSource::onStallTimeout()
{
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(m_stallTimer.intervalAsDuration());
    setState(State::Stalled, QStringLiteral("no frame for %1 s").arg(seconds.count()));
    scheduleReconnect();
}

void FrameSource::scheduleReconnect()
{
    if (m_reconnectTimer.isActive())
        return;
    const auto delay = m_backoff.next();
    qCInfo(lcCamera).nospace() << "camera " << m_displaySource << ": retrying in " << delay.count() << " ms (attempt "
                               << m_backoff.attempts() << ")";
    m_reconnectTimer.start(delay);
    m_reconnectDue = std::chrono::steady_clock::now() + delay;
    Q_EMIT reconnectScheduled(delay, m_backoff.attempts());
}

void FrameSource::setState(State state, const QString &givenReason)
{
    // a player's or the network's error text may repeat the URL as written: it reaches the log and `status`
    const QString reason = maskUrlCredentials(givenReason);
    if (state == m_state && reason == m_reason)
        return;
    const bool changed = state != m_state;
    m_state = state;
    m_reason = reason;
    if (!changed)
        return;
    qCInfo(lcCamera).noquote() << "camera" << m_displaySource << "->" << QVariant::fromValue(state).toString() << ":"
                               << reason;
    Q_EMIT stateChanged(state, reason);
}

} // namespace garage
