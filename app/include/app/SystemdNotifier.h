// Tells systemd when the daemon is ready, alive (watchdog) and stopping (Type=notify); silent when not under systemd.
#pragma once

#include <QObject>
#include <QTimer>

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

private:
    void send(const QByteArray &state);

    bool m_enabled = false;
    QTimer m_watchdog; // pings from the event loop: a stuck loop stops them and systemd restarts us
};

} // namespace garage
