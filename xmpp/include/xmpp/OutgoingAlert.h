// An alert as the appliance hands it to the XMPP link.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace garage {

// The text, and a picture either already on disk (picture: a path relative to the storage dir, e.g.
// "snapshots/000012.jpg", referred to and never copied) or as bytes the outbox keeps itself.
struct OutgoingAlert {
    QString text;
    QString picture;
    QByteArray jpeg;
    QDateTime happenedAt; // when what it reports happened (UTC); null: now
};

} // namespace garage
