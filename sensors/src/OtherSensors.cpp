#include "OtherSensors.h"

#include "Ds18b20Sensor.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <thread>

using namespace std::chrono_literals;

namespace garage {
namespace {

constexpr int kDhtAttempts = 3;
constexpr auto kDhtMinInterval = 2100ms; // the sensor needs 2 s between transactions

} // namespace

DhtSensor::DhtSensor(std::unique_ptr<GpioLine> line, DhtModel model, const QString &name,
                     std::chrono::milliseconds pollInterval, QObject *parent)
    : TemperatureSensor(pollInterval, parent), m_line(std::move(line)), m_model(model), m_name(name)
{
}

TemperatureReading DhtSensor::readOnce() const
{
    const std::lock_guard lock(m_mutex);
    QString lastError;
    for (int attempt = 0; attempt < kDhtAttempts; ++attempt) {
        if (attempt > 0)
            std::this_thread::sleep_for(kDhtMinInterval);
        const auto edges = m_line->dhtTransaction(m_model == DhtModel::Dht22 ? 1100us : 20000us);
        if (!edges)
            return TemperatureReading::error(edges.error());
        const auto data = decodeDht(*edges, m_model);
        if (data)
            return TemperatureReading::ok(data->celsius);
        lastError = data.error();
    }
    return TemperatureReading::error(QStringLiteral("%1 after %2 attempts").arg(lastError).arg(kDhtAttempts));
}

IioSensor::IioSensor(const QString &path, std::chrono::milliseconds pollInterval, QObject *parent)
    : TemperatureSensor(pollInterval, parent), m_path(path)
{
}

TemperatureReading IioSensor::readOnce() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return TemperatureReading::error(QStringLiteral("cannot read %1").arg(m_path));
    bool ok = false;
    const qint64 milli = file.read(64).trimmed().toLongLong(&ok); // the dht11 driver's EIO shows up as a read error
    if (!ok)
        return TemperatureReading::error(QStringLiteral("no value in %1 (sensor timeout?)").arg(m_path));
    return TemperatureReading::ok(milli / 1000.0);
}

std::expected<std::unique_ptr<TemperatureSensor>, QString> createTemperatureSensor(const TemperatureConfig &config,
                                                                                   QObject *parent)
{
    const auto spec = parseTemperatureSource(config.source);
    if (!spec)
        return std::unexpected(spec.error());
    const auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(config.pollInterval);
    switch (spec->kind) {
    case TemperatureSourceSpec::Kind::None:
        return std::unexpected(QStringLiteral("no temperature sensor configured"));
    case TemperatureSourceSpec::Kind::Ds18b20: {
        const QStringList probes = Ds18b20Sensor::probes(config.w1Dir);
        const QString found = probes.isEmpty() ? QStringLiteral("none found in %1 (is the w1-gpio overlay enabled?)").arg(config.w1Dir)
                                               : QStringLiteral("found: %1").arg(probes.join(QLatin1String(", ")));
        QString id = spec->deviceId;
        if (id.isEmpty()) {
            if (probes.size() != 1)
                return std::unexpected(probes.isEmpty() ? QStringLiteral("no DS18B20: %1").arg(found)
                                                        : QStringLiteral("several DS18B20, name one with ds18b20:<id>; %1").arg(found));
            id = probes.first();
        } else if (!probes.contains(id)) {
            return std::unexpected(QStringLiteral("no DS18B20 %1; %2").arg(id, found));
        }
        return std::make_unique<Ds18b20Sensor>(config.w1Dir + QLatin1Char('/') + id, interval, parent);
    }
    case TemperatureSourceSpec::Kind::Dht22:
    case TemperatureSourceSpec::Kind::Dht11: {
        auto line = GpioLine::open(spec->gpio);
        if (!line)
            return std::unexpected(line.error());
        const bool dht22 = spec->kind == TemperatureSourceSpec::Kind::Dht22;
        return std::make_unique<DhtSensor>(std::move(*line), dht22 ? DhtModel::Dht22 : DhtModel::Dht11,
                                           QStringLiteral("%1 on %2:%3").arg(dht22 ? QStringLiteral("DHT22") : QStringLiteral("DHT11"),
                                                                             spec->gpio.chip).arg(spec->gpio.line),
                                           std::max(interval, std::chrono::milliseconds(kDhtMinInterval)), parent);
    }
    case TemperatureSourceSpec::Kind::Iio:
        if (!QFileInfo(spec->path).isReadable())
            return std::unexpected(QStringLiteral("cannot read %1 (is the dht11 overlay loaded?)").arg(spec->path));
        return std::make_unique<IioSensor>(spec->path, interval, parent);
    }
    return std::unexpected(QStringLiteral("unsupported sensor"));
}

} // namespace garage
