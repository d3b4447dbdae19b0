#include "Ds18b20Reader.h"

#include "Logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <mutex>

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

// "00 00 00 00 00 00 00 00 00 : crc=00 YES": nine zero bytes have a zero CRC, so the kernel's check passes, and
// t=0 would read as 0.000 °C. A real scratchpad never is all zero (its configuration byte has fixed one bits).
bool isAllZeroScratchpad(const QByteArray &crcLine)
{
    const qsizetype colon = crcLine.indexOf(':');
    const QList<QByteArray> bytes = crcLine.first(colon < 0 ? 0 : colon).simplified().split(' ');
    if (bytes.size() != 9)
        return false;
    for (const QByteArray &byte : bytes) {
        bool ok = false;
        if (byte.toUInt(&ok, 16) != 0 || !ok)
            return false;
    }
    return true;
}

} // namespace

struct Ds18b20Reader::Choice {
    std::mutex mutex;
    QString id;
};

Ds18b20Reader::Ds18b20Reader(QString w1Dir, QString deviceId)
    : m_w1Dir(std::move(w1Dir)), m_id(std::move(deviceId)), m_choice(std::make_shared<Choice>())
{
}

QString Ds18b20Reader::description() const
{
    return m_id.isEmpty() ? QStringLiteral("DS18B20 (the only probe in %1)").arg(m_w1Dir) : QStringLiteral("DS18B20 %1").arg(m_id);
}

QStringList Ds18b20Reader::probes(const QString &w1Dir)
{
    return QDir(w1Dir).entryList({QStringLiteral("28-*")}, QDir::Dirs | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

QString Ds18b20Reader::probeDir(const QString &id) const
{
    return m_w1Dir + QLatin1Char('/') + id;
}

TemperatureReading Ds18b20Reader::parseW1Slave(const QByteArray &text)
{
    const QList<QByteArray> lines = text.trimmed().split('\n');
    if (lines.size() < 2)
        return TemperatureReading::error(QStringLiteral("malformed w1_slave (%1 lines)").arg(lines.size()));
    if (!lines[0].trimmed().endsWith("YES"))
        return TemperatureReading::error(QStringLiteral("CRC check failed"));
    if (isAllZeroScratchpad(lines[0]))
        return TemperatureReading::error(QStringLiteral("all-zero scratchpad: the 1-Wire data line is shorted to "
                                                        "ground or held low (not 0 °C)"));
    const qsizetype at = lines[1].indexOf("t=");
    if (at < 0)
        return TemperatureReading::error(QStringLiteral("malformed w1_slave (no t=)"));
    bool ok = false;
    const qint64 milli = lines[1].mid(at + 2).trimmed().toLongLong(&ok);
    if (!ok)
        return TemperatureReading::error(QStringLiteral("malformed w1_slave (t= is not a number)"));
    return checked(milli);
}

TemperatureReading Ds18b20Reader::operator()() const
{
    if (!m_id.isEmpty()) {
        if (QFileInfo::exists(probeDir(m_id)))
            return readProbe(probeDir(m_id));
        const QStringList found = probes(m_w1Dir);
        return TemperatureReading::error(
            QStringLiteral("no DS18B20 %1 in %2 (%3)")
                .arg(m_id, m_w1Dir,
                     found.isEmpty() ? QStringLiteral("none found; is the w1-gpio overlay enabled?")
                                     : QStringLiteral("found: %1").arg(found.join(QLatin1String(", ")))));
    }
    QString id;
    {
        const std::lock_guard lock(m_choice->mutex);
        id = m_choice->id;
    }
    if (!id.isEmpty()) {
        if (QFileInfo::exists(probeDir(id)))
            return readProbe(probeDir(id)); // not under the lock: a read may hang
        qCWarning(lcSensors) << "DS18B20" << id << "is gone from" << m_w1Dir;
        const std::lock_guard lock(m_choice->mutex);
        if (m_choice->id == id)
            m_choice->id.clear(); // the next read takes whichever single probe is there (a replaced probe)
        return TemperatureReading::error(QStringLiteral("cannot read %1 (probe unplugged?)").arg(probeDir(id)));
    }
    const QStringList found = probes(m_w1Dir);
    if (found.isEmpty())
        return TemperatureReading::error(QStringLiteral("no DS18B20 in %1 (is the w1-gpio overlay enabled?)").arg(m_w1Dir));
    if (found.size() > 1)
        return TemperatureReading::error(QStringLiteral("several DS18B20 in %1 (%2): name one with ds18b20:<id>")
                                             .arg(m_w1Dir, found.join(QLatin1String(", "))));
    {
        const std::lock_guard lock(m_choice->mutex);
        m_choice->id = found.first();
    }
    qCInfo(lcSensors) << "using DS18B20" << found.first() << "in" << m_w1Dir;
    return readProbe(probeDir(found.first()));
}

TemperatureReading Ds18b20Reader::readProbe(const QString &dir) const
{
    QFile slave(dir + QStringLiteral("/w1_slave"));
    if (slave.open(QIODevice::ReadOnly))
        return parseW1Slave(slave.read(4096));
    QFile plain(dir + QStringLiteral("/temperature")); // newer kernels
    if (plain.open(QIODevice::ReadOnly)) {
        bool ok = false;
        const qint64 milli = plain.read(64).trimmed().toLongLong(&ok);
        return ok ? checked(milli) : TemperatureReading::error(QStringLiteral("malformed temperature file"));
    }
    return TemperatureReading::error(QStringLiteral("cannot read %1 (probe unplugged?)").arg(dir));
}

} // namespace garage
