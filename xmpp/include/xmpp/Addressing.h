// Decides whether an incoming chat message is a command for THIS appliance on a possibly shared account, what the
// command is, and which sibling appliance to relay it to when it is for another one. Pure: the message and who is
// online in, a decision out.
#pragma once

#include "xmpp/XmppConfig.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace garage {

// The message a sibling appliance relayed to us inside a XEP-0297 <forwarded/> wrapper, as the owner sent it.
struct ForwardedMessage {
    QString from;    // the owner's full JID
    QString to;      // as the owner addressed it: our bare JID or the relaying appliance's full JID
    QString body;
    QString id;      // the owner's message id (may be empty)
    QString type;    // "chat", "normal", ...
    QDateTime stamp; // when the relaying appliance received it
};

struct IncomingMessage {
    QString from;        // full JID of the sender
    QString to;          // as addressed: bare JID or full JID
    QString body;
    QString type;        // "chat", "normal", "error", "headline", "groupchat"
    bool delayed = false; // carries a delay stamp: offline storage or an archive replay
    QString id;          // the stanza id (may be empty)
    // The message carries a XEP-0297 <forwarded/> element: a relay wrapper (only ever accepted from our own account).
    std::optional<ForwardedMessage> forwarded;
};

// Another appliance of our account, learnt from its presence.
struct Sibling {
    QString resource;
    QString keyword;        // lower case; its resource when its presence names none
    int priority = 0;
    bool online = true;
    QDateTime offlineSince; // when its unavailable presence came (online == false)
};

struct AddressingContext {
    QString ownBareJid;               // lower case
    QString ownResource;
    QString keyword;                  // lower case
    QStringList owners;               // lower-case bare JIDs
    QList<Sibling> siblings;          // the other appliances of our account seen since we connected, online or not
    KeywordPolicy policy = KeywordPolicy::Auto;
    bool relay = true;                // [xmpp] relay: forward commands for a sibling to it, accept what siblings forward
};

struct AddressingDecision {
    enum class Action {
        Ignore,  // not for us, not from an owner, stale, or a duplicate: no reply
        Execute, // run `command` and answer `sender`
        Hint,    // answer `sender` with sharedAccountHint()
        Relay,   // forward the message unchanged to the sibling whose resource is `relayTo`
        Offline, // answer `sender`: the appliance `offlineKeyword` is offline since `offlineSince`
    };
    Action action = Action::Ignore;
    QString command;            // Execute: the command text, keyword stripped
    QString reason;             // why (for the log); always set for Ignore and Relay
    bool prefixReplies = false; // other appliances share the account: replies start with [keyword]
    QString sender;             // the owner's full JID: whom to answer (the inner sender of a relayed message)
    QString messageId;          // the owner's message id, for deduplication (may be empty)
    QString body;               // the owner's original body, trimmed (deduplication without an id)
    bool relayed = false;       // it came from a sibling (never relayed again)
    QString relayTo;            // Relay: the sibling's resource
    QString offlineKeyword;     // Offline
    QDateTime offlineSince;     // Offline
};

AddressingDecision decideAddressing(const IncomingMessage &message, const AddressingContext &context);

// "Several systems share this account: garage, shed — start with a name, e.g. 'garage status'"
QString sharedAccountHint(const AddressingContext &context);
// For `help` on a shared account: "Appliances online on this account: garage (this one), shed — start with a name,
// e.g. 'shed status'"; empty when no other appliance is online.
QString appliancesOnline(const AddressingContext &context);
// "shed is offline since 14:02" (the date too when it was not today).
QString offlineText(const QString &keyword, const QDateTime &since, const QDateTime &now);

} // namespace garage
