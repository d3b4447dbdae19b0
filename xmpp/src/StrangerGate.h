// The first thing every stanza meets: anyone who is not an owner, our own account or our server gets nothing at all.
// QXmpp answers iq requests nobody handles with an error, and its managers answer receipts, version and time queries
// from anyone. A stranger's reply, even an error, says that the appliance is online and what its resource is: so a
// stranger's stanza is swallowed here, before any manager or QXmpp itself sees it.
#pragma once

#include <QHash>
#include <QStringList>
#include <QXmppClientExtension.h>

#include <chrono>

namespace garage {

// Who may reach the appliance, and whether `from` (a JID as written in a stanza) is one of them.
struct StanzaTrust {
    QString ownBareJid;   // lower case: our account (siblings, roster pushes, carbons)
    QString domain;       // lower case: our server, and its components (upload.domain...)
    QStringList owners;   // lower-case bare JIDs

    bool trusted(const QString &from) const;
};

class StrangerGate : public QXmppClientExtension
{
    Q_OBJECT
public:
    explicit StrangerGate(StanzaTrust trust) : m_trust(std::move(trust)) {}
    void setTrust(StanzaTrust trust) { m_trust = std::move(trust); }

    bool handleStanza(const QDomElement &stanza) override;

    int swallowed() const { return m_swallowed; }

private:
    void noteStranger(const QString &bare, const QString &what);

    StanzaTrust m_trust;
    int m_swallowed = 0;
    // when each stranger was last logged: one line a day each, at most kMaxRemembered strangers remembered
    QHash<QString, std::chrono::steady_clock::time_point> m_logged;
};

} // namespace garage
