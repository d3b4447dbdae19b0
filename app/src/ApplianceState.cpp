#include "app/ApplianceState.h"

#include "Logging.h"
#include "app/Clock.h"
#include "app/JsonFile.h"

#include <QJsonObject>

namespace garage {

ApplianceState::ApplianceState(const AlertsConfig &config, const QString &storageDir, StorageWriter &writer,
                               const Clock &clock)
    : m_policy(config.armedAtStart, config.cooldown, config.personsOnly,
               MuteSchedule::parse(config.muteSchedule).value_or(MuteSchedule())),
      m_path(storageDir + QStringLiteral("/state.json")),
      m_writer(writer),
      m_clock(clock)
{
}

Moment ApplianceState::now() const
{
    return {m_clock.wallNow(), m_clock.steadyNow()};
}

void ApplianceState::load()
{
    const auto doc = readJsonFile(m_path);
    if (!doc)
        return;
    const QJsonObject o = doc->object();
    if (o.contains(QStringLiteral("armed")))
        m_policy.setArmed(o.value(QStringLiteral("armed")).toBool());
    const QDateTime muted = QDateTime::fromString(o.value(QStringLiteral("muted_until")).toString(), Qt::ISODate);
    if (muted.isValid())
        m_policy.muteUntil(muted);
    m_temperatureZone = o.value(QStringLiteral("temperature_zone")).toString();
}

QFuture<ApplianceState::Saved> ApplianceState::setTemperatureZone(const QString &zone)
{
    m_temperatureZone = zone;
    return save();
}

QFuture<ApplianceState::Saved> ApplianceState::setArmed(bool armed)
{
    m_policy.setArmed(armed);
    return save();
}

QFuture<ApplianceState::Saved> ApplianceState::muteUntil(const QDateTime &end)
{
    m_policy.muteUntil(end);
    return save();
}

QFuture<ApplianceState::Saved> ApplianceState::muteFor(std::chrono::seconds duration)
{
    m_policy.muteFor(duration, now());
    return save();
}

QFuture<ApplianceState::Saved> ApplianceState::unmute()
{
    m_policy.unmute();
    return save();
}

QFuture<ApplianceState::Saved> ApplianceState::save()
{
    QJsonObject o{{QStringLiteral("armed"), m_policy.isArmed()},
                  {QStringLiteral("muted_until"), m_policy.mutedUntil(now()).toString(Qt::ISODate)}};
    if (!m_temperatureZone.isEmpty())
        o.insert(QStringLiteral("temperature_zone"), m_temperatureZone);
    return m_writer.writeFile(m_path, QJsonDocument(o).toJson());
}

} // namespace garage
