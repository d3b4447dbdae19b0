#include "AlertDelivery.h"

#include "ImageSender.h"
#include "Logging.h"
#include "xmpp/DeliveryRules.h"

#include <QCryptographicHash>
#include <QDomElement>
#include <QXmppClient.h>
#include <QXmppError.h>
#include <QXmppMessage.h>
#include <QXmppPingIq.h>
#include <QXmppTask.h>

#include <memory>

using namespace std::chrono_literals;

namespace garage {
namespace {

struct Progress {
    int waiting = 0;
    bool failed = false;
};

} // namespace

AlertDelivery::AlertDelivery(QXmppClient &client, ImageSender &images, Outbox &outbox, const XmppConfig &config,
                             QObject *parent)
    : QObject(parent),
      m_client(client),
      m_images(images),
      m_outbox(outbox),
      m_config(config),
      m_domain(config.jid.section(QLatin1Char('@'), 1))
{
    m_retry.setSingleShot(true);
    m_retry.setInterval(5s);
    connect(&m_retry, &QTimer::timeout, this, &AlertDelivery::flush);
}

void AlertDelivery::add(const OutgoingAlert &alert)
{
    OutboxEntry e;
    e.text = alert.text;
    e.owners = m_config.owners;
    if (alert.jpeg.isEmpty())
        e.picture = alert.picture; // referred to, never copied
    e.happenedAt = alert.happenedAt;
    e = m_outbox.add(e, alert.jpeg);
    qCInfo(lcXmpp) << "alert" << e.seq << "queued" << (e.picture.isEmpty() ? "" : "with picture") << e.id;
    applyCap();
    flush();
}

void AlertDelivery::onConnected(bool streamManagement)
{
    if (!streamManagement) {
        // nothing on its way can be confirmed by this session: no acknowledgements, and an older session's pings and
        // unacknowledged stanzas are gone (QXmpp resends its unacknowledged stanzas only when XEP-0198 is on again)
        ++m_generation;
        m_textBusy = 0;
        m_pictureBusy = 0;
    }
    m_smActive = streamManagement;
    applyCap();
    flush();
}

QString AlertDelivery::stanzaId(const OutboxEntry &entry, const QString &owner, const char *part) const
{
    const QByteArray who = QCryptographicHash::hash(owner.toLower().toUtf8(), QCryptographicHash::Sha1).toHex().left(8);
    return entry.id + QLatin1Char('.') + QLatin1String(part) + QLatin1Char('.') + QString::fromLatin1(who);
}

void AlertDelivery::retryLater()
{
    if (!m_retry.isActive())
        m_retry.start();
}

void AlertDelivery::flush()
{
    if (!m_client.isConnected())
        return;
    if (m_textBusy == 0)
        for (const OutboxEntry &e : m_outbox.entries())
            if (!e.owners.isEmpty()) {
                sendText(e);
                break;
            }
    if (m_pictureBusy == 0)
        for (const OutboxEntry &e : m_outbox.entries())
            if (e.owners.isEmpty() && e.picturePending()) {
                sendPicture(e);
                break;
            }
}

void AlertDelivery::send(QXmppMessage message, Confirmed done)
{
    const int generation = m_generation;
    m_client.send(std::move(message)).then(this, [this, generation, done](QXmpp::SendResult &&result) {
        if (generation != m_generation)
            return;
        const auto *error = std::get_if<QXmppError>(&result);
        const bool acknowledged = !error && std::get<QXmpp::SendSuccess>(result).acknowledged;
        switch (sendOutcome(error != nullptr, acknowledged)) {
        case SendOutcome::Failed: done(error->description); return;
        case SendOutcome::Delivered: done(std::nullopt); return;
        case SendOutcome::NeedsPing: break;
        }
        // without XEP-0198: the server answering a ping sent after the message has read the message too
        QXmppPingIq ping;
        ping.setTo(m_domain);
        m_client.sendIq(std::move(ping)).then(this, [this, generation, done](QXmppClient::IqResult &&answer) {
            if (generation != m_generation)
                return;
            const auto *error = std::get_if<QXmppError>(&answer);
            if (error && !error->holdsType<QXmppStanza::Error>()) // an error reply is an answer too
                done(QStringLiteral("no answer to the ping after it: %1").arg(error->description));
            else
                done(std::nullopt);
        });
    });
}

void AlertDelivery::sendText(const OutboxEntry &entry)
{
    const qint64 seq = entry.seq;
    m_textBusy = seq;
    {
        OutboxEntry counted = entry; // a crash from here on makes the next run's send a possible repeat, and say so
        ++counted.attempts;
        if (OutboxEntry *e = m_outbox.find(seq))
            e->attempts = counted.attempts;
        m_outbox.save(counted);
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString late = entry.droppedCount > 0 ? QString() : lateNote(entry.happenedAt, now);
    const QString body = (entry.mayRepeat ? QStringLiteral("(resent, may be a repeat) ") : QString()) + entry.text + late;
    auto progress = std::make_shared<Progress>();
    const QStringList owners = entry.owners;
    for (const QString &owner : owners) {
        QXmppMessage m = chatMessage(owner, body);
        const QString id = stanzaId(entry, owner, "t");
        m.setId(id);
        m.setOriginId(id);
        m.setReceiptRequested(true);
        if (!late.isEmpty())
            m.setStamp(entry.happenedAt); // XEP-0203: when it happened
        ++progress->waiting;
        send(std::move(m), [this, seq, owner, progress](std::optional<QString> error) {
            --progress->waiting;
            if (error) {
                progress->failed = true;
                qCInfo(lcXmpp).noquote() << "alert" << seq << "to" << owner << "not confirmed:" << *error;
            } else if (OutboxEntry *e = m_outbox.find(seq)) {
                e->owners.removeAll(owner);
                qCInfo(lcXmpp) << "alert" << seq << "delivered to" << owner;
                if (!e->isDone())
                    m_outbox.save(*e);
            }
            if (progress->waiting > 0)
                return;
            m_textBusy = 0;
            if (progress->failed) {
                retryLater();
                return;
            }
            finishIfDone(seq);
            flush();
        });
    }
}

void AlertDelivery::finishIfDone(qint64 seq)
{
    const OutboxEntry *e = m_outbox.find(seq);
    if (!e || !e->isDone())
        return;
    m_outbox.remove(seq);
    Q_EMIT delivered(seq);
}

void AlertDelivery::sendPicture(const OutboxEntry &entry)
{
    const qint64 seq = entry.seq;
    const int generation = m_generation;
    m_pictureBusy = seq;
    m_outbox.readPicture(entry, [this, seq, generation](std::expected<QByteArray, QString> jpeg) {
        if (generation != m_generation || m_pictureBusy != seq)
            return;
        if (!jpeg) {
            qCWarning(lcXmpp).noquote() << "alert" << seq << ":" << jpeg.error();
            const QString note = QStringLiteral("(no picture: %1)").arg(jpeg.error());
            sendPictureMessages(seq, [note](const QString &owner) { return chatMessage(owner, note); });
            return;
        }
        m_images.upload(*jpeg, [this, seq, generation, bytes = *jpeg](std::expected<QUrl, QString> url) {
            if (generation != m_generation || m_pictureBusy != seq)
                return;
            if (url) {
                sendPictureMessages(seq, [url = *url](const QString &owner) { return pictureMessage(owner, url); });
                return;
            }
            m_images.keepUndelivered(bytes, url.error(), [this, seq, generation, why = url.error()](bool kept, const QString &name) {
                if (generation != m_generation || m_pictureBusy != seq)
                    return;
                const QString note = kept ? QStringLiteral("(no picture: %1; it is kept on the appliance as %2)").arg(why, name)
                                          : QStringLiteral("(no picture: %1; it could not be kept on the appliance either: %2)").arg(why, name);
                sendPictureMessages(seq, [note](const QString &owner) { return chatMessage(owner, note); });
            });
        });
    });
}

void AlertDelivery::sendPictureMessages(qint64 seq, const std::function<QXmppMessage(const QString &)> &make)
{
    const OutboxEntry *entry = m_outbox.find(seq);
    if (!entry || !m_client.isConnected()) {
        pictureSettled(seq, false);
        return;
    }
    auto progress = std::make_shared<Progress>();
    const OutboxEntry copy = *entry;
    for (const QString &owner : copy.pictureOwners) { // only the owners it has not reached yet
        QXmppMessage m = make(owner);
        const QString id = stanzaId(copy, owner, "p");
        m.setId(id);
        m.setOriginId(id);
        ++progress->waiting;
        send(std::move(m), [this, seq, owner, progress](std::optional<QString> error) {
            --progress->waiting;
            if (error) {
                progress->failed = true;
                qCInfo(lcXmpp).noquote() << "picture of alert" << seq << "to" << owner << "not confirmed:" << *error;
            } else if (OutboxEntry *e = m_outbox.find(seq)) {
                e->pictureOwners.removeAll(owner);
                qCInfo(lcXmpp) << "picture of alert" << seq << "delivered to" << owner;
                if (!e->isDone())
                    m_outbox.save(*e);
            }
            if (progress->waiting == 0)
                pictureSettled(seq, !progress->failed);
        });
    }
    if (progress->waiting == 0)
        pictureSettled(seq, true);
}

void AlertDelivery::pictureSettled(qint64 seq, bool ok)
{
    if (m_pictureBusy == seq)
        m_pictureBusy = 0;
    if (!ok) {
        retryLater(); // to the owners it has not reached, only
        return;
    }
    finishIfDone(seq);
    flush();
}

void AlertDelivery::applyCap()
{
    QList<OutboxItem> items;
    for (const OutboxEntry &e : m_outbox.entries())
        if (e.droppedCount == 0)
            items << OutboxItem{e.seq, e.happenedAt, e.seq == m_textBusy || e.seq == m_pictureBusy};
    const QList<qint64> drop = alertsToDrop(items, m_config.outboxMaxAlerts, m_config.outboxMaxAge,
                                            QDateTime::currentDateTimeUtc());
    if (drop.isEmpty())
        return;
    OutboxEntry summary;
    for (const OutboxEntry &e : m_outbox.entries())
        if (e.droppedCount > 0 && e.seq != m_textBusy) {
            summary = e; // one line for the whole outage: merged
            break;
        }
    if (summary.droppedCount > 0)
        m_outbox.remove(summary.seq);
    for (const qint64 seq : drop) {
        const OutboxEntry *e = m_outbox.find(seq);
        const QDateTime when = e->happenedAt;
        if (!summary.droppedFirst.isValid() || when < summary.droppedFirst)
            summary.droppedFirst = when;
        if (!summary.droppedLast.isValid() || when > summary.droppedLast)
            summary.droppedLast = when;
        ++summary.droppedCount;
        summary.seq = std::max(summary.seq, seq);
        m_outbox.remove(seq);
    }
    summary.id = QStringLiteral("gg-dropped-%1-%2").arg(summary.seq).arg(summary.droppedCount);
    summary.text = droppedSummary(summary.droppedCount, summary.droppedFirst, summary.droppedLast);
    summary.owners = m_config.owners;
    summary.picture.clear();
    summary.ownPicture = false;
    summary.pictureOwners.clear();
    summary.created = summary.happenedAt = QDateTime::currentDateTimeUtc();
    qCWarning(lcXmpp).noquote() << "outbox full or stale:" << summary.text;
    m_outbox.insertSorted(summary);
}

} // namespace garage
