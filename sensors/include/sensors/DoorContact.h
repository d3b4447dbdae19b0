// A door contact: raw line levels in (from libgpiod edge events), debounced open/closed changes out, and one
// "left open" signal per opening after open_alert_minutes. The GPIO edge is the only hardware-specific part.
#pragma once

#include "sensors/SensorsConfig.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <expected>
#include <memory>
#include <optional>

namespace garage {

class DoorContact : public QObject
{
    Q_OBJECT
public:
    explicit DoorContact(const DoorConfig &config, QObject *parent = nullptr);

    virtual void start() = 0;
    virtual void stop() = 0;
    bool isOpen() const { return m_open.value_or(false); }
    bool isKnown() const { return m_open.has_value(); }
    QDateTime since() const { return m_since; }
    // Why the state is unknown (chip missing, line request failed ...), empty when the contact works.
    QString problem() const { return m_problem; }
    // For the watchdog: empty while the contact works or is actively retrying; otherwise what is stuck.
    QString supervisionProblem(std::chrono::steady_clock::time_point now) const;

Q_SIGNALS:
    void doorChanged(bool open, const QDateTime &at);
    void leftOpen(std::chrono::seconds openFor);
    // The contact became unusable (reason says why) or usable again (reason empty).
    void availabilityChanged(bool available, const QString &reason);

protected:
    // A raw level from the line (true = electrically active/high). The first level sets the state without a signal.
    void rawLevel(bool high, const QDateTime &at);
    QString m_problem;

private:
    void commit();

    DoorConfig m_config;
    std::optional<bool> m_open;
    QDateTime m_since;
    bool m_pending = false;
    QDateTime m_pendingAt;
    QTimer m_debounce;
    QTimer m_leftOpen;
};

std::expected<std::unique_ptr<DoorContact>, QString> createDoorContact(const DoorConfig &config, QObject *parent = nullptr);

} // namespace garage
