// Simulated GPIO lines over plain files, for `[door] line = sim:<file>` and `relay_line = sim:<file>` where no GPIO
// chip exists (the daemon in a test, a demo). They stand in at the hardware edge only, behind the same interfaces as
// the libgpiod lines, so everything above them runs as on a Pi.
//   input:  <file> holds the level ('0' or '1'); a byte written to the FIFO <file>.events says it may have changed.
//   output: every request, level change and release is appended to <file> as "<what> <0|1> <CLOCK_MONOTONIC ms>".
#pragma once

#include "sensors/InputLine.h"
#include "sensors/OutputLine.h"

#include <optional>

namespace garage {

class SimulatedInputLine : public InputLine
{
public:
    explicit SimulatedInputLine(QString path) : m_path(std::move(path)) {}
    ~SimulatedInputLine() override;
    QString name() const override { return QStringLiteral("simulated line %1").arg(m_path); }
    std::expected<int, QString> request() override;
    std::expected<bool, QString> value() override;
    std::expected<std::vector<GpioEdge>, QString> readEvents() override;
    void release() override;

private:
    QString m_path;
    int m_fd = -1;
    std::optional<bool> m_last;
};

class SimulatedOutputLine : public OutputLine
{
public:
    SimulatedOutputLine(QString path, bool activeLow) : m_path(std::move(path)), m_activeLow(activeLow) {}
    ~SimulatedOutputLine() override;
    QString name() const override { return QStringLiteral("simulated line %1").arg(m_path); }
    std::expected<void, QString> request() override;
    std::expected<void, QString> setActive(bool active) override;
    void release() override;

private:
    std::expected<void, QString> append(const char *what, bool active);

    QString m_path;
    bool m_activeLow;
    bool m_requested = false;
};

} // namespace garage
