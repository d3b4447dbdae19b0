// A door contact: raw line levels in (edge events of an InputLine), debounced open/closed changes out, and one
// "left open" signal per opening after open_alert_minutes. A line that cannot be used makes the state unknown (never
// a guess), says why, and is retried with backoff until it works.
#pragma once

#include "camera/ReconnectBackoff.h"
#include "sensors/InputLine.h"
#include "sensors/SensorsConfig.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <expected>
#include <memory>
#include <optional>

class QSocketNotifier;

namespace garage {

class DoorContact : public QObject
{
    Q_OBJECT
public:
    DoorContact(const DoorConfig &config, std::unique_ptr<InputLine> line, QObject *parent = nullptr);
    ~DoorContact() override;

    // Requests the line (retrying with backoff while that fails) and follows its edges.
    void start();
    // Gives the line back and halts retries; the last state stays.
    void stop();
    bool isOpen() const { return m_open.value_or(false); }
    bool isKnown() const { return m_open.has_value(); }
    QDateTime since() const { return m_since; }
    // Why the state is unknown (chip missing, line request failed ...), empty when the contact works.
    QString problem() const { return m_problem; }
    // A retry to get the line back is scheduled.
    bool isRetrying() const { return m_retry.isActive(); }
    // Attempts in a row that failed to use the line (0 while it works).
    int failedAttempts() const { return m_failedAttempts; }
    // For the watchdog: empty while the contact works or is actively retrying; otherwise what is stuck.
    QString supervisionProblem(std::chrono::steady_clock::time_point now) const;

Q_SIGNALS:
    void doorChanged(bool open, const QDateTime &at);
    void leftOpen(std::chrono::seconds openFor);
    // The contact became unusable (reason says why; once per outage) or usable again (reason empty; the state is then
    // known). A contact that works from the start does not signal.
    void availabilityChanged(bool available, const QString &reason);

private:
    void attempt();
    void lineEvents();
    void lost(const QString &reason);
    void dropLine();
    // A raw level from the line (true = electrically high). The first level sets the state without a signal.
    void rawLevel(bool high, const QDateTime &at);
    void commit();

    DoorConfig m_config;
    std::unique_ptr<InputLine> m_line;
    QSocketNotifier *m_notifier = nullptr; // child; set while the line works
    bool m_running = false;
    bool m_reportedUnavailable = false;
    QString m_problem;
    int m_failedAttempts = 0;
    ReconnectBackoff m_backoff;
    QTimer m_retry;
    std::chrono::steady_clock::time_point m_retryDue{};
    std::optional<bool> m_open;
    QDateTime m_since;
    bool m_pending = false;
    QDateTime m_pendingAt;
    QTimer m_debounce;
    QTimer m_leftOpen;
};

// From config.line (<chip>:<line>). Fails only on a malformed line; a chip or line that is missing gives a contact
// whose state is unknown (problem() says why) until it is there.
std::expected<std::unique_ptr<DoorContact>, QString> createDoorContact(const DoorConfig &config, QObject *parent = nullptr);

} // namespace garage
