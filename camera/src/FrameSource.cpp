#include "camera/FrameSource.h"

#include "Logging.h"
#include "camera/LumaExtractor.h"

#include <QImage>
#include <QRandomGenerator>

using namespace std::chrono_literals;

namespace garage {
namespace {

constexpr auto kFirstRetry = 1s;
constexpr auto kMaxRetry = 60s;
constexpr qint64 kFpsWindowMs = 5000;

} // namespace

FrameSource::FrameSource(const CameraConfig &config, QObject *parent)
    : QObject(parent), m_config(config)
{
    m_clock.start();
    m_stallTimer.setSingleShot(true);
    m_stallTimer.setInterval(config.stallTimeout);
    connect(&m_stallTimer, &QTimer::timeout, this, [this] {
        setState(State::Stalled, QStringLiteral("no frame for %1 s").arg(m_config.stallTimeout.count()));
        close();
        scheduleReopen();
    });
    m_reopenTimer.setSingleShot(true);
    connect(&m_reopenTimer, &QTimer::timeout, this, [this] {
        if (!m_running)
            return;
        qCInfo(lcCamera) << "reopening" << description();
        m_stallTimer.start(); // a reopened source that never delivers counts as stalled again
        open();
    });
    connect(&m_sink, &QVideoSink::videoFrameChanged, this, &FrameSource::onVideoFrame);
}

FrameSource::~FrameSource() = default;

void FrameSource::start()
{
    m_running = true;
    m_failures = 0;
    setState(State::Starting, QStringLiteral("opening %1").arg(description()));
    m_stallTimer.start();
    open();
}

void FrameSource::stop()
{
    m_running = false;
    m_stallTimer.stop();
    m_reopenTimer.stop();
    close();
    setState(State::Offline, QStringLiteral("stopped"));
}

double FrameSource::measuredFps() const
{
    const qint64 now = m_clock.elapsed();
    qsizetype recent = 0;
    for (const qint64 t : m_recentFrames)
        recent += now - t <= kFpsWindowMs;
    return recent * 1000.0 / kFpsWindowMs;
}

void FrameSource::fail(const QString &reason)
{
    if (!m_running)
        return;
    m_stallTimer.stop();
    close();
    setState(State::Offline, reason);
    scheduleReopen();
}

void FrameSource::scheduleReopen()
{
    if (!m_running || m_reopenTimer.isActive())
        return;
    // 1 s, 2 s, 4 s ... 60 s, each +-20 % so that several appliances do not retry in step
    const auto base = std::min<std::chrono::milliseconds>(kFirstRetry * (1LL << std::min(m_failures, 6)), kMaxRetry);
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    m_retryDelay = std::chrono::milliseconds(qint64(base.count() * jitter));
    ++m_failures;
    qCInfo(lcCamera) << description() << "retry in" << m_retryDelay.count() << "ms (attempt" << m_failures << ")";
    m_reopenTimer.start(m_retryDelay);
}

void FrameSource::setState(State state, const QString &reason)
{
    if (state == m_state && reason == m_reason)
        return;
    const bool changed = state != m_state;
    m_state = state;
    m_reason = reason;
    if (changed) {
        qCInfo(lcCamera) << description() << "->" << state << reason;
        Q_EMIT stateChanged(state, reason);
    }
}

std::chrono::milliseconds FrameSource::streamTime(const QVideoFrame &frame)
{
    std::chrono::milliseconds t = frame.startTime() >= 0 ? std::chrono::milliseconds(frame.startTime() / 1000)
                                                         : std::chrono::milliseconds(m_clock.elapsed());
    t += m_timeOffset;
    if (t <= m_lastStreamTime) { // a loop or a reopened stream starts again at 0: continue from where we were
        const auto step = std::chrono::milliseconds(1000 / std::max(1, m_config.fps));
        m_timeOffset += m_lastStreamTime - t + step;
        t = m_lastStreamTime + step;
    }
    m_lastStreamTime = t;
    return t;
}

void FrameSource::onVideoFrame(const QVideoFrame &frame)
{
    if (!m_running || !frame.isValid())
        return;
    const auto timestamp = streamTime(frame);
    m_latest = SnapshotFrame(frame, timestamp);
    m_frameSize = frame.size();
    m_stallTimer.start();
    if (m_state != State::Streaming) {
        m_failures = 0;
        setState(State::Streaming, QStringLiteral("%1x%2").arg(m_frameSize.width()).arg(m_frameSize.height()));
    }
    // the analysis rate cap: frames in between are neither mapped nor copied
    const auto interval = std::chrono::milliseconds(1000 / std::max(1, m_config.analysisFps));
    if (timestamp - m_lastAnalysedTime < interval * 9 / 10)
        return;
    m_lastAnalysedTime = timestamp;
    deliver(frame, timestamp);
}

void FrameSource::deliver(const QVideoFrame &frame, std::chrono::milliseconds timestamp)
{
    QVideoFrame mapped = frame;
    cv::Mat luma;
    QImage decoded; // keeps the fallback's pixels alive during the emission
    const auto format = frame.pixelFormat();
    if (hasDirectLuma(format) && mapped.map(QVideoFrame::ReadOnly)) {
        luma = extractLuma(format, mapped.width(), mapped.height(), mapped.bits(0), mapped.bytesPerLine(0), m_scratch);
    } else {
        // JPEG and exotic formats: let Qt decode, then take the grey image
        decoded = frame.toImage().convertToFormat(QImage::Format_Grayscale8);
        if (!decoded.isNull())
            luma = cv::Mat(decoded.height(), decoded.width(), CV_8UC1, decoded.bits(), size_t(decoded.bytesPerLine()));
    }
    if (!luma.empty()) {
        m_recentFrames.push_back(m_clock.elapsed());
        while (m_recentFrames.size() > 1 && m_clock.elapsed() - m_recentFrames.front() > kFpsWindowMs)
            m_recentFrames.pop_front();
        Q_EMIT frameReady(LumaFrame{luma, timestamp, m_analysed++});
    } else if (!m_warnedFormat) {
        m_warnedFormat = true; // once, not for every frame
        qCWarning(lcCamera) << "cannot read luma from frames in format" << format << "from" << description();
    }
    if (mapped.isMapped())
        mapped.unmap();
}

} // namespace garage
