// One digital output, as the door relay uses it: the hardware edge (libgpiod on a Pi), behind a small interface so a
// test can stand in where no GPIO chip exists. "Active" is the relay pressing; the line knows its own polarity.
#pragma once

#include <QString>
#include <expected>

namespace garage {

class OutputLine
{
public:
    virtual ~OutputLine() = default;
    virtual QString name() const = 0;
    // Requests the line as an output, driven inactive from the first moment (never a glitch of "pressed").
    virtual std::expected<void, QString> request() = 0;
    // Drives the requested line active (pressed) or inactive.
    virtual std::expected<void, QString> setActive(bool active) = 0;
    // Drives the line inactive and gives it back; request() may be called again.
    virtual void release() = 0;
};

} // namespace garage
