// Decides whether the systemd watchdog may be fed: only while every supervisor (camera, XMPP link, sensors, the
// storage writer) is alive, i.e. running or actively recovering. A stuck one stops the pings, so systemd restarts the
// daemon. Named checks in, "ping or not, and why" out; the caller logs a change once.
#pragma once

#include <QString>
#include <QStringList>
#include <chrono>
#include <functional>
#include <vector>

namespace garage {

class Watchdog
{
public:
    // The check returns empty while the supervisor is alive, otherwise what is stuck.
    using Check = std::function<QString(std::chrono::steady_clock::time_point now)>;

    struct Verdict {
        bool ping = true;
        QStringList problems; // "camera: ...", one per stuck supervisor
        bool changed = false; // the problems differ from the previous evaluation (log it)
    };

    void add(const QString &name, Check check);
    Verdict evaluate(std::chrono::steady_clock::time_point now);

private:
    struct Named {
        QString name;
        Check check;
    };
    std::vector<Named> m_checks;
    QStringList m_lastProblems;
};

} // namespace garage
