// Weekly quiet hours from `[alerts] mute_schedule`, e.g. "mon-fri 08:30-15:30, sat 10:00-12:00, daily 23:00-06:00".
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <expected>

namespace garage {

class MuteSchedule
{
public:
    // Windows are comma-separated: DAYS HH:MM-HH:MM, DAYS being a day (mon), a range (mon-fri), a list (sat+sun) or
    // "daily". A window may cross midnight (22:00-06:00 belongs to the day it starts on).
    static std::expected<MuteSchedule, QString> parse(const QString &text);

    bool isEmpty() const { return m_windows.isEmpty(); }
    bool isMuted(const QDateTime &localTime) const;
    QString toString() const;

private:
    struct Window {
        quint8 days = 0;    // bit 0 = Monday ... bit 6 = Sunday
        int fromMinute = 0; // minutes since midnight
        int toMinute = 0;
        QString text;
    };
    QList<Window> m_windows;
};

} // namespace garage
