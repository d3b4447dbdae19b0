// The only place that talks to libgpiod: one GPIO line, as an input with edge events or as a DHT bus.
#pragma once

#include "sensors/DhtDecoder.h"
#include "sensors/SensorSpec.h"

#include <QString>

#include <chrono>
#include <expected>
#include <memory>

namespace gpiod {
class line_request;
}

namespace garage {

class GpioLine
{
public:
    ~GpioLine();
    // Checks that the chip and line exist; the error names the chips (and their line counts) that do.
    static std::expected<std::unique_ptr<GpioLine>, QString> open(const GpioLineSpec &spec);

    // Input with both-edge events (door contact): returns the event fd to watch, or an error.
    std::expected<int, QString> requestInput(std::chrono::microseconds debounce);
    bool value() const;                        // the current raw level (after requestInput)
    std::vector<GpioEdge> readEvents();        // pending edge events (after requestInput)

    // One DHT transaction: start pulse, then collect the answer's edges (blocking for up to ~10 ms).
    std::expected<std::vector<GpioEdge>, QString> dhtTransaction(std::chrono::microseconds startPulse);

private:
    GpioLine(QString chipPath, unsigned line);
    QString m_chipPath;
    unsigned m_line;
    std::unique_ptr<gpiod::line_request> m_request;
};

} // namespace garage
