// Keeps the link's XMPP connection up: one attempt at a time with a deadline for TCP + TLS + login, then abort and
// back off (1 s doubling to 60 s); a `conflict` (another client took our resource) is retried slowly and said
// clearly, never fought. Says what keeps it from working (for `status`) and whether it is stuck (for the watchdog).
#pragma once

#include "camera/ReconnectBackoff.h"
#include "xmpp/XmppConfig.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>

class QXmppClient;
class QXmppError;
class QXmppPresence;

namespace garage {

class XmppConnection : public QObject
{
    Q_OBJECT
public:
    XmppConnection(QXmppClient &client, const XmppConfig &config, std::function<QXmppPresence()> presence,
                   QObject *parent = nullptr);

    void start();
    void stop();
    bool isConnected() const;
    // What keeps the link from working ("replaced by another client ..."); empty when connected.
    QString problem() const;
    // Empty while connected, while an attempt is within its deadline, or while a retry is scheduled; what is stuck
    // otherwise (also when not started or stopped).
    QString supervisionProblem(std::chrono::steady_clock::time_point now) const;
    int attempts() const { return m_attempts; } // connect attempts started so far

Q_SIGNALS:
    void connected();
    void disconnected();

private:
    void connectNow();
    void retryIn(std::chrono::milliseconds delay);
    void attemptFailed();
    void onConnected();
    void onDisconnected();
    void onError(const QXmppError &error);
    void onDeadline();
    QString readPassword() const;
    QString endpoint() const;

    QXmppClient &m_client;
    XmppConfig m_config;
    std::function<QXmppPresence()> m_presence;
    ReconnectBackoff m_backoff;
    QTimer m_retry;
    QTimer m_deadline;
    std::chrono::steady_clock::time_point m_attemptStarted;
    bool m_running = false;
    bool m_attempting = false;
    bool m_wasConnected = false;
    bool m_conflict = false;
    int m_attempts = 0;
    QString m_problem;
    QString m_lastWarning; // what QXmpp said while this attempt failed (it gives up on TLS without an error)
};

} // namespace garage
