#include "OtherSensors.h"

#include "Ds18b20Reader.h"
#include "sensors/TemperatureSensor.h"

#include <QFile>

#include <mutex>
#include <optional>
#include <thread>

using namespace std::chrono_literals;

namespace garage {

struct DhtReader::Bus {
    explicit Bus(const GpioLineSpec &spec) : line(spec) {}
    std::mutex mutex;
    GpioLine line;
    std::optional<std::chrono::steady_clock::time_point> last; // the previous transaction
};

DhtReader::DhtReader(const GpioLineSpec &spec, DhtModel model) : m_bus(std::make_shared<Bus>(spec)), m_model(model) {}

TemperatureReading DhtReader::operator()() const
{
    const std::lock_guard lock(m_bus->mutex);
    QString lastError;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        if (m_bus->last)
            std::this_thread::sleep_until(*m_bus->last + kMinInterval); // on the read thread
        m_bus->last = std::chrono::steady_clock::now();
        const auto edges = m_bus->line.dhtTransaction(m_model == DhtModel::Dht22 ? 1100us : 20000us);
        if (!edges)
            return TemperatureReading::error(edges.error());
        const auto data = decodeDht(*edges, m_model);
        if (data)
            return TemperatureReading::ok(data->celsius);
        lastError = data.error();
    }
    return TemperatureReading::error(QStringLiteral("%1 after %2 attempts").arg(lastError).arg(kAttempts));
}

TemperatureReading IioReader::operator()() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return TemperatureReading::error(QStringLiteral("cannot read %1 (is the dht11 overlay loaded?)").arg(m_path));
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
        const Ds18b20Reader reader(config.w1Dir, spec->deviceId);
        return std::make_unique<TemperatureSensor>(reader, reader.description(), interval, config.readTimeout, parent);
    }
    case TemperatureSourceSpec::Kind::Dht22:
    case TemperatureSourceSpec::Kind::Dht11: {
        const bool dht22 = spec->kind == TemperatureSourceSpec::Kind::Dht22;
        const QString name = QStringLiteral("%1 on %2:%3")
                                 .arg(dht22 ? QStringLiteral("DHT22") : QStringLiteral("DHT11"), spec->gpio.chip)
                                 .arg(spec->gpio.line);
        // a DHT read is up to kAttempts transactions kMinInterval apart: a shorter deadline would abandon good reads
        const auto timeout = std::max(config.readTimeout, DhtReader::kAttempts * DhtReader::kMinInterval + 1000ms);
        return std::make_unique<TemperatureSensor>(DhtReader(spec->gpio, dht22 ? DhtModel::Dht22 : DhtModel::Dht11),
                                                   name, std::max(interval, DhtReader::kMinInterval), timeout, parent);
    }
    case TemperatureSourceSpec::Kind::Iio:
        return std::make_unique<TemperatureSensor>(IioReader(spec->path), QStringLiteral("IIO %1").arg(spec->path),
                                                   interval, config.readTimeout, parent);
    }
    return std::unexpected(QStringLiteral("unsupported sensor"));
}

} // namespace garage
