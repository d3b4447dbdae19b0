#include "sensors/DoorContact.h"

#include "GpioLine.h"
#include "Logging.h"

#include <QSocketNotifier>

namespace garage {

DoorContact::DoorContact(const DoorConfig &config, QObject *parent)
    : QObject(parent), m_config(config)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(config.debounce);
    connect(&m_debounce, &QTimer::timeout, this, &DoorContact::commit);
    m_leftOpen.setSingleShot(true);
    connect(&m_leftOpen, &QTimer::timeout, this, [this] { Q_EMIT leftOpen(m_config.openAlertAfter); });
}

QString DoorContact::supervisionProblem(std::chrono::steady_clock::time_point) const
{
    return {};
}

void DoorContact::rawLevel(bool high, const QDateTime &at)
{
    // with a pull-up and the switch to ground, a closed door pulls the line low: active_low means "low = closed"
    const bool open = m_config.activeLow ? high : !high;
    if (!m_open) {
        m_open = open;
        m_since = at;
        if (open && m_config.openAlertAfter.count() > 0)
            m_leftOpen.start(m_config.openAlertAfter);
        return;
    }
    m_pending = open;
    m_pendingAt = at;
    m_debounce.start(); // bounces restart the wait; only a level that holds is taken
}

void DoorContact::commit()
{
    if (m_pending == *m_open)
        return;
    m_open = m_pending;
    m_since = m_pendingAt;
    if (m_pending && m_config.openAlertAfter.count() > 0)
        m_leftOpen.start(m_config.openAlertAfter);
    else
        m_leftOpen.stop();
    Q_EMIT doorChanged(m_pending, m_since);
}

namespace {

class GpioDoorContact : public DoorContact
{
public:
    GpioDoorContact(const DoorConfig &config, std::unique_ptr<GpioLine> line, QObject *parent)
        : DoorContact(config, parent), m_line(std::move(line))
    {
    }
    void start() override
    {
        const auto fd = m_line->requestInput(std::chrono::microseconds(0));
        if (!fd) {
            qCWarning(lcSensors) << "door contact:" << fd.error();
            return;
        }
        rawLevel(m_line->value(), QDateTime::currentDateTimeUtc());
        m_notifier = std::make_unique<QSocketNotifier>(*fd, QSocketNotifier::Read);
        connect(m_notifier.get(), &QSocketNotifier::activated, this, [this] {
            for (const GpioEdge &edge : m_line->readEvents())
                rawLevel(edge.rising, QDateTime::currentDateTimeUtc());
        });
    }
    void stop() override { m_notifier.reset(); }

private:
    std::unique_ptr<GpioLine> m_line;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace

std::expected<std::unique_ptr<DoorContact>, QString> createDoorContact(const DoorConfig &config, QObject *parent)
{
    const auto spec = parseGpioLine(config.line);
    if (!spec)
        return std::unexpected(spec.error());
    auto line = GpioLine::open(*spec);
    if (!line)
        return std::unexpected(line.error());
    return std::make_unique<GpioDoorContact>(config, std::move(*line), parent);
}

} // namespace garage
