// The appliance's XMPP link. It only wires its parts: XmppConnection (connect, deadline, backoff, conflict, TLS),
// AlertDelivery (the durable outbox, delivered to every owner in order, confirmed by the server), ImageSender
// (upload + OOB, pictures kept when they cannot be sent); presence, sibling appliances on a shared account (learnt
// from presences, commands for them relayed to them), presence subscriptions and owner-only commands stay here.
#pragma once

#include "xmpp/Addressing.h"
#include "xmpp/CommandRouter.h"
#include "xmpp/OutgoingAlert.h"
#include "xmpp/RecentMessages.h"
#include "xmpp/SiblingDirectory.h"
#include "xmpp/XmppConfig.h"

#include <QDateTime>
#include <QObject>

#include <chrono>
#include <memory>

class QThreadPool;
class QXmppClient;
class QXmppMessage;
class QXmppPresence;

namespace garage {

class AlertDelivery;
class ImageSender;
class Outbox;
class XmppConnection;
class StrangerGate;
struct StanzaTrust;

class XmppLink : public QObject
{
    Q_OBJECT
public:
    // diskWriter: the appliance's one disk-writing thread (a QThreadPool of one, outliving the link); null: the link
    // makes its own.
    XmppLink(const XmppConfig &config, const QString &storageDir, QThreadPool *diskWriter = nullptr,
             QObject *parent = nullptr);
    ~XmppLink() override;

    // Reads the outbox on the disk writer, then connects (and keeps connecting).
    void start();
    void stop();
    CommandRouter &commands() { return m_router; }

    // Into the outbox (in memory at once, on disk through the disk writer), then to every owner: the text, then the
    // picture. A picture that cannot be uploaded is kept on the device and holds up nothing behind it.
    void alert(const QString &text, const QByteArray &jpeg = {});
    void alert(const OutgoingAlert &alert);
    void setStatusText(const QString &text);
    bool isConnected() const;
    // True while the current connection is a resumed XEP-0198 stream: the server kept our session across a broken
    // connection (no new login, no presence broadcast, unacknowledged stanzas resent by QXmpp).
    bool isStreamResumed() const;
    QString serverName() const;
    // The other appliances online on our account (their resources): on a shared account, commands need a keyword.
    QStringList siblings() const { return m_siblings.onlineResources(); }
    // Commands this link forwarded to a sibling (XEP-0297), and owners' messages it dropped as already handled (the
    // server delivered one and a sibling relayed it too).
    int relaysSent() const { return m_relaysSent; }
    int duplicatesDropped() const { return m_duplicatesDropped; }
    // Stanzas from strangers swallowed unanswered (messages, requests, presence), since start.
    int strangerStanzasIgnored() const;
    int pendingAlerts() const;
    int connectAttempts() const;
    // What keeps the link from working, for `status` ("replaced by another client with resource 'garage'; retrying
    // every 5 min"); empty when connected.
    QString connectionProblem() const;
    // For the watchdog: empty while connected, while the outbox is being loaded, while a connect attempt is within
    // its deadline or a retry is scheduled; otherwise what is stuck (also a link not started or stopped).
    QString supervisionProblem(std::chrono::steady_clock::time_point now) const;

    void sendText(const QString &to, const QString &body);
    // The caption as a text message, then body == URL with the same URL as XEP-0066 OOB (phones show it inline).
    // `prefix` ("[garage] " on a shared account) starts the caption and any failure text, not the URL message.
    void sendImage(const QString &to, const QByteArray &jpeg, const QString &caption, const QString &prefix = {});

Q_SIGNALS:
    void connectedChanged(bool connected);
    void alertDelivered(qint64 seq);
    // Writing the outbox (or a picture it keeps) failed: disk full, read-only SD card ... once per failure streak.
    void storageFailed(const QString &reason);
    void storageRecovered();

private:
    void onConnected();
    void onDisconnected();
    void onMessage(const QXmppMessage &message);
    void onPresence(const QXmppPresence &presence);
    QXmppPresence presence() const;
    AddressingContext addressingContext() const;
    StanzaTrust stanzaTrust() const;
    void alignRoster();

    XmppConfig m_config;
    QString m_storageDir;
    std::unique_ptr<QThreadPool> m_ownPool;
    QThreadPool *m_pool;
    std::unique_ptr<QXmppClient> m_client;
    StrangerGate *m_gate = nullptr; // owned by m_client
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<ImageSender> m_images;
    std::unique_ptr<XmppConnection> m_connection;
    std::unique_ptr<AlertDelivery> m_delivery;
    CommandRouter m_router;
    QString m_statusText;
    SiblingDirectory m_siblings; // the other appliances of our account
    RecentMessages m_recent;     // owners' messages handled lately: each is answered once
    int m_relaysSent = 0;
    int m_duplicatesDropped = 0;
    bool m_running = false; // start() called, stop() not since
    bool m_loading = false; // the outbox is being read on the disk writer
};

} // namespace garage
