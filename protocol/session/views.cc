#include "protocol/session/views.h"

#include <utility>

#include "protocol/smp/smp_table.h"
#include "protocol/v4/crypto/fingerprint.h"

namespace otr {
namespace {

SmpProgress SmpProgressOf(smp::SmpState state, bool awaiting_secret) {
  if (state != smp::SmpState::kExpect1) return SmpProgress::kInProgress;
  return awaiting_secret ? SmpProgress::kAwaitingSecret : SmpProgress::kIdle;
}

}  // namespace

ConversationState StateOfConversation(const v3::Conversation& c) {
  switch (c.message_state()) {
    case v3::MessageState::kEncrypted:
      return ConversationState::kEncrypted;
    case v3::MessageState::kFinished:
      return ConversationState::kFinished;
    default:
      return ConversationState::kPlaintext;
  }
}

ConversationState StateOfConversation(const v4::Conversation& c) {
  if (c.encrypted()) return ConversationState::kEncrypted;
  if (c.state() == v4::ProtocolState::kFinished) return ConversationState::kFinished;
  return ConversationState::kPlaintext;
}

std::optional<PeerOfConversation> PeerOf(const v3::Conversation& c) {
  if (!c.their_fingerprint()) return std::nullopt;
  return PeerOfConversation{c.version() == v3::Version::kV2 ? 2 : 3,
                            store::PeerFingerprint::V3(*c.their_fingerprint())};
}

std::optional<PeerOfConversation> PeerOf(const v4::Conversation& c) {
  const auto fp = c.their_fingerprint();
  if (!fp) return std::nullopt;
  return PeerOfConversation{4, v4::ToPeerFingerprint(*fp)};
}

ConversationView ViewOfConversation(const v3::Conversation& c, wire::InstanceTag tag) {
  ConversationView v;
  v.instance = tag;
  v.state = StateOfConversation(c);
  if (auto peer = PeerOf(c)) {
    v.version = peer->version;
    v.their_fingerprint = std::move(peer->fingerprint);
    v.ssid.assign(c.ssid().begin(), c.ssid().end());
    // "If the user is Bob (sent the Reveal Signature), the first half is
    // shown in bold" (v3 "Secure Session ID"): as libotr's sessionid_half.
    v.ssid_first_half = c.we_sent_reveal_signature();
  }
  v.smp = SmpProgressOf(c.smp_state(), c.smp_awaiting_secret());
  v.ake_in_progress = c.auth_state() != v3::AuthState::kNone;
  v.machines = {
      MachineState{&v3::kMessageMachine, static_cast<size_t>(c.message_state()),
                   Name(c.message_state())},
      MachineState{&v3::kAuthMachine, static_cast<size_t>(c.auth_state()), Name(c.auth_state())},
      MachineState{&smp::kSmpMachine, static_cast<size_t>(c.smp_state()), Name(c.smp_state())},
  };
  return v;
}

ConversationView ViewOfConversation(const v4::Conversation& c, wire::InstanceTag tag) {
  ConversationView v;
  v.instance = tag;
  v.state = StateOfConversation(c);
  if (auto peer = PeerOf(c)) {
    v.version = peer->version;
    v.their_fingerprint = std::move(peer->fingerprint);
    const auto ssid = c.ssid();
    v.ssid.assign(ssid.begin(), ssid.end());
    // otrv4.md "Secure Session ID": the Auth-R's sender shows the first 4
    // bytes in bold, the Auth-I's sender the second.
    v.ssid_first_half = c.ssid_first_half_bold();
  }
  v.smp = SmpProgressOf(c.smp_state(), c.smp_awaiting_secret());
  v.ake_in_progress = c.state() == v4::ProtocolState::kWaitingAuthR ||
                      c.state() == v4::ProtocolState::kWaitingAuthI;
  v.machines = {
      MachineState{&v4::kProtocolMachine, static_cast<size_t>(c.state()), Name(c.state())},
      MachineState{&smp::kSmpMachine, static_cast<size_t>(c.smp_state()), Name(c.smp_state())},
  };
  return v;
}

bool IsEncrypted(const v3::Conversation& c) {
  return c.message_state() == v3::MessageState::kEncrypted;
}
bool IsEncrypted(const v4::Conversation& c) { return c.encrypted(); }

bool IsIdle(const v3::Conversation& c) {
  return c.message_state() == v3::MessageState::kPlaintext &&
         c.auth_state() == v3::AuthState::kNone;
}
bool IsIdle(const v4::Conversation& c) { return c.state() == v4::ProtocolState::kStart; }

}  // namespace otr
