#include "app/DoorConfirmation.h"

#include "xmpp/Jid.h"

#include <utility>

namespace garage {
namespace {

QString ownerKey(const QString &jid)
{
    return bareJidOf(jid).toLower();
}

} // namespace

QString doorActionVerb(DoorAction action)
{
    return action == DoorAction::Open ? QStringLiteral("open") : QStringLiteral("close");
}

void DoorConfirmation::ask(const QString &owner, DoorAction action, TimePoint now)
{
    m_question = Question{ownerKey(owner), action, now};
}

DoorConfirmation::Answer DoorConfirmation::confirm(const QString &owner, TimePoint now)
{
    if (!m_question || m_question->owner != ownerKey(owner))
        return {};
    const Question q = *std::exchange(m_question, std::nullopt);
    if (now - q.asked > kWindow)
        return {Outcome::Expired, q.action};
    return {Outcome::Confirmed, q.action};
}

bool DoorConfirmation::otherMessage(const QString &owner)
{
    if (!m_question || m_question->owner != ownerKey(owner))
        return false;
    m_question.reset();
    return true;
}

std::optional<DoorAction> DoorConfirmation::pending(TimePoint now) const
{
    if (!m_question || now - m_question->asked > kWindow)
        return std::nullopt;
    return m_question->action;
}

std::optional<std::chrono::seconds> DoorConfirmation::staleBy(const QDateTime &receivedAt, const QDateTime &now)
{
    if (!receivedAt.isValid())
        return std::nullopt;
    const auto age = std::chrono::seconds(receivedAt.secsTo(now));
    if (age > kMaxCommandAge)
        return age;
    return std::nullopt;
}

} // namespace garage
