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

// A presence stanza the phone received (subscription requests and answers included).
struct PhonePresence {
    QString from, type, status; // type: available, unavailable, subscribe, subscribed, ...
};

class Phone
{
public:
    ~Phone();
    bool start(const QString &jid, const QString &password, const ProsodyServer &server, QString *error);
    void send(const QString &to, const QString &body);
    // Asks `to` for a presence subscription; its presences then arrive in presences().
    void subscribe(const QString &to);
    QList<PhonePresence> presences() const { return m_presences; }
    QList<PhoneMessage> messages() const { return m_messages; }
    void clear() { m_messages.clear(); }
    // Waits (running the event loop) for a message matching; returns it, or nullopt after timeoutMs.
    std::optional<PhoneMessage> waitFor(const std::function<bool(const PhoneMessage &)> &match, int timeoutMs);
    // Messages matching, after waiting quietMs for stragglers.
    int countAfter(const std::function<bool(const PhoneMessage &)> &match, int quietMs);
    std::expected<QByteArray, QString> download(const QString &url);
    void stop();

private:
    void readEvents();
    std::optional<QJsonObject> waitEvent(const QString &event, int timeoutMs);

    QProcess m_process;
    QByteArray m_buffer;
    QList<PhoneMessage> m_messages;
    QList<PhonePresence> m_presences;
    QList<QJsonObject> m_events;
    QString m_dir;
};

} // namespace garage::test
