// Durations as owners type and read them in chat: "30m", "2h", "1h30m", "until 07:00"; "2 h 5 min" for output.
#pragma once

#include <QDateTime>
#include <QString>
#include <chrono>
#include <expected>

namespace garage {

// The end of a mute: "30m", "2h", "1d", "1h30m", "90s", "until 07:00" (the next 07:00). Empty text means 1 hour.
std::expected<QDateTime, QString> parseMuteEnd(const QString &text, const QDateTime &now);

// "45 s", "12 min", "2 h 5 min", "3 d 4 h".
QString formatDuration(std::chrono::seconds duration);

} // namespace garage
