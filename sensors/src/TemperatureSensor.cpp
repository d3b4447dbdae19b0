#include "sensors/TemperatureSensor.h"

#include "Logging.h"

#include <QThreadPool>

namespace garage {

TemperatureSensor::TemperatureSensor(std::chrono::milliseconds pollInterval, QObject *parent)
    : QObject(parent)
{
    m_worker.setMaxThreadCount(1);
    m_timer.setInterval(pollInterval);
    connect(&m_timer, &QTimer::timeout, this, &TemperatureSensor::poll);
}

TemperatureSensor::~TemperatureSensor()
{
    m_worker.waitForDone(); // a read in flight uses this object
}

QString TemperatureSensor::supervisionProblem(std::chrono::steady_clock::time_point) const
{
    return {};
}

void TemperatureSensor::start()
{
    m_timer.start();
    QTimer::singleShot(0, this, &TemperatureSensor::poll);
}

void TemperatureSensor::stop()
{
    m_timer.stop();
}

void TemperatureSensor::poll()
{
    if (m_busy)
        return; // the previous read is still running: skip rather than pile up
    m_busy = true;
    m_worker.start([this] {
        const TemperatureReading reading = readOnce();
        // queued to the owner's thread; dropped if the sensor is gone by then
        QMetaObject::invokeMethod(
            this,
            [this, reading] {
                m_busy = false;
                m_latest = reading;
                Q_EMIT readingReady(reading);
            },
            Qt::QueuedConnection);
    });
}

} // namespace garage
