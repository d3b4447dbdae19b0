// The owner's chat commands (door, open, close, yes, status, snapshot, temp, arm, disarm, mute, unmute, events, event), registered into the
// XMPP link's command router.
#pragma once

namespace garage {

class Appliance;
class CommandRouter;

void registerChatCommands(CommandRouter &router, Appliance &appliance);

} // namespace garage
