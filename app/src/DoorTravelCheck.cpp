#include "app/DoorTravelCheck.h"

#include "app/DurationText.h"

namespace garage {

DoorTravelVerdict checkDoorTravel(const DoorTravelFacts &f)
{
    const bool wantOpen = f.action == DoorAction::Open;
    const QString wanted = wantOpen ? QStringLiteral("open") : QStringLiteral("closed");
    const QString travel = formatDuration(f.travel);
    if (!f.contactOpen) {
        const QString why = f.contactProblem.isEmpty() ? QStringLiteral("no contact reading") : f.contactProblem;
        return {false,
                QStringLiteral("The %1 door may not have moved: its state is unknown (%2) %3 after the button was "
                               "pressed to %4 it")
                    .arg(f.name, why, travel, doorActionVerb(f.action)),
                QStringLiteral("unknown after %1 (%2)").arg(travel, why)};
    }
    if (*f.contactOpen == wantOpen) {
        // the contact may have reached the state before the press was over (an opening lifts the reed at once)
        const auto after = std::chrono::duration_cast<std::chrono::seconds>(
            f.reachedAfter.value_or(std::chrono::duration_cast<std::chrono::milliseconds>(f.travel)));
        return {true, QStringLiteral("The %1 door is %2 (moved in %3)").arg(f.name, wanted, formatDuration(after)),
                QStringLiteral("%1 after %2").arg(wanted, formatDuration(after))};
    }
    const QString still = wantOpen ? QStringLiteral("closed") : QStringLiteral("open");
    return {false,
            QStringLiteral("The %1 door did not %2: still %3 after %4").arg(f.name, doorActionVerb(f.action), still, travel),
            QStringLiteral("did not %1: still %2 after %3").arg(doorActionVerb(f.action), still, travel)};
}

} // namespace garage
