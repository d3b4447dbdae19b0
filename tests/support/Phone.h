// The owner's phone in a test: tests/support/phone.py (slixmpp) driven over JSON lines. Messages it receives are
// collected; waitFor() spins the event loop until one matches.
#pragma once

#include "ProsodyServer.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QProcess>

#include <expected>
#include <functional>

namespace garage::test {

struct PhoneMessage {
    QString from, to, body, oobUrl;
    bool delayed = false;
    QDateTime received;
};

// A presence stanza the phone received; type as slixmpp names it (available, away, unavailable, subscribed, ...).
struct PhonePresence {
    QString from, type, status;
};

// Any stanza from the account given to start() as recordFrom: a reply, a receipt, an iq result or error, a presence.
struct PhoneStanza {
    QString from, tag, type, id, xml;
};

class Phone
{
public:
    ~Phone();
    // recordFrom: a bare JID whose every stanza is recorded (stanzas()), as a stranger would see the appliance.
    bool start(const QString &jid, const QString &password, const ProsodyServer &server, QString *error,
               const QString &recordFrom = {});
    void send(const QString &to, const QString &body);
    // Writes a stanza as it is (the server still stamps its "from"): what no ordinary client sends.
    void sendRaw(const QString &xml);
    // The full JID the phone is bound to (after start()).
    QString jid() const { return m_jid; }
    QList<PhoneMessage> messages() const { return m_messages; }
    void clear() { m_messages.clear(); }
    // Waits (running the event loop) for a message matching; returns it, or nullopt after timeoutMs.
    std::optional<PhoneMessage> waitFor(const std::function<bool(const PhoneMessage &)> &match, int timeoutMs);
    // Messages matching, after waiting quietMs for stragglers.
    int countAfter(const std::function<bool(const PhoneMessage &)> &match, int quietMs);
    std::expected<QByteArray, QString> download(const QString &url);
    // Asks bareJid for a presence subscription (what "add contact" does on a phone).
    void subscribe(const QString &bareJid);
    QList<PhonePresence> presences() const { return m_presences; }
    std::optional<PhonePresence> waitForPresence(const std::function<bool(const PhonePresence &)> &match, int timeoutMs);
    void stop();

    // What a curious stranger asks `to` (receipts, version, time, disco, ping, vCard, last, a roster set, a presence
    // probe and a subscription); the ids of the requests (all "probe-...").
    QStringList probe(const QString &to);
    // count random messages to the targets (phone.py's flood_stanzas); returns the bytes sent, -1 if it failed.
    qint64 flood(const QStringList &targets, int count, int seed, int maxBytes = 65536, int timeoutMs = 300000);
    // Pings the server and waits for the answer: everything sent before has been handled (routed) by the server.
    bool sync(int timeoutMs = 300000);
    const QList<PhoneStanza> &stanzas() const { return m_stanzas; }
    std::optional<PhoneStanza> waitForStanza(const std::function<bool(const PhoneStanza &)> &match, int timeoutMs);

private:
    void readEvents();
    std::optional<QJsonObject> waitEvent(const QString &event, int timeoutMs);
    void command(const QJsonObject &cmd);

    QProcess m_process;
    QByteArray m_buffer;
    QList<PhoneMessage> m_messages;
    QList<PhonePresence> m_presences;
    QList<PhoneStanza> m_stanzas;
    QList<QJsonObject> m_events;
    QString m_dir;
    QString m_jid;
};

} // namespace garage::test
