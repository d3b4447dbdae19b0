#include "sensors/DoorContact.h"

#include "GpioLine.h"
#include "Logging.h"
#include "SimulatedLines.h"

#include <QSocketNotifier>

using namespace std::chrono_literals;

namespace garage {
namespace {

constexpr auto kSupervisionSlack = 5s; // a retry this late means the event loop is not running it

} // namespace

DoorContact::DoorContact(const DoorConfig &config, std::unique_ptr<InputLine> line, QObject *parent)
    : QObject(parent), m_config(config), m_line(std::move(line))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(config.debounce);
    connect(&m_debounce, &QTimer::timeout, this, &DoorContact::commit);
    m_leftOpen.setSingleShot(true);
    connect(&m_leftOpen, &QTimer::timeout, this, [this] { Q_EMIT leftOpen(m_config.openAlertAfter); });
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &DoorContact::attempt);
}

DoorContact::~DoorContact()
{
    dropLine();
}

void DoorContact::start()
{
    if (m_running)
        return;
    m_running = true;
    attempt();
}

void DoorContact::stop()
{
    m_running = false;
    m_retry.stop();
    m_debounce.stop();
    m_leftOpen.stop();
    dropLine();
}

void DoorContact::attempt()
{
    if (!m_running)
        return;
    const auto fd = m_line->request();
    if (!fd) {
        lost(fd.error());
        return;
    }
    const auto level = m_line->value();
    if (!level) {
        lost(level.error());
        return;
    }
    m_notifier = new QSocketNotifier(*fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &DoorContact::lineEvents);
    m_failedAttempts = 0;
    m_backoff.reset();
    m_problem.clear();
    rawLevel(*level, QDateTime::currentDateTimeUtc());
    if (m_reportedUnavailable) {
        m_reportedUnavailable = false;
        qCInfo(lcSensors) << "door contact on" << m_line->name() << "works again; the door is"
                          << (isOpen() ? "open" : "closed");
        Q_EMIT availabilityChanged(true, {});
    }
}

void DoorContact::lineEvents()
{
    const auto edges = m_line->readEvents();
    if (!edges) {
        qCWarning(lcSensors) << "door contact:" << edges.error();
        lost(edges.error());
        return;
    }
    for (const GpioEdge &edge : *edges)
        rawLevel(edge.rising, QDateTime::currentDateTimeUtc());
}

void DoorContact::lost(const QString &reason)
{
    dropLine();
    m_open.reset(); // unknown, not "closed"
    m_since = {};
    m_debounce.stop();
    m_leftOpen.stop();
    ++m_failedAttempts;
    const auto delay = m_backoff.next();
    m_retry.start(delay);
    m_retryDue = std::chrono::steady_clock::now() + delay;
    const bool changed = reason != m_problem;
    m_problem = reason;
    if (!m_reportedUnavailable) {
        m_reportedUnavailable = true;
        qCWarning(lcSensors) << "door contact unavailable:" << reason << "- retrying";
        Q_EMIT availabilityChanged(false, reason);
    } else if (changed) {
        qCWarning(lcSensors) << "door contact still unavailable:" << reason;
    }
}

void DoorContact::dropLine()
{
    if (m_notifier) {
        m_notifier->setEnabled(false); // before its fd closes
        m_notifier->deleteLater();     // may be in its own activated() now
        m_notifier = nullptr;
    }
    m_line->release();
}

QString DoorContact::supervisionProblem(std::chrono::steady_clock::time_point now) const
{
    if (!m_running || m_notifier)
        return {};
    if (!m_retry.isActive())
        return QStringLiteral("door contact unavailable (%1) and no retry scheduled").arg(m_problem);
    if (now > m_retryDue + kSupervisionSlack)
        return QStringLiteral("door contact unavailable (%1): its retry is %2 s overdue")
            .arg(m_problem)
            .arg(std::chrono::duration_cast<std::chrono::seconds>(now - m_retryDue).count());
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
    if (!m_open || m_pending == *m_open)
        return;
    m_open = m_pending;
    m_since = m_pendingAt;
    if (m_pending && m_config.openAlertAfter.count() > 0)
        m_leftOpen.start(m_config.openAlertAfter);
    else
        m_leftOpen.stop();
    Q_EMIT doorChanged(m_pending, m_since);
}

std::expected<std::unique_ptr<DoorContact>, QString> createDoorContact(const DoorConfig &config, QObject *parent)
{
    if (const QString sim = simulatedLinePath(config.line); !sim.isEmpty())
        return std::make_unique<DoorContact>(config, std::make_unique<SimulatedInputLine>(sim), parent);
    const auto spec = parseGpioLine(config.line);
    if (!spec)
        return std::unexpected(spec.error());
    return std::make_unique<DoorContact>(config, std::make_unique<GpioLine>(*spec), parent);
}

} // namespace garage
