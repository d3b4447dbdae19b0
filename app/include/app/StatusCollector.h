// The facts of the `status` reply and the presence line, gathered from the appliance's parts: what each module says
// now (camera state, door state, the link) and what the appliance remembers (a device that could not be created, the
// last good temperature, whether the door was seen to change since its state became known). State in, StatusInfo out;
// no I/O, no timers.
#pragma once

#include "app/Clock.h"
#include "app/StatusText.h"

#include <QDateTime>
#include <QString>
#include <optional>

#include "sensors/TemperatureReading.h"

namespace garage {

class AlertPolicy;
class DoorContact;
class FrameSource;
class XmppLink;

class StatusCollector
{
public:
    // The appliance's parts as they are now (null: not configured, or could not be created).
    struct Parts {
        QString name; // the keyword
        const AlertPolicy *policy = nullptr;
        const FrameSource *camera = nullptr;
        bool temperatureSensor = false;
        const DoorContact *door = nullptr;
        const XmppLink *link = nullptr;
        QDateTime lastMotion;
        QString storageProblem;
        QString version;
    };

    void started(const QDateTime &at) { m_startedAt = at; }
    // A device that could not be created: status says why for as long as the appliance runs.
    void cameraUnavailable(const QString &error) { m_cameraError = error; }
    void sensorUnavailable(const QString &error) { m_sensorError = error; }
    void doorUnavailable(const QString &error) { m_doorError = error; }
    void reading(const TemperatureReading &reading);
    // The door was seen to open or close: its "since" is that change.
    void doorChanged() { m_doorChangeSeen = true; }
    // The contact failed: when it is back, its state is known again but not since when it has been so.
    void doorLost() { m_doorChangeSeen = false; }

    StatusInfo collect(const Parts &parts, const Moment &now) const;

private:
    QDateTime m_startedAt;
    QString m_cameraError;
    QString m_sensorError;
    QString m_doorError;
    bool m_doorChangeSeen = false;
    TemperatureReading m_lastReading;
    std::optional<double> m_lastGoodCelsius;
    QDateTime m_lastGoodTime;
};

} // namespace garage
