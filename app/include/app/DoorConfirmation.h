// The owner's "yes" to an `open` or `close`: the question belongs to the owner who asked and to that action only,
// expires after 30 s, and any other message from that owner cancels it. One question at a time (there is one door):
// a new `open`/`close` replaces the one pending. Pure: owner, action and the steady clock in, an answer out.
#pragma once

#include <QDateTime>
#include <QString>
#include <chrono>
#include <optional>

namespace garage {

enum class DoorAction { Open, Close };

// "open" / "close"
QString doorActionVerb(DoorAction action);

class DoorConfirmation
{
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    static constexpr std::chrono::seconds kWindow{30};

    enum class Outcome {
        Confirmed,  // act on `action`
        Nothing,    // no question pending (or it was another owner's)
        Expired,    // the question was older than kWindow (it is gone now)
    };
    struct Answer {
        Outcome outcome = Outcome::Nothing;
        DoorAction action = DoorAction::Open;
    };

    // owner: the asker's JID (compared by bare JID, case-insensitive).
    void ask(const QString &owner, DoorAction action, TimePoint now);
    // The owner's "yes". Consumes the question when it was theirs (confirmed or expired).
    Answer confirm(const QString &owner, TimePoint now);
    // Any other message from an owner: cancels their pending question; true when there was one.
    bool otherMessage(const QString &owner);
    // The question pending (not expired), if any.
    std::optional<DoorAction> pending(TimePoint now) const;

    // How late a command arrived when it must not be acted on (a relay or delivery older than kMaxCommandAge), else
    // nullopt. receivedAt invalid: unknown age, taken as fresh (the XMPP layer already drops delayed messages).
    static constexpr std::chrono::seconds kMaxCommandAge{10};
    static std::optional<std::chrono::seconds> staleBy(const QDateTime &receivedAt, const QDateTime &now);

private:
    struct Question {
        QString owner; // bare, lower case
        DoorAction action;
        TimePoint asked;
    };
    std::optional<Question> m_question;
};

} // namespace garage
