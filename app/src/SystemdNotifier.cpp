#include "app/SystemdNotifier.h"

#include "Logging.h"

#include <systemd/sd-daemon.h>

namespace garage {

SystemdNotifier::SystemdNotifier(QObject *parent)
    : QObject(parent), m_enabled(!qEnvironmentVariableIsEmpty("NOTIFY_SOCKET"))
{
    uint64_t watchdogUsec = 0;
    if (m_enabled && sd_watchdog_enabled(0, &watchdogUsec) > 0 && watchdogUsec > 0) {
        m_watchdog.setInterval(std::chrono::milliseconds(watchdogUsec / 2000));
        connect(&m_watchdog, &QTimer::timeout, this, [this] {
            if (!m_alive || m_alive())
                send("WATCHDOG=1");
        });
        qCInfo(lcApp) << "systemd watchdog: pinging every" << m_watchdog.interval() << "ms";
    }
}

void SystemdNotifier::ready(const QString &text)
{
    send("READY=1\nSTATUS=" + text.toUtf8());
    if (m_watchdog.interval() > 0)
        m_watchdog.start();
}

void SystemdNotifier::status(const QString &text)
{
    send("STATUS=" + text.toUtf8());
}

void SystemdNotifier::stopping()
{
    m_watchdog.stop();
    send("STOPPING=1");
}

void SystemdNotifier::send(const QByteArray &state)
{
    if (m_enabled)
        sd_notify(0, state.constData());
}

} // namespace garage
