// A temperature sensor polled every poll_seconds. Each read runs on a thread of its own under a deadline (a DS18B20
// takes ~750 ms, a DHT needs exact timing, a stuck 1-Wire bus can block forever), so a slow or hung sensor never
// stalls the event loop or the next poll; results arrive as signals. A failed read (a missing probe, a timeout) is
// retried with backoff, at most a poll interval apart, so a device that appears late is read as soon as it is there.
#pragma once

#include "camera/ReconnectBackoff.h"
#include "sensors/SensorsConfig.h"
#include "sensors/TemperatureReading.h"

#include <QObject>
#include <QTimer>
#include <chrono>
#include <expected>
#include <functional>
#include <memory>

namespace garage {

class TemperatureSensor : public QObject
{
    Q_OBJECT
public:
    // One blocking read. It runs on its own thread and may outlive the sensor (a hung read is abandoned), so it holds
    // what it uses by value or shared ownership, and two calls may overlap (one abandoned, one current).
    using ReadFunction = std::function<TemperatureReading()>;
    // Threads a sensor may have at once: the current read and one abandoned after its deadline. Beyond that a poll
    // reports the hang without starting another thread, so hung reads never pile up.
    static constexpr int kMaxReadThreads = 2;

    TemperatureSensor(ReadFunction read, QString description, std::chrono::milliseconds pollInterval,
                      std::chrono::milliseconds readTimeout, QObject *parent = nullptr);
    // Does not wait for a read in flight: the read keeps only its own copies, and its result is dropped.
    ~TemperatureSensor() override;

    void start();
    void stop();
    QString description() const { return m_description; }
    TemperatureReading latest() const { return m_latest; }
    // For the watchdog: empty while polling works or is actively retrying; otherwise what is stuck.
    QString supervisionProblem(std::chrono::steady_clock::time_point now) const;

    // One read on the calling thread, without a deadline (tests, checks).
    TemperatureReading readOnce() const;
    // Expires once the sensor is destroyed and none of its read threads runs any more, abandoned ones included.
    std::weak_ptr<const void> readThreads() const;

Q_SIGNALS:
    void readingReady(const garage::TemperatureReading &reading);

private:
    struct Channel;
    static void runRead(ReadFunction read, std::shared_ptr<Channel> channel, quint64 id);
    void poll();
    void readFinished(quint64 id, const TemperatureReading &reading);
    void deadlinePassed();
    void finish(const TemperatureReading &reading);

    ReadFunction m_read;
    QString m_description;
    std::chrono::milliseconds m_pollInterval;
    std::chrono::milliseconds m_readTimeout;
    std::shared_ptr<Channel> m_channel;
    QTimer m_nextPoll;
    QTimer m_deadline;
    ReconnectBackoff m_backoff;
    bool m_running = false;
    bool m_reading = false; // a read is current (started, neither finished nor abandoned)
    quint64 m_readId = 0;
    std::chrono::steady_clock::time_point m_lastResult{}; // the last reading, error or not (or the start)
    TemperatureReading m_latest;
};

// From config.source: ds18b20[:<id>], dht22:<chip>:<line>, dht11:<chip>:<line>, iio:<path>. Fails only on a
// malformed source: a device that is missing gives a sensor whose readings say so until it is there.
std::expected<std::unique_ptr<TemperatureSensor>, QString> createTemperatureSensor(const TemperatureConfig &config,
                                                                                   QObject *parent = nullptr);

} // namespace garage
