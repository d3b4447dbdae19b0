// One temperature measurement and how far to trust it.
#pragma once

#include <QDateTime>
#include <QString>
#include <chrono>

namespace garage {

struct TemperatureReading {
    enum class Quality { Ok, Stale, Error };
    double celsius = 0;
    QDateTime time; // when measured
    Quality quality = Quality::Error;
    QString reason; // for Stale/Error, e.g. "CRC check failed"
    std::chrono::steady_clock::time_point steadyTime{}; // when measured, for ages and durations (time is for display)

    static TemperatureReading ok(double celsius)
    {
        return {celsius, QDateTime::currentDateTimeUtc(), Quality::Ok, {}, std::chrono::steady_clock::now()};
    }
    static TemperatureReading error(const QString &reason)
    {
        return {0, QDateTime::currentDateTimeUtc(), Quality::Error, reason, std::chrono::steady_clock::now()};
    }
};

} // namespace garage
