#include "XmppConnection.h"

#include "Logging.h"

#include <QAbstractSocket>
#include <QFile>
#include <QSslCertificate>
#include <QXmppClient.h>
#include <QXmppError.h>
#include <QXmppLogger.h>
#include <QXmppPresence.h>
#include <QXmppStreamError.h>

using namespace std::chrono_literals;

namespace garage {

XmppConnection::XmppConnection(QXmppClient &client, const XmppConfig &config, std::function<QXmppPresence()> presence,
                               QObject *parent)
    : QObject(parent), m_client(client), m_config(config), m_presence(std::move(presence))
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &XmppConnection::connectNow);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &XmppConnection::onDeadline);
    connect(&m_client, &QXmppClient::connected, this, &XmppConnection::onConnected);
    connect(&m_client, &QXmppClient::disconnected, this, &XmppConnection::onDisconnected);
    connect(&m_client, &QXmppClient::errorOccurred, this, &XmppConnection::onError);
    connect(&m_client, &QXmppLoggable::logMessage, this, [this](QXmppLogger::MessageType type, const QString &text) {
        if (type == QXmppLogger::WarningMessage && m_attempting)
            m_lastWarning = text;
    });
}

void XmppConnection::start()
{
    m_running = true;
    connectNow();
}

void XmppConnection::stop()
{
    m_running = false;
    m_retry.stop();
    m_deadline.stop();
    m_attempting = false;
    m_client.disconnectFromServer();
}

bool XmppConnection::isConnected() const
{
    return m_client.isConnected();
}

QString XmppConnection::endpoint() const
{
    return QStringLiteral("%1 port %2")
        .arg(m_config.host.isEmpty() ? m_config.jid.section(QLatin1Char('@'), 1) : m_config.host)
        .arg(m_config.port);
}

QString XmppConnection::readPassword() const
{
    if (m_config.passwordFile.isEmpty())
        return m_config.password;
    QFile file(m_config.passwordFile);
    if (!file.open(QIODevice::ReadOnly)) {
        qCCritical(lcXmpp) << "cannot read the password file" << m_config.passwordFile;
        return {};
    }
    return QString::fromUtf8(file.readLine()).trimmed();
}

void XmppConnection::connectNow()
{
    if (!m_running || m_client.isConnected())
        return;
    QXmppConfiguration c;
    c.setJid(m_config.jid);
    c.setResource(m_config.resource);
    c.setUseSasl2Authentication(false); // SASL2/Bind2 would let the server pick the resource
    c.setPassword(readPassword());
    if (!m_config.host.isEmpty())
        c.setHost(m_config.host);
    c.setPort(m_config.port);
    c.setStreamSecurityMode(m_config.requireTls ? QXmppConfiguration::TLSRequired : QXmppConfiguration::TLSEnabled);
    c.setIgnoreSslErrors(m_config.insecure);
    if (!m_config.caFile.isEmpty())
        c.setCaCertificates(QSslCertificate::fromPath(m_config.caFile));
    c.setAutoReconnectionEnabled(false); // our own backoff (QXmpp retries every 10 s forever, never after a conflict)
    c.setKeepAliveInterval(60);
    c.setKeepAliveTimeout(30);
    if (m_config.insecure)
        qCWarning(lcXmpp) << "connecting WITHOUT certificate verification (xmpp/insecure = true)";
    ++m_attempts;
    qCInfo(lcXmpp).noquote() << "connecting to" << endpoint() << "as" << m_config.jid + QLatin1Char('/') + m_config.resource
                             << QStringLiteral("(attempt %1)").arg(m_attempts);
    m_attempting = true;
    m_lastWarning.clear();
    m_attemptStarted = std::chrono::steady_clock::now();
    m_deadline.start(m_config.connectTimeout);
    m_client.connectToServer(c, m_presence());
}

void XmppConnection::retryIn(std::chrono::milliseconds delay)
{
    if (!m_running)
        return;
    qCInfo(lcXmpp) << "reconnecting in" << delay.count() << "ms";
    m_retry.start(delay);
}

void XmppConnection::attemptFailed()
{
    m_deadline.stop();
    m_attempting = false;
    if (m_retry.isActive())
        return; // a conflict's slow retry, or an earlier failure of the same attempt
    retryIn(m_backoff.next());
}

void XmppConnection::onDeadline()
{
    if (!m_attempting || m_client.isConnected())
        return;
    m_problem = QStringLiteral("%1 did not complete TCP, TLS and login within %2 s; retrying")
                    .arg(endpoint())
                    .arg(m_config.connectTimeout.count());
    qCWarning(lcXmpp).noquote() << "connect attempt" << m_attempts << "aborted:" << m_problem;
    m_attempting = false;
    m_client.disconnectFromServer();
    attemptFailed();
}

void XmppConnection::onConnected()
{
    m_deadline.stop();
    m_attempting = false;
    m_wasConnected = true;
    m_backoff.reset();
    m_retry.stop();
    if (m_conflict)
        qCInfo(lcXmpp) << "connected again after the resource conflict";
    m_conflict = false;
    m_problem.clear();
    Q_EMIT connected();
}

void XmppConnection::onDisconnected()
{
    const bool was = std::exchange(m_wasConnected, false);
    if (m_running && !m_conflict && m_attempting && !m_lastWarning.isEmpty()) {
        m_problem = QStringLiteral("cannot connect to %1: %2%3")
                        .arg(endpoint(), m_lastWarning,
                             m_config.requireTls ? QStringLiteral(" (TLS is required)") : QString());
        qCWarning(lcXmpp).noquote() << m_problem;
    } else if (m_running && !m_conflict && (was || m_problem.isEmpty())) {
        m_problem = QStringLiteral("disconnected from %1; reconnecting").arg(endpoint());
    }
    attemptFailed();
    if (was)
        Q_EMIT disconnected();
}

void XmppConnection::onError(const QXmppError &error)
{
    if (const auto stream = error.value<QXmpp::StreamError>(); stream && *stream == QXmpp::StreamError::Conflict) {
        m_conflict = true;
        const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(m_config.conflictRetry).count();
        const QString every = minutes >= 1 ? QStringLiteral("%1 min").arg(minutes)
                                           : QStringLiteral("%1 s").arg(m_config.conflictRetry.count());
        m_problem = QStringLiteral("replaced by another client logged in with the same resource '%1'; retrying every %2 "
                                   "(give each appliance its own [xmpp] resource)")
                        .arg(m_config.resource, every);
        qCCritical(lcXmpp).noquote() << m_problem;
        m_deadline.stop();
        m_attempting = false;
        m_retry.stop();
        retryIn(m_config.conflictRetry);
        return;
    }
    // "(TLS is required)" only where TLS may be the reason: not on a refused, reset or unreachable socket
    const auto socketError = error.value<QAbstractSocket::SocketError>();
    const QString tlsHint = m_config.requireTls && (!socketError || *socketError == QAbstractSocket::SslHandshakeFailedError)
        ? QStringLiteral(" (TLS is required)")
        : QString();
    if (!m_conflict)
        m_problem = QStringLiteral("cannot connect to %1: %2%3").arg(endpoint(), error.description, tlsHint);
    qCWarning(lcXmpp).noquote() << "connection error:" << error.description + tlsHint;
    if (!m_client.isConnected())
        attemptFailed();
}

QString XmppConnection::problem() const
{
    if (m_client.isConnected())
        return {};
    if (!m_running)
        return QStringLiteral("not started");
    return m_problem.isEmpty() ? QStringLiteral("connecting to %1").arg(endpoint()) : m_problem;
}

QString XmppConnection::supervisionProblem(std::chrono::steady_clock::time_point now) const
{
    if (!m_running)
        return QStringLiteral("XMPP: the link is stopped: not connected to %1 and no connect attempt or retry pending")
            .arg(endpoint());
    if (m_client.isConnected() || m_retry.isActive())
        return {};
    if (m_attempting) {
        if (now - m_attemptStarted <= m_config.connectTimeout + 5s) // the deadline timer runs on this thread
            return {};
        return QStringLiteral("XMPP: the connect attempt to %1 is %2 s old, past its %3 s deadline, and was not aborted")
            .arg(endpoint())
            .arg(std::chrono::duration_cast<std::chrono::seconds>(now - m_attemptStarted).count())
            .arg(m_config.connectTimeout.count());
    }
    return QStringLiteral("XMPP: not connected to %1 and no connect attempt or retry pending (%2)")
        .arg(endpoint(), problem());
}

} // namespace garage
