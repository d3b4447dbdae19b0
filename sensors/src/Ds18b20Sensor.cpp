#include "Ds18b20Sensor.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace garage {
namespace {

constexpr int kPowerOnMilliCelsius = 85000; // what a DS18B20 reports before its first conversion
constexpr double kMin = -55.0, kMax = 125.0; // the sensor's range

TemperatureReading checked(qint64 milli)
{
    if (milli == kPowerOnMilliCelsius)
        return TemperatureReading::error(QStringLiteral("85 °C power-on value rejected (probe reset or power problem)"));
    const double celsius = milli / 1000.0;
    if (celsius < kMin || celsius > kMax)
        return TemperatureReading::error(QStringLiteral("%1 °C is outside the sensor's range").arg(celsius));
    return TemperatureReading::ok(celsius);
}

} // namespace

Ds18b20Sensor::Ds18b20Sensor(const QString &deviceDir, std::chrono::milliseconds pollInterval, QObject *parent)
    : TemperatureSensor(pollInterval, parent), m_dir(deviceDir)
{
}

QString Ds18b20Sensor::description() const
{
    return QStringLiteral("DS18B20 %1").arg(QFileInfo(m_dir).fileName());
}

QStringList Ds18b20Sensor::probes(const QString &w1Dir)
{
    return QDir(w1Dir).entryList({QStringLiteral("28-*")}, QDir::Dirs | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

TemperatureReading Ds18b20Sensor::parseW1Slave(const QByteArray &text)
{
    const QList<QByteArray> lines = text.trimmed().split('\n');
    if (lines.size() < 2)
        return TemperatureReading::error(QStringLiteral("malformed w1_slave (%1 lines)").arg(lines.size()));
    if (!lines[0].trimmed().endsWith("YES"))
        return TemperatureReading::error(QStringLiteral("CRC check failed"));
    const qsizetype at = lines[1].indexOf("t=");
    if (at < 0)
        return TemperatureReading::error(QStringLiteral("malformed w1_slave (no t=)"));
    bool ok = false;
    const qint64 milli = lines[1].mid(at + 2).trimmed().toLongLong(&ok);
    if (!ok)
        return TemperatureReading::error(QStringLiteral("malformed w1_slave (t= is not a number)"));
    return checked(milli);
}

TemperatureReading Ds18b20Sensor::readOnce() const
{
    QFile slave(m_dir + QStringLiteral("/w1_slave"));
    if (slave.open(QIODevice::ReadOnly))
        return parseW1Slave(slave.read(4096));
    QFile plain(m_dir + QStringLiteral("/temperature")); // newer kernels
    if (plain.open(QIODevice::ReadOnly)) {
        bool ok = false;
        const qint64 milli = plain.read(64).trimmed().toLongLong(&ok);
        return ok ? checked(milli) : TemperatureReading::error(QStringLiteral("malformed temperature file"));
    }
    return TemperatureReading::error(QStringLiteral("cannot read %1 (probe unplugged?)").arg(m_dir));
}

} // namespace garage
