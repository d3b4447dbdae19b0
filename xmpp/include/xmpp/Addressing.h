// Decides whether an incoming chat message is a command for THIS appliance on a possibly shared account, and what
// the command is. Pure: the message and who is online in, a decision out.
#pragma once

#include "xmpp/XmppConfig.h"

#include <QString>
#include <QStringList>

namespace garage {

struct IncomingMessage {
    QString from;        // full JID of the sender
    QString to;          // as addressed: bare JID or full JID
    QString body;
    QString type;        // "chat", "normal", "error", "headline", "groupchat"
    bool delayed = false; // carries a delay stamp: offline storage or an archive replay
};

struct AddressingContext {
    QString ownBareJid;               // lower case
    QString ownResource;
    QString keyword;                  // lower case
    QStringList owners;               // lower-case bare JIDs
    QStringList otherResources;       // our account's other online resources (other appliances)
    KeywordPolicy policy = KeywordPolicy::Auto;
};

struct AddressingDecision {
    enum class Action { Ignore, Execute, Hint };
    Action action = Action::Ignore;
    QString command;      // Execute: the command text, keyword stripped
    QString reason;       // Ignore: why (for the log)
    bool prefixReplies = false; // other appliances share the account: replies start with [keyword]
};

AddressingDecision decideAddressing(const IncomingMessage &message, const AddressingContext &context);

// "Several systems share this account: garage, shed — start with a name, e.g. 'garage status'"
QString sharedAccountHint(const AddressingContext &context);

} // namespace garage
