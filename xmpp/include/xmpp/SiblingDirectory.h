// The other appliances of our account, learnt from its presences: resource, priority and keyword while online; the
// keyword and since when once offline (so that "shed status" can be answered "shed is offline since 14:02"). Pure:
// presence facts and the time come in.
#pragma once

#include "xmpp/Addressing.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace garage {

class SiblingDirectory
{
public:
    // An available presence from our account's resource (keyword: what its presence names, empty when none).
    void online(const QString &resource, int priority, const QString &keyword);
    // An unavailable presence from it.
    void offline(const QString &resource, const QDateTime &at);
    // We start a new session: who is online is unknown until their presences come again; who was already offline
    // stays known.
    void forgetOnline();

    const QList<Sibling> &all() const { return m_siblings; }
    QStringList onlineResources() const;

private:
    QList<Sibling> m_siblings;
};

} // namespace garage
