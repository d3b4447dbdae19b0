#include "app/DoorPressRule.h"

#include "app/DurationText.h"

namespace garage {

DoorPressDecision decideDoorPress(const DoorPressFacts &f)
{
    if (f.moving)
        return {false, QStringLiteral("Not pressed: the %1 door is moving already; wait for it to stop.").arg(f.name)};
    if (!f.contactOpen)
        return {false, QStringLiteral("Not pressed: the %1 door's state is unknown (%2), and the button would move it "
                                      "either way.")
                           .arg(f.name, f.contactProblem.isEmpty() ? QStringLiteral("no contact reading") : f.contactProblem)};
    const bool wantOpen = f.action == DoorAction::Open;
    if (*f.contactOpen == wantOpen)
        return {false, QStringLiteral("It is already %1.").arg(wantOpen ? QStringLiteral("open") : QStringLiteral("closed"))};
    if (f.rateWait.count() > 0)
        return {false, QStringLiteral("Not pressed: at most %1 presses in %2; the next is possible in %3.")
                           .arg(f.ratePresses)
                           .arg(formatDuration(f.rateWindow), formatDuration(f.rateWait))};
    return {true, QStringLiteral("%1 the %2 door (I will check in %3).")
                      .arg(wantOpen ? QStringLiteral("Opening") : QStringLiteral("Closing"), f.name,
                           formatDuration(f.travel))};
}

} // namespace garage
