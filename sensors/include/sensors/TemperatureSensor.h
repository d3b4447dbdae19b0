// A temperature sensor polled every poll_seconds. Each read runs on a worker thread (sysfs reads can take ~750 ms on
// a DS18B20, a DHT needs exact timing), so a slow sensor never stalls the event loop; results arrive as signals.
#pragma once

#include "sensors/SensorsConfig.h"
#include "sensors/TemperatureReading.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <expected>
#include <memory>

namespace garage {

class TemperatureSensor : public QObject
{
    Q_OBJECT
public:
    explicit TemperatureSensor(std::chrono::milliseconds pollInterval, QObject *parent = nullptr);
    ~TemperatureSensor() override;

    void start();
    void stop();
    virtual QString description() const = 0;
    TemperatureReading latest() const { return m_latest; }
    // For the watchdog: empty while polling works or is actively retrying; otherwise what is stuck.
    QString supervisionProblem(std::chrono::steady_clock::time_point now) const;

    // One blocking read; called on a worker thread, must be thread-safe.
    virtual TemperatureReading readOnce() const = 0;

Q_SIGNALS:
    void readingReady(const garage::TemperatureReading &reading);

private:
    void poll();

    QTimer m_timer;
    QThreadPool m_worker;
    bool m_busy = false;
    TemperatureReading m_latest;
};

// From config.source: ds18b20[:<id>], dht22:<chip>:<line>, dht11:<chip>:<line>, iio:<path>. A device that does not
// exist is an error naming what does.
std::expected<std::unique_ptr<TemperatureSensor>, QString> createTemperatureSensor(const TemperatureConfig &config,
                                                                                   QObject *parent = nullptr);

} // namespace garage
