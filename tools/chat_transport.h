// The network under `otr chat` (tools/chat.h): a thin driver that carries
// the peer's text in and ours out. Everything above the socket (the
// session, the commands, the lines the user sees, the key store) is shared
// by every transport in chat.cc; a transport knows only its protocol:
// IRC (tools/chat_irc.cc: PRIVMSG, CTCP, NOTICE, nick rules, 512-byte lines)
// and XMPP (tools/chat_xmpp.cc: <message type='chat'> bodies through
// libstrophe, tools/xmpp).
#ifndef OTR_TOOLS_CHAT_TRANSPORT_H_
#define OTR_TOOLS_CHAT_TRANSPORT_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tools/chat.h"

namespace otr::tools {

// Ends the chat with an exit status (kExitOk, kExitDisconnected, ...).
struct Exit {
  int status;
};
using MaybeExit = std::optional<Exit>;

// What a transport tells the chat.
class ChatHost {
 public:
  virtual ~ChatHost() = default;
  // A line for the user, as it is ("[irc] ...", "[error] ...", "-bob- ..."):
  // escaped for the terminal on its way out.
  virtual void Say(const std::string& line) = 0;
  // Logged in and ready to talk to the peer: the session starts now, with
  // messages of at most `max_message_size` bytes (OTR fragments beyond).
  // `connected_line` is the status line that says so.
  virtual MaybeExit Ready(size_t max_message_size, const std::string& connected_line) = 0;
  // One whole message from the peer (OTR or plaintext).
  virtual MaybeExit FromPeer(const std::string& text) = 0;
  // XMPP (v4 offline, issue 19): a message from the prekey server
  // (ChatTransport::prekey_server), and a new login after the stream was
  // lost (the account's prekey upkeep starts again).
  virtual MaybeExit FromPrekeyServer(const std::string& text) = 0;
  virtual MaybeExit Reconnected() = 0;
};

// What the network says of the peer's presence (XMPP: RFC 6121; IRC: never
// known). Offline conversations start only with kUnavailable.
enum class PeerPresence { kUnknown, kAvailable, kUnavailable };

// A prekey server for offline conversations (XMPP: found by service
// discovery, otr-v4-prekey-server.md "Discovering a Prekey Server").
struct PrekeyServerAddress {
  std::string our_identity;  // ours as the server knows us (XMPP: our bare JID)
  std::string jid;
  std::string fingerprint;  // hex as announced (its "fingerprint" disco item); may be empty
};

class ChatTransport {
 public:
  virtual ~ChatTransport() = default;
  // The prefix of the transport's status lines: "irc" or "xmpp".
  virtual std::string_view name() const = 0;
  // Connects and starts logging in (Ready comes from Pump, or from here).
  virtual MaybeExit Connect(ChatHost& host) = 0;
  // The descriptor that becomes readable when the server sends; -1 when
  // there is none to poll (then Pump is called at least every
  // kTransportPumpMs).
  virtual int poll_fd() const = 0;
  // Reads what the server sent and hands it to `host`.
  virtual MaybeExit Pump(ChatHost& host) = 0;
  // One transport message (an OTR message or fragment, or plaintext).
  virtual MaybeExit Send(ChatHost& host, const std::string& text) = 0;
  // An action ("/me waves") outside OTR, in the network's own form.
  virtual MaybeExit SendPlainAction(ChatHost& host, const std::string& text) = 0;
  // Leaves the network (after the chat ended OTR); the exit status.
  virtual int Leave(ChatHost& host) = 0;

  // Offline conversations (XMPP only; IRC has no stored messages): the
  // peer's presence, the prekey server found at login, and a message to it
  // (never to the peer).
  virtual PeerPresence peer_presence() const { return PeerPresence::kUnknown; }
  virtual std::optional<PrekeyServerAddress> prekey_server() const { return std::nullopt; }
  virtual MaybeExit SendToPrekeyServer(ChatHost& /*host*/, const std::string& /*server*/,
                                       const std::string& /*text*/) {
    return std::nullopt;
  }
};

inline constexpr int kTransportPumpMs = 40;

std::unique_ptr<ChatTransport> MakeIrcTransport(const ChatOptions& options);
std::unique_ptr<ChatTransport> MakeXmppTransport(const ChatOptions& options);

}  // namespace otr::tools

#endif  // OTR_TOOLS_CHAT_TRANSPORT_H_
