#include "xmpp/XmppLink.h"

#include "Logging.h"
#include "Uploader.h"
#include "xmpp/Jid.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QXmppClient.h>
#include <QXmppError.h>
#include <QXmppMessage.h>
#include <QXmppMessageReceiptManager.h>
#include <QXmppPresence.h>
#include <QXmppRosterManager.h>
#include <QXmppStreamError.h>
#include <QXmppTask.h>

using namespace std::chrono_literals;

namespace garage {
namespace {

constexpr auto kMaxReconnect = 60s;

QString typeName(QXmppMessage::Type type)
{
    switch (type) {
    case QXmppMessage::Error: return QStringLiteral("error");
    case QXmppMessage::Normal: return QStringLiteral("normal");
    case QXmppMessage::Chat: return QStringLiteral("chat");
    case QXmppMessage::GroupChat: return QStringLiteral("groupchat");
    case QXmppMessage::Headline: return QStringLiteral("headline");
    }
    return QStringLiteral("normal");
}

QXmppMessage chatMessage(const QString &to, const QString &body)
{
    QXmppMessage m;
    m.setTo(to);
    m.setType(QXmppMessage::Chat);
    m.setBody(body);
    m.setPrivate(true);                    // no carbon copies to our sibling appliances
    m.addHint(QXmppMessage::NoCopy);
    return m;
}

} // namespace

XmppLink::XmppLink(const XmppConfig &config, const QString &storageDir, QThreadPool *, QObject *parent)
    : QObject(parent),
      m_config(config),
      m_storageDir(storageDir),
      m_client(std::make_unique<QXmppClient>()),
      m_router(config.commandsPerMinute),
      m_outbox(storageDir + QStringLiteral("/outbox"))
{
    m_client->addNewExtension<QXmppMessageReceiptManager>();
    m_uploader = std::make_unique<Uploader>(*m_client, m_config);
    connect(m_client.get(), &QXmppClient::connected, this, &XmppLink::onConnected);
    connect(m_client.get(), &QXmppClient::disconnected, this, &XmppLink::onDisconnected);
    connect(m_client.get(), &QXmppClient::errorOccurred, this, &XmppLink::onError);
    connect(m_client.get(), &QXmppClient::messageReceived, this, &XmppLink::onMessage);
    connect(m_client.get(), &QXmppClient::presenceReceived, this, &XmppLink::onPresence);
    if (auto *roster = m_client->findExtension<QXmppRosterManager>())
        connect(roster, &QXmppRosterManager::subscriptionRequestReceived, this,
                [this, roster](const QString &bare, const QXmppPresence &) {
                    if (m_config.owners.contains(bare.toLower())) {
                        roster->acceptSubscription(bare);
                        roster->subscribe(bare);
                    } else {
                        roster->refuseSubscription(bare);
                        qCInfo(lcXmpp) << "refused a presence subscription from" << bare << "(not an owner)";
                    }
                });
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &XmppLink::connectNow);
    QString error;
    if (!m_outbox.open(&error))
        qCCritical(lcXmpp) << error;
}

XmppLink::~XmppLink()
{
    m_running = false;
    m_client->disconnect(this);
    m_client->disconnectFromServer();
}

void XmppLink::start()
{
    m_running = true;
    m_fatal = false;
    if (!m_config.caFile.isEmpty()) {
        // the upload's HTTPS requests must trust the same CA as the XMPP link
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(QSslCertificate::fromPath(m_config.caFile));
        QSslConfiguration::setDefaultConfiguration(ssl);
    }
    connectNow();
}

void XmppLink::stop()
{
    m_running = false;
    m_reconnect.stop();
    if (m_client->isConnected()) {
        m_client->disconnectFromServer();
    }
}

bool XmppLink::isConnected() const
{
    return m_client->isConnected();
}

bool XmppLink::isStreamResumed() const
{
    return m_client->isConnected() && m_client->streamManagementState() == QXmppClient::ResumedStream;
}

QString XmppLink::serverName() const
{
    return m_config.jid.section(QLatin1Char('@'), 1);
}

QString XmppLink::readPassword() const
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

QXmppPresence XmppLink::presence() const
{
    QXmppPresence p(QXmppPresence::Available);
    p.setPriority(m_config.priority);
    p.setStatusText(m_statusText);
    return p;
}

void XmppLink::connectNow()
{
    if (!m_running || m_fatal)
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
    c.setAutoReconnectionEnabled(false); // our own backoff (QXmpp retries every 10 s forever)
    c.setKeepAliveInterval(60);
    c.setKeepAliveTimeout(30);
    if (m_config.insecure)
        qCWarning(lcXmpp) << "connecting WITHOUT certificate verification (xmpp/insecure = true)";
    qCInfo(lcXmpp) << "connecting to" << (m_config.host.isEmpty() ? serverName() : m_config.host) << "port"
                   << m_config.port << "as" << m_config.jid + QLatin1Char('/') + m_config.resource;
    m_client->connectToServer(c, presence());
}

void XmppLink::scheduleReconnect()
{
    if (!m_running || m_fatal || m_reconnect.isActive())
        return;
    const auto base = std::min<std::chrono::milliseconds>(1000ms * (1LL << std::min(m_failures, 6)), kMaxReconnect);
    const auto delay = std::chrono::milliseconds(qint64(base.count() * (0.8 + 0.4 * QRandomGenerator::global()->generateDouble())));
    ++m_failures;
    qCInfo(lcXmpp) << "reconnecting in" << delay.count() << "ms";
    m_reconnect.start(delay);
}

void XmppLink::onConnected()
{
    m_failures = 0;
    m_siblings.clear();
    const auto streamState = m_client->streamManagementState();
    const char *stream = "without stream management";
    switch (streamState) {
    case QXmppClient::NoStreamManagement: break;
    case QXmppClient::NewStream: stream = "new session"; break;
    case QXmppClient::ResumedStream: stream = "stream resumed"; break;
    }
    qCInfo(lcXmpp) << "connected as" << m_client->configuration().jid() << "priority" << m_config.priority << "-"
                   << stream;
    // QXmpp announces the presence given to connectToServer(); the status may have changed since (while connecting),
    // and a resumed stream keeps the server's copy from before the break
    if (streamState == QXmppClient::ResumedStream || m_client->clientPresence().statusText() != m_statusText)
        m_client->setClientPresence(presence());
    if (streamState != QXmppClient::ResumedStream) {
        ++m_generation; // a new session: acknowledgements of the old one will not come; send the alert again
        m_delivering = false;
    }
    m_uploader->discover(serverName());
    Q_EMIT connectedChanged(true);
    flushOutbox();
}

void XmppLink::onDisconnected()
{
    // the alert in flight stays in flight: if the stream is resumed, QXmpp resends what the server did not
    // acknowledge and the acknowledgements still arrive (onConnected() decides)
    m_siblings.clear();
    qCInfo(lcXmpp) << "disconnected";
    Q_EMIT connectedChanged(false);
    scheduleReconnect();
}

void XmppLink::onError(const QXmppError &error)
{
    if (const auto stream = error.value<QXmpp::StreamError>(); stream && *stream == QXmpp::StreamError::Conflict) {
        m_fatal = true;
        const QString reason = QStringLiteral("another client logged in with the same resource '%1' and replaced us; "
                                              "not reconnecting (give each appliance its own xmpp/resource)")
                                   .arg(m_config.resource);
        qCCritical(lcXmpp).noquote() << reason;
        Q_EMIT fatalError(reason);
        return;
    }
    qCWarning(lcXmpp).noquote() << "connection error:" << error.description
                                << (m_config.requireTls ? QStringLiteral("(TLS is required)") : QString());
    if (!m_client->isConnected())
        scheduleReconnect();
}

void XmppLink::onPresence(const QXmppPresence &p)
{
    if (bareJidOf(p.from()) != m_config.jid.toLower())
        return;
    const QString resource = resourceOf(p.from());
    if (resource.isEmpty() || resource == m_config.resource)
        return;
    m_siblings.removeAll(resource);
    if (p.type() == QXmppPresence::Available && p.priority() >= 0)
        m_siblings << resource;
}

AddressingContext XmppLink::addressingContext() const
{
    return {m_config.jid.toLower(), m_config.resource, m_config.effectiveKeyword().toLower(), m_config.owners, m_siblings,
            m_config.requireKeyword};
}

void XmppLink::onMessage(const QXmppMessage &message)
{
    IncomingMessage in{message.from(), message.to(), message.body(), typeName(message.type()), message.stamp().isValid()};
    const AddressingContext context = addressingContext();
    const AddressingDecision d = decideAddressing(in, context);
    const QString prefix = d.prefixReplies ? QStringLiteral("[%1] ").arg(m_config.effectiveKeyword()) : QString();
    switch (d.action) {
    case AddressingDecision::Action::Ignore:
        if (!in.body.isEmpty())
            qCDebug(lcXmpp) << "ignored a message from" << bareJidOf(in.from) << ":" << d.reason;
        return;
    case AddressingDecision::Action::Hint:
        sendText(message.from(), sharedAccountHint(context));
        return;
    case AddressingDecision::Action::Execute:
        m_router.dispatch(message.from(), d.command, Replier(this, message.from(), prefix),
                          QDateTime::currentDateTimeUtc());
        return;
    }
}

void XmppLink::setStatusText(const QString &text)
{
    if (text == m_statusText)
        return;
    m_statusText = text;
    if (m_client->isConnected())
        m_client->setClientPresence(presence());
}

void XmppLink::sendText(const QString &to, const QString &body)
{
    if (!m_client->isConnected()) {
        qCInfo(lcXmpp) << "not connected: reply to" << bareJidOf(to) << "dropped";
        return;
    }
    m_client->send(chatMessage(to, body));
}

void XmppLink::sendImage(const QString &to, const QByteArray &jpeg, const QString &caption, const QString &prefix)
{
    sendText(to, prefix + caption);
    m_uploader->upload(jpeg, [this, to, jpeg, prefix](std::expected<QUrl, QString> url) {
        if (url) {
            QXmppMessage m = chatMessage(to, url->toString());
            m.setOutOfBandUrl(url->toString()); // body == OOB URL: phones show the picture inline
            m_client->send(std::move(m));
            return;
        }
        const std::expected<QString, QString> kept = keepUndelivered(jpeg, url.error());
        const QString why = m_uploader->available()
            ? QStringLiteral("The picture could not be sent: %1.").arg(url.error())
            : QStringLiteral("No picture: snapshots need HTTP upload (XEP-0363) on the server, and %1 offers none "
                             "(Prosody: mod_http_file_share).")
                  .arg(serverName());
        sendText(to, prefix + why + QLatin1Char(' ')
                         + (kept ? QStringLiteral("It is kept on the appliance as %1.").arg(*kept)
                                 : QStringLiteral("It could not be saved on the appliance either: %1.").arg(kept.error())));
    });
}

std::expected<QString, QString> XmppLink::keepUndelivered(const QByteArray &jpeg, const QString &whyNotSent) const
{
    const QString name = QStringLiteral("undelivered/%1.jpg")
                             .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
    const QString path = m_storageDir + QLatin1Char('/') + name;
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(jpeg) != jpeg.size() || !file.commit()) {
        qCWarning(lcXmpp).noquote() << "picture not sent:" << whyNotSent << "- NOT kept:" << file.errorString();
        return std::unexpected(file.errorString());
    }
    qCWarning(lcXmpp).noquote() << "picture not sent:" << whyNotSent << "- kept as" << name;
    return name;
}

void XmppLink::alert(const QString &text, const QByteArray &jpeg)
{
    const OutboxEntry e = m_outbox.add(text, jpeg);
    qCInfo(lcXmpp) << "alert" << e.seq << "queued" << (e.hasImage ? "with picture" : "");
    flushOutbox();
}

void XmppLink::alert(const OutgoingAlert &a)
{
    QByteArray jpeg = a.jpeg;
    if (jpeg.isEmpty() && !a.picture.isEmpty()) {
        QFile file(m_storageDir + QLatin1Char('/') + a.picture);
        if (file.open(QIODevice::ReadOnly))
            jpeg = file.readAll();
    }
    alert(a.text, jpeg);
}

QString XmppLink::connectionProblem() const
{
    return {};
}

QString XmppLink::supervisionProblem(std::chrono::steady_clock::time_point) const
{
    return {};
}

void XmppLink::flushOutbox()
{
    if (m_delivering || !m_client->isConnected() || m_outbox.isEmpty())
        return;
    const OutboxEntry e = m_outbox.pending().first();
    m_delivering = true;
    m_outbox.markAttempt(e.seq); // a crash from here on makes the next send a possible repeat, and says so
    struct Progress {
        int waiting = 0;
        bool uploading = false;
        bool failed = false;
    };
    auto progress = std::make_shared<Progress>();
    const int generation = m_generation;
    const qint64 seq = e.seq;
    auto settle = [this, progress, generation, seq] {
        if (generation != m_generation || progress->waiting > 0 || progress->uploading)
            return;
        m_delivering = false;
        if (progress->failed) {
            QTimer::singleShot(5s, this, &XmppLink::flushOutbox);
            return;
        }
        m_outbox.remove(seq);
        qCInfo(lcXmpp) << "alert" << seq << "acknowledged by the server";
        Q_EMIT alertDelivered(seq);
        flushOutbox();
    };
    auto sendToOwners = [this, progress, settle](const QString &body, const QString &oobUrl) {
        for (const QString &owner : std::as_const(m_config.owners)) {
            QXmppMessage m = chatMessage(owner, body);
            m.setReceiptRequested(true);
            if (!oobUrl.isEmpty())
                m.setOutOfBandUrl(oobUrl);
            ++progress->waiting;
            m_client->send(std::move(m)).then(this, [progress, settle](QXmpp::SendResult &&result) {
                if (std::holds_alternative<QXmppError>(result))
                    progress->failed = true;
                --progress->waiting;
                settle();
            });
        }
    };
    sendToOwners(e.attempts > 0 ? QStringLiteral("(resent, may be a repeat) ") + e.text : e.text, {});
    if (e.hasImage) {
        progress->uploading = true;
        const QByteArray image = m_outbox.image(seq);
        m_uploader->upload(image, [progress, settle, sendToOwners, generation, image, this](std::expected<QUrl, QString> url) {
            progress->uploading = false;
            if (generation != m_generation)
                return;
            if (url) {
                sendToOwners(url->toString(), url->toString());
            } else {
                // the alert's text goes out; its picture is not dropped with the outbox entry
                const std::expected<QString, QString> kept = keepUndelivered(image, url.error());
                sendToOwners(kept ? QStringLiteral("(no picture: %1; it is kept on the appliance as %2)").arg(url.error(), *kept)
                                  : QStringLiteral("(no picture: %1)").arg(url.error()),
                             {});
            }
            settle();
        });
    }
}

} // namespace garage
