// A door move the owner asked for is not an intrusion: from the press until the travel time plus a few seconds are
// over, motion alerts and "door opened/closed" alerts are held (the move is in the history and reported by its own
// check). Safety alerts are never held. Pure: the steady clock in, a verdict out.
#pragma once

#include <chrono>
#include <optional>

namespace garage {

class DoorAlertWindow
{
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    static constexpr std::chrono::seconds kSlack{5}; // the contact's debounce, a camera's lag, a door that coasts

    // The button was pressed at `now` for a door that takes `travel` to move.
    void moveStarted(TimePoint now, std::chrono::seconds travel);
    bool holds(TimePoint now) const;
    // The end of the window, once a move was started.
    std::optional<TimePoint> until() const { return m_until; }

private:
    std::optional<TimePoint> m_until;
};

} // namespace garage
