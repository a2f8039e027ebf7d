#include "tools/chat_view.h"

#include "tools/chat.h"
#include "tools/terminal_text.h"

namespace otr::tools {
namespace {

std::string FingerprintText(const ChatView& v) {
  return v.their_fingerprint ? store::PeerFingerprintToHuman(*v.their_fingerprint) : "(unknown)";
}

std::string Described(const ChatView& v) {
  return FingerprintText(v) + (v.fingerprint_trusted ? " (verified)" : " (UNVERIFIED)");
}

EventReport Say(std::string line, TrustChange trust = TrustChange::kNone) {
  EventReport r;
  r.lines.push_back(ForTerminal(line));
  r.trust = trust;
  return r;
}

EventReport SmpFailed(const ChatView& v, const std::string& how) {
  return Say(
      "[smp] failed: " + how + "; " + v.peer + " is NOT verified" +
          (v.their_fingerprint ? " (fingerprint " + FingerprintText(v) + " marked unverified)"
                               : std::string()),
      TrustChange::kReset);
}

}  // namespace

std::vector<std::string> SsidLines(const ChatView& v) {
  std::vector<std::string> lines;
  if (v.ssid.empty()) return lines;
  lines.push_back(ForTerminal("[otr] secure session id: " + v.ssid));
  const size_t space = v.ssid.find(' ');
  if (space != std::string::npos) {
    const std::string first = v.ssid.substr(0, space);
    const std::string second = v.ssid.substr(space + 1);
    const std::string& ours = v.ssid_first_half_bold ? first : second;
    const std::string& theirs = v.ssid_first_half_bold ? second : first;
    lines.push_back(ForTerminal("[otr] to check it by voice, read " + ours + " (your half) to " +
                                v.peer + ", who reads " + theirs + " to you"));
  }
  return lines;
}

EventReport ReportEvent(const Event& e, const ChatView& v) {
  const std::string& peer = v.peer;
  switch (e.type()) {
    case EventType::kWentSecure: {
      EventReport r = Say(
          "[otr] secure: private conversation with " + peer + " (OTR v" +
              std::to_string(v.version) + "), fingerprint " + Described(v),
          v.their_fingerprint && !v.fingerprint_known ? TrustChange::kRecord : TrustChange::kNone);
      for (std::string& line : SsidLines(v)) r.lines.push_back(std::move(line));
      return r;
    }
    case EventType::kWentInsecure:
      return Say("[otr] insecure: the private conversation with " + peer + " ended");
    case EventType::kPeerEnded:
      return Say("[otr] insecure: " + peer +
                 " ended the private conversation; /otr end to go back to plaintext, or /otr "
                 "start");
    case EventType::kNewFingerprint:
      return Say("[otr] new fingerprint for " + peer + ": " +
                 e.As<events::NewFingerprint>()->fingerprint +
                 " (verify it with /smp or compare it out of band, then /trust)");
    case EventType::kUnencryptedReceived:
      return Say("[otr] warning: the last message from " + peer + " was NOT encrypted");
    case EventType::kEncryptionRequired:
      return Say("[held] the message waits for the private conversation, which is being started");
    case EventType::kCannotSend:
      return Say("[held] not sent: " + peer +
                 " ended the private conversation, and what you type now is dropped; /otr end "
                 "to write in plaintext, or /otr start for a new private conversation");
    case EventType::kStoredMessageSent:
      return Say("[sent:private] " + e.As<events::StoredMessageSent>()->text);
    case EventType::kHeldMessagePending:
      return Say("[held] your message waits: " + peer + "'s key " + FingerprintText(v) +
                 " is not verified; /otr send-held sends it to this key, /otr discard drops it");
    case EventType::kHeldMessageExpired:
      return Say("[held] dropped: " +
                 (v.held_text ? "\"" + *v.held_text + "\"" : std::string("your message")) +
                 " was not sent: no private conversation within a minute; type it again");
    case EventType::kActionFailed:
      return Say("[otr] an OTR step failed and changed nothing (" +
                 e.As<events::ActionFailed>()->what + "); try again, or /otr start");
    case EventType::kInstanceRefused:
      return Say("[otr] " + peer +
                 " is logged in at too many places at once; a new one was refused");
    case EventType::kUnsupportedVersion:
      return Say("[otr] " + peer + " sent a message of OTR version " +
                 std::to_string(e.As<events::UnsupportedVersion>()->version) +
                 ", which otr chat does not speak; it was ignored");
    case EventType::kFellBackToV3: {
      const auto* f = e.As<events::FellBackToV3>();
      return Say("[otr] warning: OTR version " + std::to_string(f->version) + " with " + peer +
                 ", not version 4: " +
                 (f->peer_showed_v4
                      ? peer + " offered version 4 before, so someone on the network may have "
                               "removed it from the request"
                      : "either " + peer + "'s client speaks only version " +
                            std::to_string(f->version) +
                            ", or someone on the network removed version 4 from the request"));
    }
    case EventType::kOfflineRefused:
      return Say("[otr] the offline start with " + peer + " was refused (" +
                 e.As<events::OfflineRefused>()->what + "); nothing was sent");
    case EventType::kCount:
      break;
    case EventType::kUndecryptable:
      return Say("[otr] an encrypted message from " + peer +
                 " could not be read (one of you may have restarted and lost the keys); "
                 "/otr start (on either side) begins a new private conversation, then ask " +
                 peer + " to send it again");
    case EventType::kErrorReceived:
      return Say("[otr] " + peer + " reports an OTR error: " + e.As<events::ErrorReceived>()->text);
    case EventType::kV1Refused:
      return Say("[otr] " + peer +
                 " sent an OTR version 1 message, which was ignored: version 1 is not safe "
                 "and not spoken; ask " +
                 peer + " to use a client with OTR version 2 or 3");
    case EventType::kSmpAskSecret:
      if (const auto& question = e.As<events::SmpAskSecret>()->question) {
        return Say("[smp] " + peer + " wants to verify you and asks: " + *question +
                   " (answer with /smp SECRET; answering lets " + peer +
                   " verify you, not you verify " + peer + ")");
      }
      return Say("[smp] " + peer +
                 " wants to check that you both know the same secret (answer with /smp SECRET)");
    case EventType::kSmpSucceeded:
      if (e.As<events::SmpSucceeded>()->authenticates_peer) {
        return Say("[smp] success: the secrets match; " + peer + "'s fingerprint " +
                       FingerprintText(v) + " is verified",
                   TrustChange::kVerify);
      }
      return Say("[smp] success: you answered " + peer + "'s question correctly, so " + peer +
                 " can trust you; answering a question does not verify " + peer +
                 " (to verify them, ask a question back: /smp-q QUESTION SECRET)");
    case EventType::kSmpFailed:
      return SmpFailed(v, "the secrets differ");
    case EventType::kSmpAborted:
      if (v.smp_awaiting_result) {
        return SmpFailed(v, peer + " compared the secrets and stopped: they differ");
      }
      if (v.smp_just_failed) return EventReport{};  // the peer's abort after a failure
      return Say("[smp] aborted: the check stopped before a result; " + peer +
                 " is not verified by it (/smp SECRET to start again)");
    case EventType::kSmpCheated:
      return SmpFailed(v, "a proof from " + peer + " did not verify (the check was aborted)");
    case EventType::kExtraSymmetricKey: {
      // The key itself is never shown (a secret); its use and data are.
      const auto* esk = e.As<events::ExtraSymmetricKey>();
      const std::string what = "the extra symmetric key (use " + std::to_string(esk->use) +
                               ", data \"" +
                               std::string(esk->use_data.begin(), esk->use_data.end()) + "\")";
      if (v.extra_key_ours) return Say("[otr] derived " + what + " and told " + peer);
      return Say("[otr] " + peer + " derived " + what + ", as we did; otr chat has no use for it");
    }
    case EventType::kMalformedMessage:
      if (const auto& detail = e.As<events::MalformedMessage>()->detail; !detail.empty()) {
        return Say("[otr] an OTR message from " + peer + " was refused: it is " + detail);
      }
      return Say("[otr] a damaged OTR message from " + peer +
                 " was ignored; if something seems missing, ask " + peer + " to send it again");
    case EventType::kOtherInstance:
      return Say("[otr] an OTR message from " + peer +
                 " was meant for another session of yours (one of you may have restarted) "
                 "and could not be read; /otr start (on either side) begins a new private "
                 "conversation");
    case EventType::kReflected:
      return Say(
          "[otr] a message that claims to come from this very session was ignored "
          "(someone sent our own message back to us)");
  }
  return Say("[otr] " + peer +
             ": something happened in the OTR session that otr chat does not "
             "describe");
}

std::optional<std::string_view> CtcpAction(std::string_view message) {
  constexpr std::string_view kStart =
      "\x01"
      "ACTION ";
  if (message.size() < kStart.size() || message.substr(0, kStart.size()) != kStart) {
    return std::nullopt;
  }
  message.remove_prefix(kStart.size());
  if (!message.empty() && message.back() == '\x01') message.remove_suffix(1);
  return message;
}

std::string MakeCtcpAction(std::string_view text) {
  return "\x01"
         "ACTION " +
         std::string(text) + "\x01";
}

std::string MessageLine(std::string_view peer, std::string_view text, bool encrypted) {
  const std::string who = "<" + std::string(peer) + (encrypted ? ":private> " : ":PLAINTEXT> ");
  if (!encrypted) text = WithoutTagGuard(text);
  std::optional<std::string_view> action = CtcpAction(text);
  if (!action && encrypted && text.substr(0, kOtrActionPrefix.size()) == kOtrActionPrefix) {
    action = text.substr(kOtrActionPrefix.size());
  }
  if (action) return ForTerminal(who + "* " + std::string(peer) + " " + std::string(*action));
  return ForTerminal(who + std::string(text));
}

std::string NoticeLine(std::string_view from, std::string_view text) {
  return ForTerminal("-" + std::string(from) + "- " + std::string(text));
}

}  // namespace otr::tools
