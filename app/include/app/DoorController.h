// Door control from the phone: `door`, `open`/`close` and the owner's `yes`. Connects the rules (DoorConfirmation,
// decideDoorPress, DoorRateLimit, checkDoorTravel, DoorAlertWindow) to the relay and the door contact; the texts and
// decisions are the rules', this class only keeps the move in progress and its timer.
#pragma once

#include "app/Clock.h"
#include "app/DoorAlertWindow.h"
#include "app/DoorConfirmation.h"
#include "app/DoorRateLimit.h"

#include "sensors/SensorsConfig.h"
#include "xmpp/CommandRouter.h"

#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>

namespace garage {

class AlertPolicy;
class DoorContact;
class DoorRelay;

class DoorController : public QObject
{
    Q_OBJECT
public:
    struct Hooks {
        std::function<void(const QString &summary)> record;                 // a "door" event in the history
        std::function<void(const QString &text)> safetyAlert;                // to every owner, even when muted
        std::function<void(const Replier &reply, const QString &caption)> replyWithPicture;
    };

    // relay: null when door control is not configured (or its line is malformed: setupProblem says why).
    DoorController(const DoorConfig &config, QString name, const Clock &clock, AlertPolicy &policy, Hooks hooks,
                   std::unique_ptr<DoorRelay> relay, QObject *parent = nullptr);
    ~DoorController() override;

    void setContact(const DoorContact *contact) { m_contact = contact; }
    bool isSetUp() const { return m_relay != nullptr; }
    void start();
    void stop();

    // The commands.
    void door(const Replier &reply) const;
    void ask(const CommandRequest &request, DoorAction action, const Replier &reply);
    void confirm(const CommandRequest &request, const Replier &reply);
    // Every command reaches this first: any message but `yes` cancels the sender's question.
    void commandSeen(const CommandRequest &request);
    // The contact committed a change (connected to DoorContact::doorChanged).
    void contactChanged(bool open);

    // For `status`: "door control: …", empty when not set up.
    QString statusLine() const;

private:
    struct Move {
        DoorAction action;
        QString owner; // bare JID
        std::chrono::steady_clock::time_point pressed;
        QDateTime pressedWall;
        std::optional<std::chrono::milliseconds> reachedAfter;
        Replier reply;
    };
    std::optional<bool> contactOpen() const;
    QString contactProblem() const;
    bool refuseStale(const CommandRequest &request, const Replier &reply);
    void travelOver();

    DoorConfig m_config;
    QString m_name;
    const Clock &m_clock;
    AlertPolicy &m_policy;
    Hooks m_hooks;
    std::unique_ptr<DoorRelay> m_relay;
    const DoorContact *m_contact = nullptr;
    DoorConfirmation m_confirmation;
    DoorRateLimit m_rate;
    DoorAlertWindow m_window;
    std::optional<Move> m_move;
    QTimer m_travel;
    QString m_lastMove; // "open asked by me@example.org at 14:02: open after 12 s"
};

} // namespace garage
