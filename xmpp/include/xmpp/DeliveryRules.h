// The pure rules of alert delivery: when a send counts as delivered, what an alert delivered late says, what a full
// outbox drops and the one line that says so. No I/O, no clock of its own.
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include <chrono>

namespace garage {

// What a finished send means. With XEP-0198 the server's acknowledgement delivers; without it, only the answer to a
// following ping proves the server read the stream that far (bytes written into a dead socket prove nothing).
enum class SendOutcome { Delivered, NeedsPing, Failed };
SendOutcome sendOutcome(bool failed, bool acknowledged);

// Later than this after it happened, an alert says it is late.
inline constexpr std::chrono::minutes kLateAfter{2};

// "45 s", "12 min", "2 h", "2 h 5 min", "3 days"
QString describeDuration(std::chrono::seconds duration);
// " — sent 2 h late, the server was unreachable", or empty when delivered within kLateAfter.
QString lateNote(const QDateTime &happenedAt, const QDateTime &now);

struct OutboxItem {
    qint64 seq = 0;
    QDateTime happenedAt;
    bool busy = false; // being sent right now: not dropped
};
// Which alerts a full or stale outbox drops (oldest first): beyond maxAlerts the oldest, and all older than maxAge.
QList<qint64> alertsToDrop(const QList<OutboxItem> &oldestFirst, int maxAlerts, std::chrono::hours maxAge,
                           const QDateTime &now);
// "12 older alerts from 03:10–05:40 were dropped while the server was unreachable" (times in local time).
QString droppedSummary(int count, const QDateTime &first, const QDateTime &last);

} // namespace garage
