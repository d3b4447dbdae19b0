// Whether the appliance can keep what it writes, over every writer (the event store and state file on the storage
// writer, the XMPP outbox): the owner hears "storage problem" once when the first one fails and "storage is back"
// once when none fails any more. No I/O.
#pragma once

#include <QMap>
#include <QString>

namespace garage {

class StorageHealth
{
public:
    // True when this is the first failure (tell the owner).
    bool failed(const QString &source, const QString &reason);
    // True when this was the last failing source (tell the owner it is back).
    bool recovered(const QString &source);
    bool isFailing() const { return !m_failing.isEmpty(); }
    QString problem() const; // the reasons, for `status`

private:
    QMap<QString, QString> m_failing; // source -> reason
};

} // namespace garage
