#include "app/MuteSchedule.h"

#include <QRegularExpression>

namespace garage {
namespace {

const QStringList kDayNames = {QStringLiteral("mon"), QStringLiteral("tue"), QStringLiteral("wed"),
                               QStringLiteral("thu"), QStringLiteral("fri"), QStringLiteral("sat"),
                               QStringLiteral("sun")};

std::expected<quint8, QString> parseDays(const QString &text)
{
    if (text == QLatin1String("daily") || text == QLatin1String("every"))
        return quint8(0x7f);
    quint8 days = 0;
    for (const QString &part : text.split(QLatin1Char('+'))) {
        const QStringList range = part.split(QLatin1Char('-'));
        const qsizetype first = kDayNames.indexOf(range.first().left(3));
        const qsizetype last = kDayNames.indexOf(range.last().left(3));
        if (range.size() > 2 || first < 0 || last < 0)
            return std::unexpected(QStringLiteral("'%1' is not a day, a range like mon-fri, or daily").arg(part));
        for (qsizetype d = first;; d = (d + 1) % 7) {
            days |= quint8(1u << d);
            if (d == last)
                break;
        }
    }
    return days;
}

std::expected<int, QString> parseClock(const QString &text)
{
    const QTime time = QTime::fromString(text, QStringLiteral("H:mm"));
    if (!time.isValid())
        return std::unexpected(QStringLiteral("'%1' is not a time like 08:30").arg(text));
    return time.hour() * 60 + time.minute();
}

} // namespace

std::expected<MuteSchedule, QString> MuteSchedule::parse(const QString &text)
{
    static const QRegularExpression windowPattern(QStringLiteral("^(\\S+)\\s+(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})$"));
    MuteSchedule schedule;
    for (const QString &raw : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString item = raw.trimmed().toLower();
        if (item.isEmpty())
            continue;
        const auto match = windowPattern.match(item);
        if (!match.hasMatch())
            return std::unexpected(QStringLiteral("'%1' is not 'DAYS HH:MM-HH:MM' (e.g. mon-fri 08:30-15:30)").arg(item));
        const auto days = parseDays(match.captured(1));
        if (!days)
            return std::unexpected(days.error());
        const auto from = parseClock(match.captured(2));
        const auto to = parseClock(match.captured(3));
        if (!from || !to)
            return std::unexpected(!from ? from.error() : to.error());
        if (*from == *to)
            return std::unexpected(QStringLiteral("'%1' is an empty window").arg(item));
        schedule.m_windows << Window{*days, *from, *to, item};
    }
    return schedule;
}

bool MuteSchedule::isMuted(const QDateTime &localTime) const
{
    const int today = localTime.date().dayOfWeek() - 1; // 0 = Monday
    const int yesterday = (today + 6) % 7;
    const int minute = localTime.time().hour() * 60 + localTime.time().minute();
    for (const Window &w : m_windows) {
        if (w.fromMinute < w.toMinute) {
            if ((w.days & (1u << today)) && minute >= w.fromMinute && minute < w.toMinute)
                return true;
        } else { // crosses midnight: the evening part belongs to today, the morning part to yesterday's window
            if ((w.days & (1u << today)) && minute >= w.fromMinute)
                return true;
            if ((w.days & (1u << yesterday)) && minute < w.toMinute)
                return true;
        }
    }
    return false;
}

QString MuteSchedule::toString() const
{
    QStringList parts;
    for (const Window &w : m_windows)
        parts << w.text;
    return parts.join(QLatin1String(", "));
}

} // namespace garage
