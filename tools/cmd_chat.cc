// `otr chat`: OTR with one peer over IRC or XMPP (tools/chat.h).
#include "tools/chat.h"
#include "tools/command.h"

namespace otr::tools {
namespace {

OTR_REGISTER_COMMAND(chat, {"chat",
                            "talk OTR with a peer over IRC (--irc HOST:PORT) or XMPP (--xmpp JID)",
                            &RunChatCommand});

}  // namespace
}  // namespace otr::tools
