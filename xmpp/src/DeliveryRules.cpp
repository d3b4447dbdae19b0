#include "xmpp/DeliveryRules.h"

using namespace std::chrono_literals;

namespace garage {

SendOutcome sendOutcome(bool failed, bool acknowledged)
{
    if (failed)
        return SendOutcome::Failed;
    return acknowledged ? SendOutcome::Delivered : SendOutcome::NeedsPing;
}

QString describeDuration(std::chrono::seconds d)
{
    if (d < 0s)
        d = 0s;
    if (d < 60s)
        return QStringLiteral("%1 s").arg(d.count());
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(d).count();
    if (minutes < 60)
        return QStringLiteral("%1 min").arg(minutes);
    const auto hours = minutes / 60;
    if (hours < 48) {
        const auto rest = minutes % 60;
        return rest == 0 || hours >= 10 ? QStringLiteral("%1 h").arg(hours) : QStringLiteral("%1 h %2 min").arg(hours).arg(rest);
    }
    return QStringLiteral("%1 days").arg(hours / 24);
}

QString lateNote(const QDateTime &happenedAt, const QDateTime &now)
{
    if (!happenedAt.isValid() || !now.isValid())
        return {};
    const std::chrono::seconds late{happenedAt.secsTo(now)};
    if (late <= kLateAfter)
        return {};
    return QStringLiteral(" — sent %1 late, the server was unreachable").arg(describeDuration(late));
}

QList<qint64> alertsToDrop(const QList<OutboxItem> &oldestFirst, int maxAlerts, std::chrono::hours maxAge,
                           const QDateTime &now)
{
    QList<qint64> drop;
    qsizetype kept = oldestFirst.size();
    for (const OutboxItem &item : oldestFirst) {
        if (item.busy)
            continue;
        const bool tooMany = maxAlerts > 0 && kept > maxAlerts;
        const bool tooOld = item.happenedAt.isValid() && now.isValid()
            && std::chrono::seconds(item.happenedAt.secsTo(now)) > maxAge;
        if (tooMany || tooOld) {
            drop << item.seq;
            --kept;
        }
    }
    return drop;
}

QString droppedSummary(int count, const QDateTime &first, const QDateTime &last)
{
    const QString from = first.toLocalTime().toString(QStringLiteral("HH:mm"));
    const QString to = last.toLocalTime().toString(QStringLiteral("HH:mm"));
    const QString span = from == to ? QStringLiteral("at %1").arg(from) : QStringLiteral("from %1–%2").arg(from, to);
    return count == 1 ? QStringLiteral("1 older alert %1 was dropped while the server was unreachable").arg(span)
                      : QStringLiteral("%1 older alerts %2 were dropped while the server was unreachable").arg(count).arg(span);
}

} // namespace garage
