// The GPIO-timed DHT11/DHT22 and the kernel IIO (dht11 driver) temperature sources.
#pragma once

#include "GpioLine.h"
#include "sensors/TemperatureSensor.h"

#include <mutex>

namespace garage {

class DhtSensor : public TemperatureSensor
{
    Q_OBJECT
public:
    DhtSensor(std::unique_ptr<GpioLine> line, DhtModel model, const QString &name, std::chrono::milliseconds pollInterval,
              QObject *parent = nullptr);
    QString description() const override { return m_name; }
    TemperatureReading readOnce() const override;

private:
    std::unique_ptr<GpioLine> m_line;
    DhtModel m_model;
    QString m_name;
    mutable std::mutex m_mutex; // one transaction at a time
};

class IioSensor : public TemperatureSensor
{
    Q_OBJECT
public:
    IioSensor(const QString &path, std::chrono::milliseconds pollInterval, QObject *parent = nullptr);
    QString description() const override { return QStringLiteral("IIO %1").arg(m_path); }
    TemperatureReading readOnce() const override;

private:
    QString m_path;
};

} // namespace garage
