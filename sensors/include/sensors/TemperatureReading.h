// One temperature measurement and how far to trust it.
#pragma once

#include <QDateTime>
#include <QString>

namespace garage {

struct TemperatureReading {
    enum class Quality { Ok, Stale, Error };
    double celsius = 0;
    QDateTime time; // when measured
    Quality quality = Quality::Error;
    QString reason; // for Stale/Error, e.g. "CRC check failed"

    static TemperatureReading ok(double celsius) { return {celsius, QDateTime::currentDateTimeUtc(), Quality::Ok, {}}; }
    static TemperatureReading error(const QString &reason)
    {
        return {0, QDateTime::currentDateTimeUtc(), Quality::Error, reason};
    }
};

} // namespace garage
