#include "sensors/TemperatureSensor.h"

#include "Logging.h"

#include <mutex>
#include <system_error>
#include <thread>

using namespace std::chrono_literals;

namespace garage {
namespace {

constexpr auto kSupervisionSlack = 5s; // beyond poll interval + deadline before the watchdog calls it stuck

QString secondsText(std::chrono::milliseconds d)
{
    return QString::number(double(d.count()) / 1000.0, 'g', 4) + QStringLiteral(" s");
}

TemperatureReading guardedRead(const TemperatureSensor::ReadFunction &read)
{
    try {
        return read();
    } catch (const std::exception &e) {
        return TemperatureReading::error(QStringLiteral("read failed: %1").arg(QString::fromLocal8Bit(e.what())));
    } catch (...) {
        return TemperatureReading::error(QStringLiteral("read failed (unknown exception)"));
    }
}

} // namespace

// What the sensor shares with its read threads. The owner pointer is cleared (under the mutex) before the sensor is
// destroyed, and a thread posts its result only under the same mutex: a late read never touches a dead sensor.
struct TemperatureSensor::Channel {
    std::mutex mutex;
    TemperatureSensor *owner = nullptr;
    int running = 0; // read threads not finished yet
};

TemperatureSensor::TemperatureSensor(ReadFunction read, QString description, std::chrono::milliseconds pollInterval,
                                     std::chrono::milliseconds readTimeout, QObject *parent)
    : QObject(parent), m_read(std::move(read)), m_description(std::move(description)), m_pollInterval(pollInterval),
      m_readTimeout(readTimeout), m_channel(std::make_shared<Channel>())
{
    m_channel->owner = this;
    m_nextPoll.setSingleShot(true);
    connect(&m_nextPoll, &QTimer::timeout, this, &TemperatureSensor::poll);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &TemperatureSensor::deadlinePassed);
}

TemperatureSensor::~TemperatureSensor()
{
    const std::lock_guard lock(m_channel->mutex);
    m_channel->owner = nullptr; // results posted before this are removed with the object's posted events
}

TemperatureReading TemperatureSensor::readOnce() const
{
    return guardedRead(m_read);
}

std::weak_ptr<const void> TemperatureSensor::readThreads() const
{
    return m_channel;
}

void TemperatureSensor::start()
{
    if (m_running)
        return;
    m_running = true;
    m_backoff.reset();
    m_lastResult = std::chrono::steady_clock::now();
    m_nextPoll.start(0);
}

void TemperatureSensor::stop()
{
    m_running = false;
    m_nextPoll.stop();
    m_deadline.stop();
    m_reading = false;
    ++m_readId; // the result of a read in flight is dropped
}

void TemperatureSensor::poll()
{
    if (!m_running || m_reading)
        return;
    int running = 0;
    {
        const std::lock_guard lock(m_channel->mutex);
        running = m_channel->running;
        if (running < kMaxReadThreads)
            ++m_channel->running;
    }
    if (running >= kMaxReadThreads) {
        finish(TemperatureReading::error(QStringLiteral("%1 earlier reads are still hung (read timed out after %2)")
                                             .arg(running)
                                             .arg(secondsText(m_readTimeout))));
        return;
    }
    const quint64 id = ++m_readId;
    try {
        std::thread(&TemperatureSensor::runRead, m_read, m_channel, id).detach();
    } catch (const std::system_error &e) {
        {
            const std::lock_guard lock(m_channel->mutex);
            --m_channel->running;
        }
        finish(TemperatureReading::error(QStringLiteral("cannot start a read thread: %1").arg(QString::fromLocal8Bit(e.what()))));
        return;
    }
    m_reading = true;
    m_deadline.start(m_readTimeout);
}

void TemperatureSensor::runRead(ReadFunction read, std::shared_ptr<Channel> channel, quint64 id)
{
    const TemperatureReading reading = guardedRead(read);
    const std::lock_guard lock(channel->mutex);
    --channel->running;
    if (TemperatureSensor *owner = channel->owner) {
        QMetaObject::invokeMethod(owner, [owner, id, reading] { owner->readFinished(id, reading); },
                                  Qt::QueuedConnection);
    }
}

void TemperatureSensor::readFinished(quint64 id, const TemperatureReading &reading)
{
    if (!m_reading || id != m_readId) {
        qCInfo(lcSensors).noquote() << m_description << "a read no longer waited for (deadline passed or stopped) ended:"
                          << (reading.quality == TemperatureReading::Quality::Ok ? QStringLiteral("ok") : reading.reason);
        return;
    }
    m_deadline.stop();
    m_reading = false;
    finish(reading);
}

void TemperatureSensor::deadlinePassed()
{
    if (!m_reading)
        return;
    m_reading = false; // abandoned: its thread ends on its own, its result is dropped
    qCWarning(lcSensors).noquote() << m_description << "read timed out after" << secondsText(m_readTimeout)
                                    << "- abandoned";
    finish(TemperatureReading::error(QStringLiteral("read timed out after %1").arg(secondsText(m_readTimeout))));
}

void TemperatureSensor::finish(const TemperatureReading &reading)
{
    m_reading = false;
    m_latest = reading;
    m_lastResult = std::chrono::steady_clock::now();
    if (m_running) {
        if (reading.quality == TemperatureReading::Quality::Ok) {
            m_backoff.reset();
            m_nextPoll.start(m_pollInterval);
        } else {
            m_nextPoll.start(std::min(m_backoff.next(), m_pollInterval));
        }
    }
    Q_EMIT readingReady(reading); // last: a slot may stop or delete this sensor
}

QString TemperatureSensor::supervisionProblem(std::chrono::steady_clock::time_point now) const
{
    if (!m_running)
        return {};
    const bool active = m_reading || m_nextPoll.isActive();
    const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_lastResult);
    if (active && age <= m_pollInterval + m_readTimeout + kSupervisionSlack)
        return {};
    if (!active)
        return QStringLiteral("%1: not polling (no read running, none scheduled)").arg(m_description);
    return QStringLiteral("%1: no reading for %2 (polling every %3, reads time out after %4)")
        .arg(m_description, secondsText(age), secondsText(m_pollInterval), secondsText(m_readTimeout));
}

} // namespace garage
