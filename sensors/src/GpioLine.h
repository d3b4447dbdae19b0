// The only place that talks to libgpiod: one GPIO line, as an input with edge events (door contact) or as a DHT bus.
// Creating one touches no hardware; every libgpiod call is wrapped, its exceptions come back as error values.
#pragma once

#include "sensors/InputLine.h"
#include "sensors/SensorSpec.h"

#include <chrono>
#include <memory>

namespace gpiod {
class line_request;
}

namespace garage {

class GpioLine : public InputLine
{
public:
    explicit GpioLine(const GpioLineSpec &spec);
    ~GpioLine() override;

    QString name() const override;
    // The chip and the line exist; the error names the chips (and their line counts) that do.
    std::expected<void, QString> check() const;

    std::expected<int, QString> request() override;
    std::expected<bool, QString> value() override;
    std::expected<std::vector<GpioEdge>, QString> readEvents() override;
    void release() override;

    // One DHT transaction: start pulse, then collect the answer's edges (blocking for up to ~10 ms).
    std::expected<std::vector<GpioEdge>, QString> dhtTransaction(std::chrono::microseconds startPulse) const;

private:
    QString m_chipPath;
    unsigned m_line;
    std::unique_ptr<gpiod::line_request> m_request;
};

} // namespace garage
