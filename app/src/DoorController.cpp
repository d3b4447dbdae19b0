#include "app/DoorController.h"

#include "Logging.h"
#include "app/AlertPolicy.h"
#include "app/DoorPressRule.h"
#include "app/DoorTravelCheck.h"
#include "app/DurationText.h"

#include "sensors/DoorContact.h"
#include "sensors/DoorRelay.h"
#include "xmpp/Jid.h"

#include <utility>

namespace garage {
namespace {

QString clockText(const QDateTime &t, const QDateTime &now)
{
    const QDateTime local = t.toLocalTime();
    return local.toString(local.date() == now.toLocalTime().date() ? QStringLiteral("HH:mm")
                                                                   : QStringLiteral("ddd dd.MM HH:mm"));
}

} // namespace

DoorController::DoorController(const DoorConfig &config, QString name, const Clock &clock, AlertPolicy &policy,
                               Hooks hooks, std::unique_ptr<DoorRelay> relay, QObject *parent)
    : QObject(parent),
      m_config(config),
      m_name(std::move(name)),
      m_clock(clock),
      m_policy(policy),
      m_hooks(std::move(hooks)),
      m_relay(std::move(relay))
{
    m_travel.setSingleShot(true);
    connect(&m_travel, &QTimer::timeout, this, &DoorController::travelOver);
}

DoorController::~DoorController()
{
    stop();
}

void DoorController::start()
{
    if (m_relay)
        m_relay->start();
}

void DoorController::stop()
{
    m_travel.stop();
    if (m_relay)
        m_relay->stop();
}

std::optional<bool> DoorController::contactOpen() const
{
    if (!m_contact || !m_contact->isKnown())
        return std::nullopt;
    return m_contact->isOpen();
}

QString DoorController::contactProblem() const
{
    if (!m_contact)
        return QStringLiteral("no door contact is configured");
    return m_contact->problem();
}

void DoorController::door(const Replier &reply) const
{
    const QString tail = m_relay ? QString() : QStringLiteral(" (door control is not set up)");
    if (!m_contact) {
        reply.text(QStringLiteral("The %1 has no door contact ([door] line)%2.").arg(m_name, tail));
        return;
    }
    if (!m_contact->isKnown()) {
        reply.text(QStringLiteral("The %1 door's state is unknown (%2)%3.").arg(m_name, contactProblem(), tail));
        return;
    }
    QString text = QStringLiteral("The %1 door is %2 (since %3)")
                       .arg(m_name, m_contact->isOpen() ? QStringLiteral("open") : QStringLiteral("closed"),
                            clockText(m_contact->since(), m_clock.wallNow()));
    if (m_move)
        text += QStringLiteral(", moving: %1 asked by %2").arg(doorActionVerb(m_move->action), m_move->owner);
    reply.text(text + tail);
}

bool DoorController::refuseStale(const CommandRequest &request, const Replier &reply)
{
    const auto late = DoorConfirmation::staleBy(request.receivedAt, m_clock.wallNow());
    if (!late)
        return false;
    qCWarning(lcApp) << "door: ignored" << request.name << "from" << request.sender << "received" << late->count()
                     << "s ago (a stale command never moves the door)";
    m_confirmation.otherMessage(request.sender);
    reply.text(QStringLiteral("Not done: your '%1' reached the %2 %3 late, and the door is never moved on an old "
                              "message. Send it again if you still want it.")
                   .arg(request.name, m_name, formatDuration(*late)));
    return true;
}

void DoorController::ask(const CommandRequest &request, DoorAction action, const Replier &reply)
{
    if (!m_relay) {
        reply.text(QStringLiteral("Door control is not set up ([door] relay_line)."));
        return;
    }
    if (refuseStale(request, reply))
        return;
    if (const auto open = contactOpen(); open && *open == (action == DoorAction::Open) && !m_move) {
        reply.text(QStringLiteral("It is already %1.").arg(*open ? QStringLiteral("open") : QStringLiteral("closed")));
        return;
    }
    m_confirmation.ask(request.sender, action, m_clock.steadyNow());
    qCInfo(lcApp) << "door:" << doorActionVerb(action) << "asked by" << request.sender << "- waiting for 'yes'";
    reply.text(QStringLiteral("%1 the %2 door? Reply 'yes' within %3 s.")
                   .arg(action == DoorAction::Open ? QStringLiteral("Open") : QStringLiteral("Close"), m_name)
                   .arg(DoorConfirmation::kWindow.count()));
}

void DoorController::commandSeen(const CommandRequest &request)
{
    if (request.name == QLatin1String("yes"))
        return;
    if (m_confirmation.otherMessage(request.sender))
        qCInfo(lcApp) << "door: the question to" << request.sender << "was cancelled by" << request.name;
}

void DoorController::confirm(const CommandRequest &request, const Replier &reply)
{
    if (!m_relay) {
        reply.text(QStringLiteral("Door control is not set up ([door] relay_line)."));
        return;
    }
    if (refuseStale(request, reply))
        return;
    const auto now = m_clock.steadyNow();
    const DoorConfirmation::Answer answer = m_confirmation.confirm(request.sender, now);
    if (answer.outcome == DoorConfirmation::Outcome::Nothing) {
        reply.text(QStringLiteral("Nothing to confirm: send 'open' or 'close' first."));
        return;
    }
    const QString verb = doorActionVerb(answer.action);
    if (answer.outcome == DoorConfirmation::Outcome::Expired) {
        qCInfo(lcApp) << "door: 'yes' from" << request.sender << "came after the question expired";
        reply.text(QStringLiteral("Too late: the question expired after %1 s. Send '%2' again.")
                       .arg(DoorConfirmation::kWindow.count())
                       .arg(verb));
        return;
    }
    DoorPressFacts facts;
    facts.name = m_name;
    facts.action = answer.action;
    facts.contactOpen = contactOpen();
    facts.contactProblem = contactProblem();
    facts.moving = m_move.has_value() || m_relay->isPressing();
    facts.rateWait = m_rate.waitFor(now);
    facts.travel = m_config.travel;
    const DoorPressDecision decision = decideDoorPress(facts);
    const QString owner = bareJidOf(request.sender);
    if (!decision.press) {
        qCInfo(lcApp).noquote() << "door:" << verb << "asked by" << owner << "not pressed:" << decision.reply;
        reply.text(decision.reply);
        return;
    }
    if (const auto pressed = m_relay->press(); !pressed) {
        qCCritical(lcApp) << "door: the relay cannot be pressed:" << pressed.error();
        if (m_hooks.record)
            m_hooks.record(QStringLiteral("%1 asked by %2: not pressed, relay failed (%3)").arg(verb, owner, pressed.error()));
        reply.text(QStringLiteral("Not pressed: the relay does not work (%1).").arg(pressed.error()));
        return;
    }
    m_rate.record(now);
    m_window.moveStarted(now, m_config.travel);
    m_policy.holdIntrusionUntil(*m_window.until());
    m_move = Move{answer.action, owner, now, m_clock.wallNow(), std::nullopt, reply};
    m_travel.start(m_config.travel);
    qCInfo(lcApp) << "door:" << verb << "asked by" << owner << "- pressed; checking in" << m_config.travel.count() << "s";
    reply.text(decision.reply);
}

void DoorController::contactChanged(bool open)
{
    if (!m_move || m_move->reachedAfter || open != (m_move->action == DoorAction::Open))
        return;
    m_move->reachedAfter = std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.steadyNow() - m_move->pressed);
}

void DoorController::travelOver()
{
    if (!m_move)
        return;
    const Move move = *std::exchange(m_move, std::nullopt);
    DoorTravelFacts facts;
    facts.name = m_name;
    facts.action = move.action;
    facts.contactOpen = contactOpen();
    facts.contactProblem = contactProblem();
    facts.reachedAfter = move.reachedAfter;
    facts.travel = m_config.travel;
    const DoorTravelVerdict verdict = checkDoorTravel(facts);
    const QString verb = doorActionVerb(move.action);
    m_lastMove = QStringLiteral("%1 asked by %2 at %3: %4")
                     .arg(verb, move.owner, clockText(move.pressedWall, m_clock.wallNow()), verdict.outcome);
    qCInfo(lcApp).noquote() << "door:" << m_lastMove;
    if (m_hooks.record)
        m_hooks.record(QStringLiteral("%1 asked by %2: %3").arg(verb, move.owner, verdict.outcome));
    if (verdict.reached) {
        if (m_hooks.replyWithPicture)
            m_hooks.replyWithPicture(move.reply, verdict.text);
    } else if (m_hooks.safetyAlert) {
        m_hooks.safetyAlert(verdict.text);
    }
}

QString DoorController::statusLine() const
{
    if (!m_relay)
        return {};
    QString state;
    if (m_move)
        state = QStringLiteral("moving (%1 asked by %2)").arg(doorActionVerb(m_move->action), m_move->owner);
    else if (!m_relay->problem().isEmpty())
        state = QStringLiteral("relay problem (%1)").arg(m_relay->problem());
    else
        state = QStringLiteral("ready");
    return QStringLiteral("door control: %1; last move: %2")
        .arg(state, m_lastMove.isEmpty() ? QStringLiteral("none since start") : m_lastMove);
}

} // namespace garage
