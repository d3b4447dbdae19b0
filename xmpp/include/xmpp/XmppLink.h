// The appliance's XMPP connection: TLS with verified certificates, reconnect with backoff, presence and priority,
// owner-only commands addressed to this appliance on a shared account, snapshots via HTTP upload + OOB, and alerts
// that go through a durable outbox and leave it only when the server acknowledged them.
#pragma once

#include "xmpp/Addressing.h"
#include "xmpp/CommandRouter.h"
#include "xmpp/Outbox.h"
#include "xmpp/XmppConfig.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <expected>
#include <memory>

class QThreadPool;
class QXmppClient;
class QXmppMessage;
class QXmppPresence;
class QXmppError;

namespace garage {

class Uploader;

// An alert as the appliance hands it over: the text, and a picture either already on disk (picture: a path relative to
// the storage dir, e.g. "snapshots/000012.jpg", referred to and never copied) or as bytes the outbox keeps itself.
struct OutgoingAlert {
    QString text;
    QString picture;
    QByteArray jpeg;
    QDateTime happenedAt; // when what it reports happened (UTC); null: now
};

class XmppLink : public QObject
{
    Q_OBJECT
public:
    // diskWriter: the appliance's one disk-writing thread (a QThreadPool of one); null: the link makes its own.
    XmppLink(const XmppConfig &config, const QString &storageDir, QThreadPool *diskWriter = nullptr,
             QObject *parent = nullptr);
    ~XmppLink() override;

    void start();
    void stop();
    CommandRouter &commands() { return m_router; }

    // Written to the outbox before anything is sent; to every owner; the text, then the picture.
    void alert(const QString &text, const QByteArray &jpeg = {});
    void alert(const OutgoingAlert &alert);
    void setStatusText(const QString &text);
    bool isConnected() const;
    // True while the current connection is a resumed XEP-0198 stream: the server kept our session across a broken
    // connection (no new login, no presence broadcast, unacknowledged stanzas resent by QXmpp).
    bool isStreamResumed() const;
    QString serverName() const;
    int pendingAlerts() const { return int(m_outbox.pending().size()); }
    // What keeps the link from working, for `status` ("replaced by another client with resource 'garage'; retrying
    // every 5 min"); empty when connected or simply reconnecting.
    QString connectionProblem() const;
    // For the watchdog: empty while connected or actively reconnecting; otherwise what is stuck.
    QString supervisionProblem(std::chrono::steady_clock::time_point now) const;

    void sendText(const QString &to, const QString &body);
    // The caption as a text message, then body == URL with the same URL as XEP-0066 OOB (phones show it inline).
    // `prefix` ("[garage] " on a shared account) starts the caption and any failure text, not the URL message.
    void sendImage(const QString &to, const QByteArray &jpeg, const QString &caption, const QString &prefix = {});

Q_SIGNALS:
    void connectedChanged(bool connected);
    void fatalError(const QString &reason);
    void alertDelivered(qint64 seq);
    // Writing the outbox (or a picture it keeps) failed: disk full, read-only SD card ... once per failure streak.
    void storageFailed(const QString &reason);
    void storageRecovered();

private:
    void connectNow();
    void scheduleReconnect();
    void onConnected();
    void onDisconnected();
    void onError(const QXmppError &error);
    void onMessage(const QXmppMessage &message);
    void onPresence(const QXmppPresence &presence);
    void flushOutbox();
    QXmppPresence presence() const;
    AddressingContext addressingContext() const;
    QString readPassword() const;
    // Saves a picture that could not be sent under <storage>/undelivered and logs why and where; returns its name
    // relative to the storage.
    std::expected<QString, QString> keepUndelivered(const QByteArray &jpeg, const QString &whyNotSent) const;

    XmppConfig m_config;
    QString m_storageDir;
    std::unique_ptr<QXmppClient> m_client;
    std::unique_ptr<Uploader> m_uploader;
    CommandRouter m_router;
    Outbox m_outbox;
    QString m_statusText;
    QStringList m_siblings; // other online resources of our account
    bool m_running = false;
    bool m_fatal = false;
    int m_failures = 0;
    QTimer m_reconnect;
    bool m_delivering = false;
    int m_generation = 0; // bumped on a new session: acknowledgements of an older one are ignored
};

} // namespace garage
