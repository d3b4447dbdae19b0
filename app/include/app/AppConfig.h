// The whole configuration: one struct per INI section, as loaded and validated by ConfigLoader.
#pragma once

#include "camera/CameraConfig.h"
#include "clips/ClipSettings.h"
#include "motion/MotionConfig.h"
#include "sensors/SensorsConfig.h"
#include "xmpp/XmppConfig.h"

#include <QString>
#include <chrono>

namespace garage {

struct AlertsConfig {
    bool armedAtStart = true;                   // state at first start; later the last arm/disarm is kept
    std::chrono::seconds cooldown{300};         // minimum time between two motion alerts
    bool personsOnly = false;                   // alert only on events the person check confirmed
    bool eventSummary = true;                   // a short message when an event ends
    std::chrono::seconds cameraLostAfter{30};   // a camera down this long is reported (once, and once when back)
    QString muteSchedule;                       // e.g. "mon-fri 08:30-15:30, sat 10:00-12:00" (comma-separated)
};

struct StorageConfig {
    QString dir = QStringLiteral("/var/lib/garage-guard");
    int retentionDays = 30;
    int maxMegabytes = 500;
};

struct AppConfig {
    XmppConfig xmpp;
    CameraConfig camera;
    MotionConfig motion;
    TemperatureConfig temperature;
    DoorConfig door;
    AlertsConfig alerts;
    StorageConfig storage;
    ClipSettings clips;
};

} // namespace garage
