// Delivers the outbox to every owner, in order, at least once and exactly once in normal operation: each alert is
// tracked per owner; with XEP-0198 it is delivered when the server acknowledged it, without it when a following ping
// to the server is answered. Every stanza has a stable id (XEP-0359 origin-id and message id) derived from the
// outbox entry, and what QXmpp itself resends after a reconnect (its unacknowledged stanzas, on a resumed or a new
// stream) is not sent again. Alerts delivered late say so and carry a XEP-0203 delay stamp; a long outage is
// summarised in one line. The picture follows the text and never holds up the next alert.
#pragma once

#include "xmpp/Outbox.h"
#include "xmpp/OutgoingAlert.h"
#include "xmpp/XmppConfig.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

class QXmppClient;
class QXmppMessage;

namespace garage {

class ImageSender;

class AlertDelivery : public QObject
{
    Q_OBJECT
public:
    AlertDelivery(QXmppClient &client, ImageSender &images, Outbox &outbox, const XmppConfig &config,
                  QObject *parent = nullptr);

    void add(const OutgoingAlert &alert);
    // A session started: streamManagement is whether XEP-0198 is on for it.
    void onConnected(bool streamManagement);
    int pending() const { return int(m_outbox.entries().size()); }

Q_SIGNALS:
    void delivered(qint64 seq);

private:
    using Confirmed = std::function<void(std::optional<QString> error)>;
    void flush();
    void sendText(const OutboxEntry &entry);
    void sendPicture(const OutboxEntry &entry);
    void sendPictureMessages(qint64 seq, const std::function<QXmppMessage(const QString &owner)> &make);
    void pictureSettled(qint64 seq, bool ok);
    void send(QXmppMessage message, Confirmed done);
    void applyCap();
    void finishIfDone(qint64 seq);
    QString stanzaId(const OutboxEntry &entry, const QString &owner, const char *part) const;
    void retryLater();

    QXmppClient &m_client;
    ImageSender &m_images;
    Outbox &m_outbox;
    XmppConfig m_config;
    QString m_domain;
    qint64 m_textBusy = 0;    // the entry whose text is on its way
    qint64 m_pictureBusy = 0; // the entry whose picture is on its way
    bool m_smActive = false;
    int m_generation = 0;     // bumped when what is on its way can no longer be confirmed (a session without XEP-0198)
    QTimer m_retry;
};

} // namespace garage
