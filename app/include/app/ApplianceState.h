// What the owner set by chat and what must survive a restart: armed/disarmed and a mute, with the alert policy that
// applies them. Saved to state.json on the storage writer; every change says whether it was saved, so `arm` can tell
// the owner when it will not survive a restart.
// The state file stores a mute as its wall-clock end ("muted_until"): the steady clock restarts with the process, so a
// wall time is the only end a restart can honour. While running, "mute 1h" is held on the steady clock.
#pragma once

#include "app/AlertPolicy.h"
#include "app/AppConfig.h"
#include "app/StorageWriter.h"

#include <QFuture>
#include <QString>

namespace garage {

class Clock;

class ApplianceState
{
public:
    using Saved = StorageWriter::Result;

    ApplianceState(const AlertsConfig &config, const QString &storageDir, StorageWriter &writer, const Clock &clock);

    // Reads state.json (missing or unreadable: the configured defaults).
    void load();

    QFuture<Saved> setArmed(bool armed);
    QFuture<Saved> muteUntil(const QDateTime &end);     // a wall time: "mute until 07:00"
    QFuture<Saved> muteFor(std::chrono::seconds duration); // real time: "mute 1h"
    QFuture<Saved> unmute();
    // The temperature zone the owner was last told of ("cold" after a frost warning); empty: none known.
    QString temperatureZone() const { return m_temperatureZone; }
    QFuture<Saved> setTemperatureZone(const QString &zone);

    AlertPolicy &policy() { return m_policy; }
    const AlertPolicy &policy() const { return m_policy; }
    Moment now() const;
    QString path() const { return m_path; }

private:
    QFuture<Saved> save();

    AlertPolicy m_policy;
    QString m_temperatureZone;
    QString m_path;
    StorageWriter &m_writer;
    const Clock &m_clock;
};

} // namespace garage
