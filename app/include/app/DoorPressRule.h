// Whether a confirmed `open`/`close` presses the opener's button, judged against the door contact: the button
// toggles the door, so pressing it for a door already in the wanted state would move it the wrong way. Never pressed
// blind (contact unknown), never during a move, never beyond the rate limit. Pure: facts in, a decision out.
#pragma once

#include "app/DoorConfirmation.h"

#include <QString>
#include <chrono>
#include <optional>

namespace garage {

struct DoorPressFacts {
    QString name;                      // "garage"
    DoorAction action = DoorAction::Open;
    std::optional<bool> contactOpen;   // nullopt: the contact's state is unknown
    QString contactProblem;            // why it is unknown
    bool moving = false;               // a move asked for earlier is still travelling
    std::chrono::seconds rateWait{0};  // > 0: the rate limit refuses for this long
    int ratePresses = 3;               // the limit, for the reply
    std::chrono::seconds rateWindow{300};
    std::chrono::seconds travel{20};
};

struct DoorPressDecision {
    bool press = false;
    QString reply; // to the owner: what is done, or why not
};

DoorPressDecision decideDoorPress(const DoorPressFacts &facts);

} // namespace garage
