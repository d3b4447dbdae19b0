// After a press, the door contact is checked once the travel time is over: the door reached the state asked for
// ("The garage door is open (moved in 12 s)"), or it did not ("The garage door did not close: still open after
// 20 s", a safety alert). Pure: the action, what the contact showed and when, a verdict out.
#pragma once

#include "app/DoorConfirmation.h"

#include <QString>
#include <chrono>
#include <optional>

namespace garage {

struct DoorTravelFacts {
    QString name;                                  // "garage"
    DoorAction action = DoorAction::Open;
    std::optional<bool> contactOpen;               // at the check; nullopt: unknown
    QString contactProblem;
    // when the contact first showed the state asked for, after the press (nullopt: never)
    std::optional<std::chrono::milliseconds> reachedAfter;
    std::chrono::seconds travel{20};
};

struct DoorTravelVerdict {
    bool reached = false;
    QString text;    // for the owner
    QString outcome; // for the event history: "open after 12 s", "did not close: still open after 20 s"
};

DoorTravelVerdict checkDoorTravel(const DoorTravelFacts &facts);

} // namespace garage
