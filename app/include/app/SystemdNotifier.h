// Tells systemd when the daemon is ready, alive (watchdog) and stopping (Type=notify); silent when not under systemd.
#pragma once

#include <QObject>
#include <QTimer>
#include <functional>

namespace garage {

class SystemdNotifier : public QObject
{
    Q_OBJECT
public:
    explicit SystemdNotifier(QObject *parent = nullptr);

    bool underSystemd() const { return m_enabled; }
    void ready(const QString &status);
    void status(const QString &status);
    void stopping();
    // Asked before every watchdog ping: false withholds it (a supervisor is stuck), so systemd restarts the daemon.
    void setAliveCheck(std::function<bool()> alive) { m_alive = std::move(alive); }

private:
    void send(const QByteArray &state);

    bool m_enabled = false;
    QTimer m_watchdog; // pings from the event loop: a stuck loop (or a stuck supervisor) stops them
    std::function<bool()> m_alive;
};

} // namespace garage
