// The XMPP shapes of addressing and relaying on a shared account: an incoming QXmppMessage as the pure addressing
// rules see it (with the XEP-0297 <forwarded/> a sibling wraps around a relayed command), the wrapper itself, and
// the <appliance xmlns="urn:garage-guard:0" keyword="shed"/> element each appliance puts in its presence.
#pragma once

#include "xmpp/Addressing.h"

#include <QDateTime>
#include <QString>

class QXmppElement;
class QXmppMessage;
class QXmppPresence;

namespace garage {

// The message as decideAddressing() takes it; a <forwarded xmlns="urn:xmpp:forward:0"/> child makes it a relay
// wrapper (whoever sent it) with the inner message's fields as found (missing ones empty).
IncomingMessage incomingMessage(const QXmppMessage &message);

// The owner's message, unchanged (sender's full JID, to, id, type, body) inside a XEP-0297 <forwarded/> stamped
// with when we received it, addressed to a sibling's full JID. No body of its own (nothing that does not know
// relaying executes it), not stored offline, not copied.
QXmppMessage forwardedMessage(const QString &siblingFullJid, const QXmppMessage &original, const QDateTime &received);

// <appliance xmlns="urn:garage-guard:0" keyword="..."/>
QXmppElement applianceElement(const QString &keyword);
// The keyword a presence names in that element; empty when it has none (another client, an older garage-guard).
QString applianceKeyword(const QXmppPresence &presence);

} // namespace garage
