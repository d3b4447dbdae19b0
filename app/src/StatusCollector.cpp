#include "app/StatusCollector.h"

#include "app/AlertPolicy.h"

#include "camera/FrameSource.h"
#include "sensors/DoorContact.h"
#include "xmpp/XmppLink.h"

namespace garage {
namespace {

QString cameraStateName(FrameSource::State state)
{
    static const char *const names[] = {"starting", "streaming", "stalled", "offline"};
    return QString::fromLatin1(names[int(state)]);
}

} // namespace

void StatusCollector::reading(const TemperatureReading &reading)
{
    m_lastReading = reading;
    if (reading.quality == TemperatureReading::Quality::Ok) {
        m_lastGoodCelsius = reading.celsius;
        m_lastGoodTime = reading.time;
    }
}

StatusInfo StatusCollector::collect(const Parts &parts, const Moment &now) const
{
    StatusInfo info;
    info.name = parts.name;
    if (parts.policy) {
        info.armed = parts.policy->isArmed();
        info.mutedUntil = parts.policy->mutedUntil(now);
        if (parts.policy->scheduleMutes(now.wall))
            info.scheduleMute = parts.policy->schedule().toString();
    }
    if (const FrameSource *camera = parts.camera) {
        info.cameraState = cameraStateName(camera->state());
        if (camera->state() != FrameSource::State::Streaming && !camera->stateReason().isEmpty())
            info.cameraState += QStringLiteral(" (%1)").arg(camera->stateReason());
        info.cameraFps = camera->measuredFps();
    } else {
        info.cameraState = QStringLiteral("unavailable (%1)").arg(m_cameraError);
    }
    info.lastMotion = parts.lastMotion;

    info.hasTemperatureSensor = parts.temperatureSensor || !m_sensorError.isEmpty();
    info.celsius = m_lastGoodCelsius;
    info.temperatureTime = m_lastGoodTime;
    if (!m_sensorError.isEmpty())
        info.temperatureProblem = m_sensorError;
    else if (parts.temperatureSensor && m_lastReading.time.isValid()
             && m_lastReading.quality != TemperatureReading::Quality::Ok)
        info.temperatureProblem = m_lastReading.reason;

    if (const DoorContact *door = parts.door; door && door->isKnown()) {
        info.doorOpen = door->isOpen();
        info.doorSince = door->since();
        info.doorChangeSeen = m_doorChangeSeen; // else "since" is only when the state became known
    } else if (door || !m_doorError.isEmpty()) {
        info.doorProblem = !m_doorError.isEmpty()        ? m_doorError
                           : !door->problem().isEmpty() ? door->problem()
                                                        : QStringLiteral("no reading yet");
    }

    info.storageProblem = parts.storageProblem;
    info.startedAt = m_startedAt;
    info.version = parts.version;
    if (const XmppLink *link = parts.link) {
        const QString problem = link->connectionProblem();
        info.server = QStringLiteral("%1 (%2)").arg(link->serverName(), link->isConnected() ? QStringLiteral("connected")
                                                                        : problem.isEmpty() ? QStringLiteral("reconnecting")
                                                                                            : problem);
    }
    return info;
}

} // namespace garage
