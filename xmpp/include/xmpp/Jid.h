// Small JID helpers used by config validation and addressing.
#pragma once

#include <QString>

namespace garage {

// user@domain with no resource, both parts non-empty and without spaces.
bool isBareJid(const QString &jid);
// The bare part of a (possibly full) JID, lower-cased for comparison.
QString bareJidOf(const QString &jid);
// The resource of a full JID, or an empty string.
QString resourceOf(const QString &jid);

} // namespace garage
