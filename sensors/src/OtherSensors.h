// The GPIO-timed DHT11/DHT22 and the kernel IIO (dht11 driver) temperature sources, as copyable read functions with
// shared state only (a read can outlive its sensor). A chip or file that is missing is an error reading, retried.
#pragma once

#include "GpioLine.h"
#include "sensors/TemperatureReading.h"

#include <memory>

namespace garage {

class DhtReader
{
public:
    static constexpr int kAttempts = 3;
    static constexpr std::chrono::milliseconds kMinInterval{2100}; // the sensor needs 2 s between transactions

    DhtReader(const GpioLineSpec &spec, DhtModel model);
    TemperatureReading operator()() const;

private:
    struct Bus;
    std::shared_ptr<Bus> m_bus; // one transaction at a time, spaced kMinInterval apart
    DhtModel m_model;
};

class IioReader
{
public:
    explicit IioReader(QString path) : m_path(std::move(path)) {}
    TemperatureReading operator()() const;

private:
    QString m_path;
};

} // namespace garage
