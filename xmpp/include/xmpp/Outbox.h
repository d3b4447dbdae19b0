// Alerts not yet acknowledged by the server, kept on disk (one JSON file per alert, its picture beside it, written
// atomically) so that nothing accepted is lost to an outage, a crash or a restart. Delivered in order.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace garage {

struct OutboxEntry {
    qint64 seq = 0;
    QString text;
    bool hasImage = false;
    int attempts = 0;     // sends started before; > 0 means a resend may duplicate
    QDateTime created;
};

class Outbox
{
public:
    explicit Outbox(const QString &directory);

    bool open(QString *error);                 // loads what an earlier run left
    OutboxEntry add(const QString &text, const QByteArray &jpeg);
    QList<OutboxEntry> pending() const { return m_entries; }
    bool isEmpty() const { return m_entries.isEmpty(); }
    void markAttempt(qint64 seq);
    void remove(qint64 seq);
    QByteArray image(qint64 seq) const;

private:
    QString path(qint64 seq, const char *suffix) const;
    void write(const OutboxEntry &entry);

    QString m_dir;
    QList<OutboxEntry> m_entries; // oldest first
    qint64 m_nextSeq = 1;
};

} // namespace garage
