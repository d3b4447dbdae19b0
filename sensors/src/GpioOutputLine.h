// The relay's line through libgpiod v2: requested as an output already inactive, driven, and driven inactive again
// before it is released. The polarity is the line's own (active_low), so "active" always means "pressed".
#pragma once

#include "sensors/OutputLine.h"
#include "sensors/SensorSpec.h"

#include <memory>

namespace gpiod {
class line_request;
}

namespace garage {

class GpioOutputLine : public OutputLine
{
public:
    GpioOutputLine(const GpioLineSpec &spec, bool activeLow);
    ~GpioOutputLine() override;

    QString name() const override;
    std::expected<void, QString> request() override;
    std::expected<void, QString> setActive(bool active) override;
    void release() override;

private:
    QString m_chipPath;
    unsigned m_line;
    bool m_activeLow;
    std::unique_ptr<gpiod::line_request> m_request;
};

} // namespace garage
