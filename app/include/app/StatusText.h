// The owner-facing texts about the appliance's state: the `status` reply and the presence line.
#pragma once

#include <QDateTime>
#include <QString>
#include <optional>

namespace garage {

struct StatusInfo {
    QString name;                      // the keyword, "garage"
    bool armed = true;
    QDateTime mutedUntil;              // null: not muted by command
    QString scheduleMute;              // non-empty: muted now by this schedule
    QString cameraState;               // "streaming", "offline (no such file)"
    double cameraFps = 0;
    QDateTime lastMotion;              // null: none since start
    std::optional<double> celsius;     // last good temperature
    QDateTime temperatureTime;
    QString temperatureProblem;        // non-empty: the sensor's current problem
    bool hasTemperatureSensor = false;
    std::optional<bool> doorOpen;      // nullopt: no door contact, or its state is unknown (doorProblem)
    QString doorProblem;               // non-empty: a door contact is configured but its state is unknown, why
    QString doorControl;               // "door control: ready; last move: …", empty without a relay
    QString storageProblem;            // non-empty: writes fail (disk full, read-only)
    QDateTime doorSince;
    bool doorChangeSeen = true;        // false: doorSince is when the state became known (start, contact back), not
                                       // a change, so "closed for 0 s" would be a guess
    QDateTime startedAt;
    QString version;
    QString server;                    // "example.org (connected)"
};

QString formatStatus(const StatusInfo &info, const QDateTime &now);
QString formatPresence(const StatusInfo &info);
QString formatTemperature(const StatusInfo &info, const QDateTime &now);

} // namespace garage
