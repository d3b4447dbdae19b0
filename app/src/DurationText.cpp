#include "app/DurationText.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace garage {

std::expected<QDateTime, QString> parseMuteEnd(const QString &text, const QDateTime &now)
{
    const QString s = text.trimmed().toLower();
    if (s.isEmpty())
        return now.addSecs(3600);
    if (s.startsWith(QLatin1String("until "))) {
        const QTime at = QTime::fromString(s.mid(6).trimmed(), QStringLiteral("H:mm"));
        if (!at.isValid())
            return std::unexpected(QStringLiteral("'%1' is not a time like 07:00").arg(s.mid(6).trimmed()));
        QDateTime end(now.date(), at, now.timeZone());
        if (end <= now)
            end = end.addDays(1);
        return end;
    }
    static const QRegularExpression part(QStringLiteral("(\\d+)\\s*(days?|hours?|minutes?|mins?|seconds?|secs?|d|h|m|s)(?![a-z])"));
    constexpr qint64 kMaxSeconds = 30LL * 86400;
    qint64 seconds = 0;
    bool tooLong = false;
    qsizetype consumed = 0;
    for (auto it = part.globalMatch(s); it.hasNext();) {
        const auto match = it.next();
        if (match.capturedStart() != consumed)
            break;
        consumed = match.capturedEnd();
        while (consumed < s.size() && s.at(consumed).isSpace())
            ++consumed;
        const QChar unit = match.captured(2).front(); // d(ays), h(ours), m(in), s(ec)
        const qint64 perUnit = unit == QLatin1Char('d') ? 86400 : unit == QLatin1Char('h') ? 3600 : unit == QLatin1Char('s') ? 1 : 60;
        // bounded before multiplying: "213503982334602d" would overflow 64 bits (undefined) and wrap to 17 h;
        // a number beyond 64 bits does not convert at all
        bool converted = false;
        const qint64 n = match.captured(1).toLongLong(&converted);
        if (!converted || n > kMaxSeconds / perUnit || seconds + n * perUnit > kMaxSeconds)
            tooLong = true;
        else
            seconds += n * perUnit;
    }
    if (consumed != s.size() || (seconds <= 0 && !tooLong))
        return std::unexpected(QStringLiteral("'%1' is not a duration like 30m, 2h, 1h30m or 'until 07:00'").arg(s));
    if (tooLong)
        return std::unexpected(QStringLiteral("at most 30 days"));
    return now.addSecs(seconds);
}

QString formatDuration(std::chrono::seconds duration)
{
    const qint64 s = std::max<qint64>(0, duration.count());
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min").arg(s / 60);
    if (s < 86400)
        return s % 3600 / 60 ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60)
                             : QStringLiteral("%1 h").arg(s / 3600);
    return s % 86400 / 3600 ? QStringLiteral("%1 d %2 h").arg(s / 86400).arg(s % 86400 / 3600)
                            : QStringLiteral("%1 d").arg(s / 86400);
}

} // namespace garage
