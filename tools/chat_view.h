// What `otr chat` shows the user: the one place that turns a session event,
// or a message from the peer, into the user's line (so the client's I/O loop
// in chat.cc holds no wording). Everything from the peer or from a decoded
// message is escaped for the terminal (tools/terminal_text.h). No internal
// name (EventTypeName, ErrorCode names) reaches the user.
#ifndef OTR_TOOLS_CHAT_VIEW_H_
#define OTR_TOOLS_CHAT_VIEW_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/api/output.h"
#include "protocol/store/fingerprint.h"

namespace otr::tools {

// What the lines about an event need to know of the conversation.
struct ChatView {
  std::string peer;                                         // the peer's nick
  std::optional<store::PeerFingerprint> their_fingerprint;  // v3 or v4
  bool fingerprint_known = false;    // in the fingerprints file (v4: otr.v4_fingerprints)
  bool fingerprint_trusted = false;  // ... with a trust word
  int version = 0;                   // OTR version of the private conversation
  std::string ssid;                  // its secure session id, as displayed
  // The half of the SSID in bold ("read his bold part to the other"): the
  // first when we sent v3's Reveal Signature or v4's Auth-R.
  bool ssid_first_half_bold = false;
  // SMP: we had sent SMP message 3 and were waiting for message 4 (we asked
  // and the peer has compared the secrets) when this input arrived; an
  // abort then is the peer's way to say the check failed (python-potr aborts
  // instead of sending message 4 when the secrets differ).
  bool smp_awaiting_result = false;
  // SMP: the last check ended in failure and nothing SMP happened since;
  // the peer's abort that follows a failure (potr again) adds nothing.
  bool smp_just_failed = false;
  // The event answers our own /otr key (not the peer's request).
  bool extra_key_ours = false;
  // The message the session holds back (REQUIRE_ENCRYPTION), as typed.
  std::optional<std::string> held_text;
};

// What the client does with the peer's fingerprint after an event.
enum class TrustChange {
  kNone,
  kRecord,  // libotr records every key seen, unverified (kWentSecure, unknown key)
  kVerify,  // SMP authenticated the peer: trust word "smp"
  kReset,   // SMP failed: libotr resets the trust of the active fingerprint
};

struct EventReport {
  std::vector<std::string> lines;
  TrustChange trust = TrustChange::kNone;
};

// The SSID lines: "secure session id: xxxxxxxx yyyyyyyy" (the same text on
// both sides), then which half to read aloud, the one the spec shows in bold
// (v3 and otrv4.md "Secure Session ID"). None when `view.ssid` is empty.
std::vector<std::string> SsidLines(const ChatView& view);

// The user's lines for one event, and what becomes of the peer's trust.
// Every event kind has its own sentence saying what happened and what to do.
EventReport ReportEvent(const Event& event, const ChatView& view);

// A message from the peer: "<bob:private> text" or "<bob:PLAINTEXT> text";
// an action ("/me waves" inside OTR, as irssi's OTR module and Pidgin send
// it, or CTCP "\x01ACTION waves\x01") shows as "<bob:private> * bob waves".
// A plaintext loses the tag guard (chat.h).
std::string MessageLine(std::string_view peer, std::string_view text, bool encrypted);

// A NOTICE (never OTR): "-bob- text".
std::string NoticeLine(std::string_view from, std::string_view text);

// CTCP ACTION (the CTCP spec: "\x01ACTION <text>\x01"): the action's text,
// or nullopt if `message` is not one.
std::optional<std::string_view> CtcpAction(std::string_view message);
std::string MakeCtcpAction(std::string_view text);
// The form of an action inside OTR: "/me <text>" (irssi's OTR module and
// Pidgin put it in the encrypted text this way).
inline constexpr std::string_view kOtrActionPrefix = "/me ";

}  // namespace otr::tools

#endif  // OTR_TOOLS_CHAT_VIEW_H_
