#include "xmpp/XmppLink.h"

#include "AlertDelivery.h"
#include "ImageSender.h"
#include "Logging.h"
#include "RelayStanzas.h"
#include "StrangerGate.h"
#include "XmppConnection.h"
#include "xmpp/Jid.h"
#include "xmpp/Outbox.h"

#include <QCoreApplication>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QThreadPool>
#include <QTimer>
#include <QXmppClient.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppMessage.h>
#include <QXmppPresence.h>
#include <QXmppRosterIq.h>
#include <QXmppRosterManager.h>
#include <QXmppTask.h>

namespace garage {
XmppLink::XmppLink(const XmppConfig &config, const QString &storageDir, QThreadPool *diskWriter, QObject *parent)
    : QObject(parent),
      m_config(config),
      m_storageDir(storageDir),
      m_ownPool(diskWriter ? nullptr : std::make_unique<QThreadPool>()),
      m_pool(diskWriter ? diskWriter : m_ownPool.get()),
      // only the managers it needs: no receipts, no version, time or vCard answers (QXmpp's defaults answer anyone)
      m_client(std::make_unique<QXmppClient>(QXmppClient::NoExtensions)),
      m_router(config.commandsPerMinute)
{
    if (m_ownPool)
        m_ownPool->setMaxThreadCount(1); // one writer: the outbox's files change in order
    m_outbox = std::make_unique<Outbox>(storageDir, m_pool);
    connect(m_outbox.get(), &Outbox::storageFailed, this, &XmppLink::storageFailed);
    connect(m_outbox.get(), &Outbox::storageRecovered, this, &XmppLink::storageRecovered);
    // strangers' stanzas stop here, before any manager (or QXmpp's "not implemented" error) can answer them
    m_gate = new StrangerGate(stanzaTrust());
    m_client->insertExtension(0, m_gate);
    auto *roster = m_client->addNewExtension<QXmppRosterManager>(m_client.get());
    // disco (owners and the server only, through the gate): what uploads need, nothing about the machine
    auto *disco = m_client->addNewExtension<QXmppDiscoveryManager>();
    disco->setClientName(QStringLiteral("garage-guard"));
    disco->setClientType(QStringLiteral("bot"));
    m_images = std::make_unique<ImageSender>(*m_client, m_config, storageDir, *m_outbox);
    m_connection = std::make_unique<XmppConnection>(*m_client, m_config, [this] { return presence(); });
    m_delivery = std::make_unique<AlertDelivery>(*m_client, *m_images, *m_outbox, m_config);
    connect(m_delivery.get(), &AlertDelivery::delivered, this, &XmppLink::alertDelivered);
    connect(m_connection.get(), &XmppConnection::connected, this, &XmppLink::onConnected);
    connect(m_connection.get(), &XmppConnection::disconnected, this, &XmppLink::onDisconnected);
    connect(m_client.get(), &QXmppClient::messageReceived, this, &XmppLink::onMessage);
    connect(m_client.get(), &QXmppClient::presenceReceived, this, &XmppLink::onPresence);
    m_router.setHelpAppendix([this] { return appliancesOnline(addressingContext()); });
    connect(roster, &QXmppRosterManager::subscriptionRequestReceived, this,
            [this, roster](const QString &bare, const QXmppPresence &) {
                // only owners get this far (the gate swallows strangers' requests, unanswered)
                if (m_config.owners.contains(bare.toLower())) {
                    roster->acceptSubscription(bare);
                    roster->subscribe(bare);
                }
            });
    connect(roster, &QXmppRosterManager::rosterReceived, this, &XmppLink::alignRoster);
}

StanzaTrust XmppLink::stanzaTrust() const
{
    return {m_config.jid.toLower(), serverName().toLower(), m_config.owners};
}

int XmppLink::strangerStanzasIgnored() const
{
    return m_gate->swallowed();
}

// The roster is brought in line with `owners` at every login: an owner removed from the config no longer sees the
// appliance's presence ("disarmed · door open"), and an owner added asks for it once.
void XmppLink::alignRoster()
{
    auto *roster = m_client->findExtension<QXmppRosterManager>();
    if (!roster)
        return;
    const QString own = m_config.jid.toLower();
    for (const QString &bare : roster->getRosterBareJids()) {
        const QString key = bare.toLower();
        if (key == own || m_config.owners.contains(key))
            continue;
        // removing the item cancels the subscription both ways (RFC 6121 2.5.3): the server tells them, not us
        roster->removeItem(bare);
        qCInfo(lcXmpp).noquote() << "removed" << bare << "from the roster: not an owner (any more); it no longer sees the presence";
    }
    const QStringList inRoster = roster->getRosterBareJids();
    for (const QString &owner : m_config.owners) {
        // asked once, when the owner is new to the roster: an owner who said no keeps the item (subscription none)
        // and is not asked again at every restart
        if (inRoster.contains(owner, Qt::CaseInsensitive))
            continue;
        roster->subscribe(owner);
        qCInfo(lcXmpp).noquote() << "asked owner" << owner << "for a presence subscription (new in the roster)";
    }
}

XmppLink::~XmppLink()
{
    m_running = false;
    m_client->disconnect(this);
    m_connection->disconnect(this);
    m_connection->stop();
    if (!m_outbox->isLoaded() && !m_loading)
        m_outbox->load(m_config.owners, {}); // never started: what was raised is written after what is there
    // what the disk thread still posts back would reach parts that are going away
    m_pool->waitForDone();
    m_outbox->finishLoading(); // alerts raised before the outbox was loaded are written now
    m_pool->waitForDone();
    QCoreApplication::removePostedEvents(m_outbox.get());
    m_delivery.reset();
    m_connection.reset();
    m_images.reset();
    m_outbox.reset();
}

void XmppLink::start()
{
    if (!m_config.caFile.isEmpty()) {
        // the upload's HTTPS requests must trust the same CA as the XMPP link
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(QSslCertificate::fromPath(m_config.caFile));
        QSslConfiguration::setDefaultConfiguration(ssl);
    }
    m_running = true;
    if (m_outbox->isLoaded()) {
        m_connection->start();
        return;
    }
    if (m_loading)
        return;
    // what an earlier run left is read on the disk writer; the link connects once it is in place (alerts raised
    // meanwhile come after it)
    m_loading = true;
    m_outbox->load(m_config.owners, [this](const QString &) {
        m_loading = false;
        if (m_running)
            m_connection->start();
    });
}

void XmppLink::stop()
{
    m_running = false;
    m_connection->stop();
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

int XmppLink::pendingAlerts() const
{
    return m_delivery->pending();
}

int XmppLink::connectAttempts() const
{
    return m_connection->attempts();
}

QString XmppLink::connectionProblem() const
{
    return m_connection->problem();
}

QString XmppLink::supervisionProblem(std::chrono::steady_clock::time_point now) const
{
    if (m_running && m_loading)
        return {}; // the disk writer reads the outbox (its own supervision says when it hangs)
    return m_connection->supervisionProblem(now);
}

QXmppPresence XmppLink::presence() const
{
    QXmppPresence p(QXmppPresence::Available);
    p.setPriority(m_config.priority);
    p.setStatusText(m_statusText);
    p.setExtensions({applianceElement(m_config.effectiveKeyword())}); // siblings learn our keyword
    return p;
}

void XmppLink::onConnected()
{
    const auto streamState = m_client->streamManagementState();
    // a new session is sent every sibling's presence again; a resumed one is not (the server kept it, and sends what
    // changed meanwhile), so what we knew stays
    if (streamState != QXmppClient::ResumedStream)
        m_siblings.forgetOnline();
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
    if (streamState != QXmppClient::ResumedStream)
        m_images->discover(serverName());
    Q_EMIT connectedChanged(true);
    m_delivery->onConnected(streamState != QXmppClient::NoStreamManagement);
    // QXmpp sends the initial presence after this handler returns; only from then on does the server hand us
    // messages to the bare JID (before, it stores them offline, and a stored command is stale). Said once it is out.
    QTimer::singleShot(0, this, [this] {
        if (m_client->isConnected())
            qCInfo(lcXmpp) << "online: presence sent, owners' messages reach this appliance";
    });
}

void XmppLink::onDisconnected()
{
    qCInfo(lcXmpp) << "disconnected";
    Q_EMIT connectedChanged(false);
}

void XmppLink::onPresence(const QXmppPresence &p)
{
    if (bareJidOf(p.from()) != m_config.jid.toLower())
        return;
    const QString resource = resourceOf(p.from());
    if (resource.isEmpty() || resource == m_config.resource)
        return;
    if (p.type() == QXmppPresence::Available) {
        m_siblings.online(resource, p.priority(), applianceKeyword(p));
    } else if (p.type() == QXmppPresence::Unavailable) {
        m_siblings.offline(resource, QDateTime::currentDateTime());
        qCInfo(lcXmpp) << "sibling" << resource << "went offline";
    }
}

AddressingContext XmppLink::addressingContext() const
{
    return {m_config.jid.toLower(), m_config.resource, m_config.effectiveKeyword().toLower(), m_config.owners,
            m_siblings.all(), m_config.requireKeyword, m_config.relay};
}

void XmppLink::onMessage(const QXmppMessage &message)
{
    const IncomingMessage in = incomingMessage(message);
    const AddressingContext context = addressingContext();
    const AddressingDecision d = decideAddressing(in, context);
    if (d.action == AddressingDecision::Action::Ignore) {
        if (!in.body.isEmpty() || in.forwarded)
            qCDebug(lcXmpp) << "ignored a message from" << in.from << ":" << d.reason;
        return;
    }
    // the server may have delivered it to us and a sibling relayed it too: it is handled once
    if (!m_recent.firstTime(d.sender, d.messageId, d.body, std::chrono::steady_clock::now())) {
        ++m_duplicatesDropped;
        qCDebug(lcXmpp) << "dropped a copy of a message from" << d.sender << "already handled"
                        << (d.relayed ? "(relayed by a sibling)" : "(delivered by the server)");
        return;
    }
    const QString prefix = d.prefixReplies ? QStringLiteral("[%1] ").arg(m_config.effectiveKeyword()) : QString();
    const Replier reply(this, d.sender, prefix);
    const auto now = std::chrono::steady_clock::now();
    // every answer and every relay counts against the owner's limit, not only commands: a flood gets at most N
    // answers a minute, whatever it holds
    if (d.action != AddressingDecision::Action::Execute
        && m_router.admit(d.sender, reply, now) != CommandRouter::Admission::Admitted)
        return;
    switch (d.action) {
    case AddressingDecision::Action::Ignore:
        return;
    case AddressingDecision::Action::Relay: {
        const QString to = m_config.jid + QLatin1Char('/') + d.relayTo;
        qCInfo(lcXmpp).noquote() << "relaying a message from" << d.sender << "to" << to << "(" + d.reason + ")";
        ++m_relaysSent;
        m_client->send(forwardedMessage(to, message, QDateTime::currentDateTimeUtc()));
        return;
    }
    case AddressingDecision::Action::Offline:
        sendText(d.sender, prefix + offlineText(d.offlineKeyword, d.offlineSince, QDateTime::currentDateTime()));
        return;
    case AddressingDecision::Action::Hint:
        sendText(d.sender, sharedAccountHint(context));
        return;
    case AddressingDecision::Action::Execute:
        if (d.relayed)
            qCInfo(lcXmpp).noquote() << "executing a command from" << d.sender << "relayed by" << resourceOf(in.from);
        // a relayed command is as old as the sibling's stamp says: a door rule refuses one that arrives late
        m_router.dispatch(d.sender, d.command, reply, now,
                          d.relayed && in.forwarded && in.forwarded->stamp.isValid() ? in.forwarded->stamp.toUTC()
                                                                                    : QDateTime::currentDateTimeUtc());
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
    m_images->sendImage(to, jpeg, caption, prefix);
}

void XmppLink::alert(const QString &text, const QByteArray &jpeg)
{
    alert(OutgoingAlert{text, {}, jpeg, {}});
}

void XmppLink::alert(const OutgoingAlert &a)
{
    m_delivery->add(a);
}

} // namespace garage
