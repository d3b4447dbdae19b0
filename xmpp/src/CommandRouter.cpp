#include "xmpp/CommandRouter.h"

#include "Logging.h"
#include "xmpp/Jid.h"
#include "xmpp/XmppLink.h"

#include <utility>

namespace garage {

Replier::Replier(XmppLink *link, QString to, QString prefix)
    : m_link(link), m_to(std::move(to)), m_prefix(std::move(prefix))
{
}

void Replier::text(const QString &body) const
{
    if (m_link)
        m_link->sendText(m_to, m_prefix + body);
}

void Replier::image(const QByteArray &jpeg, const QString &caption) const
{
    if (m_link)
        m_link->sendImage(m_to, jpeg, caption, m_prefix);
}

CommandRouter::CommandRouter(int commandsPerMinute)
    : m_perMinute(commandsPerMinute)
{
}

void CommandRouter::add(const QString &name, const QStringList &aliases, const QString &help, CommandHandler handler)
{
    m_commands.append({name.toLower(), aliases, help, std::move(handler)});
}

const CommandRouter::Command *CommandRouter::find(const QString &word) const
{
    for (const Command &c : m_commands)
        if (c.name == word || c.aliases.contains(word, Qt::CaseInsensitive))
            return &c;
    return nullptr;
}

QString CommandRouter::helpText() const
{
    QStringList lines{QStringLiteral("Commands:")};
    for (const Command &c : m_commands)
        lines << QStringLiteral("%1%2 — %3")
                     .arg(c.name, c.aliases.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(c.aliases.join(QLatin1String(", "))),
                          c.help);
    lines << QStringLiteral("help — this list");
    if (m_helpAppendix)
        if (const QString more = m_helpAppendix(); !more.isEmpty())
            lines << QString() << more;
    return lines.join(QLatin1Char('\n'));
}

void CommandRouter::logDropped(const QString &sender, const QString &why, std::chrono::steady_clock::time_point now)
{
    // a flood of bad bodies is one log line a minute per sender, not one each
    SenderWindow &window = m_windows[bareJidOf(sender)];
    if (window.lastDropLog != std::chrono::steady_clock::time_point{} && now - window.lastDropLog < std::chrono::seconds(60)) {
        ++window.droppedUnlogged;
        return;
    }
    const int before = std::exchange(window.droppedUnlogged, 0);
    window.lastDropLog = now;
    qCInfo(lcXmpp).noquote() << "dropped a message from" << sender << "(" + why + ")"
                             << (before > 0 ? QStringLiteral("and %1 more bad ones in the last minute").arg(before) : QString());
}

CommandRouter::Admission CommandRouter::admit(const QString &sender, const Replier &reply, std::chrono::steady_clock::time_point now)
{
    SenderWindow &window = m_windows[bareJidOf(sender)];
    while (!window.recent.empty() && now - window.recent.front() >= std::chrono::seconds(60))
        window.recent.pop_front();
    if (window.recent.empty())
        window.warned = false;
    if (int(window.recent.size()) >= m_perMinute) {
        if (window.warned)
            return Admission::Dropped;
        window.warned = true;
        qCInfo(lcXmpp).noquote() << "rate limit reached for" << bareJidOf(sender);
        reply.text(QStringLiteral("Slow down: at most %1 commands a minute.").arg(m_perMinute));
        return Admission::SlowedDown;
    }
    window.recent.push_back(now);
    return Admission::Admitted;
}

bool CommandRouter::dispatch(const QString &sender, const QString &text, const Replier &reply,
                             std::chrono::steady_clock::time_point now, const QDateTime &receivedAt)
{
    if (const qsizetype bytes = text.toUtf8().size(); bytes > kMaxBodyBytes) {
        logDropped(sender, QStringLiteral("%1 bytes, over 1 KiB").arg(bytes), now);
        return false;
    }
    for (const QChar ch : text)
        if (ch.category() == QChar::Other_Control && ch != QLatin1Char('\n') && ch != QLatin1Char('\t')) {
            logDropped(sender, QStringLiteral("control characters"), now);
            return false;
        }
    if (const Admission a = admit(sender, reply, now); a != Admission::Admitted)
        return a == Admission::SlowedDown;
    const QString trimmed = text.simplified();
    const QString word = trimmed.section(QLatin1Char(' '), 0, 0).toLower();
    const QString arguments = trimmed.section(QLatin1Char(' '), 1);
    const Command *command = find(word);
    if (m_observer)
        m_observer({sender, command ? command->name : word, arguments, receivedAt});
    if (word.isEmpty() || word == QLatin1String("help") || word == QLatin1String("?")) {
        reply.text(helpText());
        return true;
    }
    if (!command) {
        reply.text(QStringLiteral("Unknown command '%1'. Send 'help' for the list.").arg(word.left(32)));
        return true;
    }
    qCInfo(lcXmpp) << "command" << command->name << "from" << sender;
    command->handler({sender, command->name, arguments, receivedAt}, reply);
    return true;
}

} // namespace garage
