// Credentials in camera URLs (rtsp://user:password@host/…, http://token@host/…) never reach a log line, a status
// reply, --check-config or an error message: every text that may hold a source URL goes through maskUrlCredentials.
#pragma once

#include <QString>

namespace garage {

// `text` with the user-info of every URL in it masked: "rtsp://user:pw@cam/x" -> "rtsp://user:***@cam/x",
// "http://token@cam/x" -> "http://***@cam/x". The user-info is taken to run up to the last '@' of the line, so a
// password holding '/', '@' or spaces is masked whole (at worst a '@' later in the line masks more than needed).
QString maskUrlCredentials(const QString &text);

} // namespace garage
