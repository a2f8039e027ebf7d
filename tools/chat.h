// `otr chat`: an IRC client (plain TCP or TLS; OTR over PRIVMSG) or an XMPP
// client (STARTTLS; OTR in type='chat' message bodies) that speaks OTR with
// one peer; the network is a thin driver (tools/chat_transport.h) under the
// one chat core (chat.cc). The user types lines (a terminal, or a script on
// a pipe); the program prints one line per status change or message, each
// with a stable prefix and flushed at once, so scripts and tests can follow
// it:
//   [irc] / [xmpp] ... connection status
//   [otr] ...          OTR status: "[otr] secure: ..." / "[otr] insecure: ..."
//   [smp] ...          Socialist Millionaires' Protocol progress and result
//   <peer:private> ... a message that arrived encrypted
//   <peer:PLAINTEXT> . a message that did not (never shown as private);
//                      an action shows as "<peer:private> * peer waves"
//   -from- ...         a NOTICE (never given to OTR)
//   [sent:private] / [sent:PLAINTEXT] / [held]  what became of our message
//   [prekey] ...       XMPP, v4: the upkeep of our prekey messages on the
//                      prekey server (published, stored, failed)
//   [error] ...        failures
// Every line is escaped for the terminal (tools/terminal_text.h); what each
// session event says is decided in one place, tools/chat_view.h.
// Exit status: 0 after /quit or end of input, 1 setup failure, 2 usage,
// 3 connection failed or lost, 4 nickname refused or in use.
#ifndef OTR_TOOLS_CHAT_H_
#define OTR_TOOLS_CHAT_H_

#include <cstdio>
#include <string>
#include <vector>

#include "protocol/api/policy.h"
#include "protocol/store/privkey_file.h"
#include "tools/connection.h"
#include "tools/outcome.h"

namespace otr::tools {

inline constexpr int kExitOk = 0;
inline constexpr int kExitSetup = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDisconnected = 3;
inline constexpr int kExitNickRefused = 4;

// The network `otr chat` talks over (tools/chat_transport.h).
enum class ChatNetwork { kIrc, kXmpp };

// XMPP has no line limit like IRC's; OTR messages up to this size travel
// whole (--max-message-size sets another maximum, fragments beyond it).
inline constexpr size_t kXmppDefaultMessageSize = 64 * 1024;
// The smallest --max-message-size: room for an OTR fragment's header
// ("?OTR|sender|receiver,k,n," with 5-digit k and n) and some payload.
inline constexpr size_t kMinMessageSize = 100;
// How many Prekey Messages `otr chat --xmpp` keeps on the prekey server
// (OfflineMaintenance's target; it replenishes below min(20, target)), and
// the most --prekey-messages takes (a publication carries at most 255).
inline constexpr uint32_t kDefaultPrekeyMessages = 100;
inline constexpr uint32_t kMaxPrekeyMessages = 255;
inline constexpr uint32_t kPrekeyLowWater = 20;

struct ChatOptions {
  ChatNetwork network = ChatNetwork::kIrc;
  std::string host;  // IRC: --irc HOST:PORT; XMPP: --server HOST:PORT (default: JID's domain:5222)
  std::string port;
  // --tls, --tls-ca FILE (which implies --tls). XMPP: TLS is used when the
  // server offers it; --tls refuses a server that does not.
  TlsOptions tls;
  std::string nick;             // IRC: --nick; XMPP: our JID (--xmpp)
  std::string peer;             // IRC: a nick; XMPP: a bare JID
  std::string password_file;    // XMPP: --password-file (its first line)
  size_t max_message_size = 0;  // --max-message-size; 0: the network's own limit
  std::string policy_name = "manual";
  Policy policy = Policy::Manual();
  std::string dir;
  std::string account;  // empty: nick@host if that key exists, else the only key
  std::string protocol;
  bool protocol_given = false;  // --protocol; else a key of any protocol may be chosen
  std::string backend;          // empty: the default backend
  bool v4 = true;               // use the account's v4 key if it has one (--no-v4: v2/v3 only)
  // XMPP, v4: offline conversations through the prekey server found by
  // service discovery (--no-offline: none), keeping `prekey_messages` of
  // ours published there (--prekey-messages N).
  bool offline = true;
  uint32_t prekey_messages = kDefaultPrekeyMessages;
};

Outcome<ChatOptions> ParseChatOptions(const std::vector<std::string>& args,
                                      const char* xdg_config_home, const char* home);

// `otr chat --help` (and `otr help chat`): the options and, after them,
// the commands at the prompt (kChatCommandHelp, which /help prints too).
extern const std::string_view kChatUsage;
extern const std::vector<std::string_view> kChatCommandHelp;

// The key `otr chat` talks with. With --account: that account's key, of
// --protocol if given, else of whatever protocol it has if it has one key
// (`otr import --irssi` brings keys of protocol "IRC", Pidgin's are
// "prpl-irc"). Without: the key of NICK@HOST likewise, else the only key of
// --protocol, else (no --protocol) the only key in the file. Failures list
// the keys there are and say which option chooses.
Outcome<const store::PrivateKeyEntry*> ChooseChatKey(const store::PrivateKeyFile& keys,
                                                     const ChatOptions& options);

// A line typed at the prompt.
struct ChatInput {
  enum class Kind {
    kMessage,      // text to send ("//x" sends "/x")
    kAction,       // /me TEXT: an action (text: TEXT)
    kOtrStart,     // /otr start
    kOtrEnd,       // /otr end
    kSendHeld,     // /otr send-held
    kDiscardHeld,  // /otr discard
    kExtraKey,     // /otr key USE [DATA]: the extra symmetric key (use: USE, text: DATA)
    kSmp,          // /smp SECRET: answers a pending question, else starts SMP
    kSmpQuestion,  // /smp-q QUESTION... SECRET (the last word is the secret)
    kSmpAbort,     // /smp-abort
    kTrust,        // /trust
    kUntrust,      // /untrust
    kStatus,       // /status
    kHelp,         // /help
    kQuit,         // /quit
    kEmpty,        // an empty line: ignored
    kInvalid,      // an unknown command or missing argument (text: why)
  };
  Kind kind = Kind::kEmpty;
  std::string text;      // the message, the reason for kInvalid
  std::string question;  // kSmpQuestion
  std::string secret;    // kSmp, kSmpQuestion
  uint32_t use = 0;      // kExtraKey
};

ChatInput ParseChatInput(std::string_view line);

// IRC servers (ngircd among them) trim trailing spaces and tabs from a
// line, which deletes a whitespace tag at the end of a plaintext message
// (otr v3 spec, "Tagged plaintext messages"). A message that ends with the
// tag gets a ZERO WIDTH SPACE (U+200B) after it: servers keep it, it
// displays as nothing, and every reader still finds the tag (python-potr
// drops what follows the tag; libotr and our engine keep it, so
// `otr chat` removes one such character that ends a plaintext message).
// Any other text is returned unchanged.
inline constexpr std::string_view kTagGuard = "\xe2\x80\x8b";
std::string GuardWhitespaceTag(std::string_view text);
// The reverse on display: a plaintext ending in kTagGuard loses it.
std::string_view WithoutTagGuard(std::string_view text);

// Connects and runs until /quit, end of input or a fatal error; reads user
// lines from `input_fd` and prints to `out`. Returns the exit status.
int RunChat(const ChatOptions& options, int input_fd, std::FILE* out);

// The subcommand: parses `args`, then RunChat on stdin/stdout.
int RunChatCommand(const std::vector<std::string>& args);

}  // namespace otr::tools

#endif  // OTR_TOOLS_CHAT_H_
