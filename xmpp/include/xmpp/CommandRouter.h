// The table of chat commands the app registers (name, aliases, one-line help, handler): case-insensitive, trimmed;
// `help` lists them; unknown commands get a short hint; oversized or binary bodies are dropped; each sender is
// limited to N commands a minute (then one "slow down").
#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <chrono>
#include <deque>
#include <functional>

namespace garage {

class XmppLink;

struct CommandRequest {
    QString sender;    // full JID
    QString name;      // canonical command name
    QString arguments; // the rest of the line
    QDateTime receivedAt; // UTC, when an appliance of ours received it (a sibling's relay stamp); invalid: unknown
};

// Answers one command. Copyable; after the link is gone its calls do nothing.
class Replier
{
public:
    Replier() = default;
    Replier(XmppLink *link, QString to, QString prefix);
    void text(const QString &body) const;
    void image(const QByteArray &jpeg, const QString &caption) const;
    QString to() const { return m_to; }

private:
    QPointer<XmppLink> m_link;
    QString m_to;
    QString m_prefix;
};

using CommandHandler = std::function<void(const CommandRequest &, const Replier &)>;

class CommandRouter
{
public:
    static constexpr qsizetype kMaxBodyBytes = 1024;

    explicit CommandRouter(int commandsPerMinute = 10);

    void add(const QString &name, const QStringList &aliases, const QString &help, CommandHandler handler);
    // Runs the command in text for sender; replies through reply. Returns false when the text was dropped
    // (oversized, control characters, rate-limited without a reply). now: the steady clock (a Pi's wall clock steps
    // after boot, which must neither lift nor extend the limit).
    // receivedAt: when the message reached us or the sibling that relayed it (CommandRequest::receivedAt).
    bool dispatch(const QString &sender, const QString &text, const Replier &reply, std::chrono::steady_clock::time_point now,
                  const QDateTime &receivedAt = {});
    // Called with every message taken as a command (known or not, `help` too) before it runs: a rule that waits for
    // the owner's next message (a confirmation) learns that another one came.
    void setObserver(std::function<void(const CommandRequest &)> observer) { m_observer = std::move(observer); }
    // Counts one message of sender against its limit: Admitted if it may be acted on (answered, relayed). Past the
    // limit: SlowedDown once per window (the "slow down" reply was sent), Dropped after that. Every answer to an
    // owner goes through here, not only commands (a hint, "shed is offline", a relay), so that a flood gets at most
    // N answers a minute whatever it contains.
    enum class Admission { Admitted, SlowedDown, Dropped };
    Admission admit(const QString &sender, const Replier &reply, std::chrono::steady_clock::time_point now);
    QString helpText() const;
    // A paragraph `help` adds after the commands when it returns text (the appliances on a shared account).
    void setHelpAppendix(std::function<QString()> appendix) { m_helpAppendix = std::move(appendix); }

private:
    struct Command {
        QString name;
        QStringList aliases;
        QString help;
        CommandHandler handler;
    };
    struct SenderWindow {
        std::deque<std::chrono::steady_clock::time_point> recent;
        bool warned = false;
        int droppedUnlogged = 0; // bad bodies dropped since the last log line (one line per window)
        std::chrono::steady_clock::time_point lastDropLog{};
    };
    void logDropped(const QString &sender, const QString &why, std::chrono::steady_clock::time_point now);
    const Command *find(const QString &word) const;

    QList<Command> m_commands;
    int m_perMinute;
    QHash<QString, SenderWindow> m_windows;
    std::function<QString()> m_helpAppendix;
    std::function<void(const CommandRequest &)> m_observer;
};

} // namespace garage
