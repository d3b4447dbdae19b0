// One digital input with edge events, as the door contact uses it: the hardware edge (libgpiod on a Pi), behind a
// small interface so a test can stand in where no GPIO chip exists. Every call reports failure as a value.
#pragma once

#include "sensors/DhtDecoder.h"

#include <QString>
#include <expected>
#include <vector>

namespace garage {

class InputLine
{
public:
    virtual ~InputLine() = default;
    virtual QString name() const = 0;
    // Requests the line as an input with both-edge events; returns the fd that becomes readable on an event.
    virtual std::expected<int, QString> request() = 0;
    // The current raw level (true = high), after request().
    virtual std::expected<bool, QString> value() = 0;
    // The edge events pending on the fd, after request().
    virtual std::expected<std::vector<GpioEdge>, QString> readEvents() = 0;
    // Gives the line back (the fd closes); request() may be called again.
    virtual void release() = 0;
};

} // namespace garage
