#include "sensors/DoorRelay.h"

#include "GpioOutputLine.h"
#include "Logging.h"
#include "SimulatedLines.h"
#include "sensors/SensorSpec.h"

namespace garage {

DoorRelay::DoorRelay(std::chrono::milliseconds press, std::unique_ptr<OutputLine> line, QObject *parent)
    : QObject(parent), m_line(std::move(line))
{
    m_release.setSingleShot(true);
    m_release.setTimerType(Qt::PreciseTimer); // a press is a few hundred ms: a coarse timer could stretch it by 5 %
    m_release.setInterval(press);
    connect(&m_release, &QTimer::timeout, this, &DoorRelay::endPress);
}

DoorRelay::~DoorRelay()
{
    stop();
}

void DoorRelay::start()
{
    if (const auto ok = ensureRequested(); !ok)
        qCWarning(lcSensors) << "door relay unavailable:" << ok.error() << "- tried again at the next press";
    else
        qCInfo(lcSensors) << "door relay on" << m_line->name() << "requested, inactive";
}

void DoorRelay::stop()
{
    if (m_release.isActive()) {
        m_release.stop();
        endPress();
    }
    if (m_requested) {
        m_line->release(); // drives it inactive first
        m_requested = false;
        qCInfo(lcSensors) << "door relay on" << m_line->name() << "released inactive";
    }
}

std::expected<void, QString> DoorRelay::ensureRequested()
{
    if (m_requested)
        return {};
    if (const auto ok = m_line->request(); !ok) {
        m_problem = ok.error();
        return ok;
    }
    m_requested = true;
    m_problem.clear();
    return {};
}

std::expected<void, QString> DoorRelay::press()
{
    if (m_release.isActive())
        return std::unexpected(QStringLiteral("the button is being pressed already"));
    if (const auto ok = ensureRequested(); !ok)
        return ok;
    if (const auto ok = m_line->setActive(true); !ok) {
        m_problem = ok.error();
        m_line->release(); // whatever state it is in, give it back inactive and request it afresh next time
        m_requested = false;
        return ok;
    }
    m_release.start();
    qCInfo(lcSensors) << "door relay pressed for" << m_release.interval() << "ms";
    Q_EMIT pressed();
    return {};
}

void DoorRelay::endPress()
{
    if (const auto ok = m_line->setActive(false); !ok) {
        // the press must end: releasing drives it inactive, or leaves the line to its pull resistor
        qCCritical(lcSensors) << "door relay: cannot end the press:" << ok.error() << "- releasing the line";
        m_problem = ok.error();
        m_line->release();
        m_requested = false;
    }
    Q_EMIT released();
}

std::expected<std::unique_ptr<DoorRelay>, QString> createDoorRelay(const DoorConfig &config, QObject *parent)
{
    if (const QString sim = simulatedLinePath(config.relayLine); !sim.isEmpty())
        return std::make_unique<DoorRelay>(config.press, std::make_unique<SimulatedOutputLine>(sim, config.relayActiveLow),
                                           parent);
    const auto spec = parseGpioLine(config.relayLine);
    if (!spec)
        return std::unexpected(spec.error());
    return std::make_unique<DoorRelay>(config.press, std::make_unique<GpioOutputLine>(*spec, config.relayActiveLow),
                                       parent);
}

} // namespace garage
