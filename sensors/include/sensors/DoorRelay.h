// The relay across the garage door opener's button: one press is the line held active for press_ms, then inactive
// again. The line is requested inactive at start and released inactive at stop; a press never outlives stop().
#pragma once

#include "sensors/OutputLine.h"
#include "sensors/SensorsConfig.h"

#include <QObject>
#include <QTimer>
#include <chrono>
#include <expected>
#include <memory>

namespace garage {

class DoorRelay : public QObject
{
    Q_OBJECT
public:
    DoorRelay(std::chrono::milliseconds press, std::unique_ptr<OutputLine> line, QObject *parent = nullptr);
    ~DoorRelay() override;

    // Requests the line (inactive). A failure is kept in problem() and retried by the next press.
    void start();
    // Ends a press in progress and releases the line inactive.
    void stop();
    // Presses the button for press_ms; the error says why not (line unusable, a press already in progress).
    std::expected<void, QString> press();
    bool isPressing() const { return m_release.isActive(); }
    // Why the line cannot be used, empty when it works.
    QString problem() const { return m_problem; }
    QString name() const { return m_line->name(); }

Q_SIGNALS:
    void pressed();
    void released();

private:
    std::expected<void, QString> ensureRequested();
    void endPress();

    std::unique_ptr<OutputLine> m_line;
    bool m_requested = false;
    QString m_problem;
    QTimer m_release;
};

// From config.relayLine (<chip>:<line>, or sim:<file> for a simulated line) and relayActiveLow. Fails only on a
// malformed line; a chip that is missing shows as problem() until it is there.
std::expected<std::unique_ptr<DoorRelay>, QString> createDoorRelay(const DoorConfig &config, QObject *parent = nullptr);

} // namespace garage
