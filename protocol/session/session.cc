#include "protocol/session/session.h"

#include <cstdio>
#include <utility>

#include "protocol/wire/classify.h"
#include "protocol/wire/error_message.h"

namespace otr {
namespace {

constexpr std::string_view kUnreadableError =
    "You sent an encrypted message that could not be read.";

wire::InstanceTag RandomInstanceTag(crypto::Random& random) {
  // "Clients should pick instance tags ... at random, >= 0x00000100."
  for (;;) {
    uint8_t b[4];
    random.Fill(b);
    const wire::InstanceTag tag =
        (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
    if (tag >= wire::kMinInstanceTag) return tag;
  }
}

std::string_view TextOf(const crypto::SecretBytes& text) {
  return std::string_view(reinterpret_cast<const char*>(text.data()), text.size());
}

const v3::Header* HeaderOf(const v3::Message& m) {
  return std::visit(
      [](const auto& v) -> const v3::Header* {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, v3::V1Message>) {
          return nullptr;
        } else {
          return &v.header;
        }
      },
      m);
}

// The version-neutral view of a v2/v3 conversation.
ConversationView ViewOfV3(const v3::Conversation& c, wire::InstanceTag tag) {
  ConversationView v;
  v.instance = tag;
  switch (c.message_state()) {
    case v3::MessageState::kEncrypted:
      v.state = ConversationState::kEncrypted;
      break;
    case v3::MessageState::kFinished:
      v.state = ConversationState::kFinished;
      break;
    default:
      v.state = ConversationState::kPlaintext;
  }
  if (c.their_fingerprint()) {
    v.version = c.version() == v3::Version::kV2 ? 2 : 3;
    v.their_fingerprint = store::PeerFingerprint::V3(*c.their_fingerprint());
    v.ssid.assign(c.ssid().begin(), c.ssid().end());
    // "If the user is Bob (sent the Reveal Signature), the first half is
    // shown in bold" (v3 "Secure Session ID"): as libotr's sessionid_half.
    v.ssid_first_half = c.we_sent_reveal_signature();
  }
  if (c.smp_state() != smp::SmpState::kExpect1) {
    v.smp = SmpProgress::kInProgress;
  } else if (c.smp_awaiting_secret()) {
    v.smp = SmpProgress::kAwaitingSecret;
  }
  v.ake_in_progress = c.auth_state() != v3::AuthState::kNone;
  v.machines = {
      MachineState{&v3::kMessageMachine, static_cast<size_t>(c.message_state()),
                   Name(c.message_state())},
      MachineState{&v3::kAuthMachine, static_cast<size_t>(c.auth_state()), Name(c.auth_state())},
      MachineState{&smp::kSmpMachine, static_cast<size_t>(c.smp_state()), Name(c.smp_state())},
  };
  return v;
}

}  // namespace

Result<Session> Session::Create(SessionConfig config, crypto::Random& random) {
  OTR_RETURN_IF_ERROR(config.policy.Validate());
  if (config.backend == nullptr || config.identity.dsa == nullptr) {
    return MakeError(ErrorCode::kInvalidKey, "Session: a backend and a DSA key are required");
  }
  if (config.our_tag == wire::kNoInstanceTag) {
    config.our_tag = RandomInstanceTag(random);
  } else if (config.our_tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "Session: our instance tag in 1..0xff");
  }
  return Session(std::move(config), random);
}

Session::Session(SessionConfig config, crypto::Random& random)
    : config_(std::move(config)), random_(&random) {
  conversation_config_ = v3::ConversationConfig{config_.backend,
                                                config_.identity.dsa,
                                                config_.policy,
                                                config_.our_tag,
                                                config_.max_message_size,
                                                config_.heartbeat_seconds,
                                                config_.stored_message_seconds};
  instances_.emplace(wire::kNoInstanceTag,
                     Instance{v3::Conversation(conversation_config_, wire::kNoInstanceTag), 0});
  for (const auto& known : config_.known_fingerprints) {
    known_fingerprints_[known.fingerprint] = known.trusted;
  }
}

Session::Machine& Session::Selected() { return instances_.at(selected_).machine; }

v3::Conversation& Session::Master() {
  return std::get<v3::Conversation>(instances_.at(wire::kNoInstanceTag).machine);
}

Session::Instance* Session::NewInstance(wire::InstanceTag their_tag, Output& out) {
  if (instances_.size() - 1 >= config_.max_instances) {
    // Evict the least recently used instance that holds no session (not
    // ENCRYPTED), never the master or the one the user selected.
    auto victim = instances_.end();
    for (auto it = instances_.begin(); it != instances_.end(); ++it) {
      if (it->first == wire::kNoInstanceTag || it->first == selected_) continue;
      const auto& c = std::get<v3::Conversation>(it->second.machine);
      if (c.message_state() == v3::MessageState::kEncrypted) continue;
      if (victim == instances_.end() || it->second.last_used < victim->second.last_used) {
        victim = it;
      }
    }
    if (victim == instances_.end()) {
      out.events.push_back(Event(events::InstanceRefused{}, their_tag));
      return nullptr;
    }
    instances_.erase(victim);  // its secrets are wiped with it
  }
  Instance& made =
      instances_.emplace(their_tag, Instance{v3::Conversation(conversation_config_, their_tag), 0})
          .first->second;
  Touch(made);
  return &made;
}

Output Session::Receive(uint64_t now, std::string_view inbound) {
  Output out;
  // "They all assume that at least one of ALLOW_V1, ALLOW_V2 or ALLOW_V3 is
  // set; if not, then OTR is completely disabled".
  if (!config_.policy.AnyVersion()) {
    out.display.push_back({std::string(inbound), false, wire::kNoInstanceTag});
    return out;
  }
  wire::InboundMessage message = wire::Classify(inbound);
  if (auto* fragment = std::get_if<wire::Fragment>(&message)) {
    if (fragment->version >= 3 && fragment->receiver != wire::kNoInstanceTag &&
        fragment->receiver != config_.our_tag) {
      out.events.push_back(Event(events::OtherInstance{}, fragment->sender));
      return out;
    }
    // Reassembled messages are handled here, once: never by a nested
    // Receive (a whole input ends with one Finish). v4 fragments may come in
    // any order and interleaved (v4 "Receiving Fragments"); v2/v3 in order.
    auto whole =
        fragment->version == 4 ? reassembler_v4_.Add(now, *fragment) : reassembler_.Add(*fragment);
    if (!whole.ok() || !whole->has_value()) return out;
    message = wire::Classify(**whole);
    if (std::holds_alternative<wire::Fragment>(message)) {
      // "you can't fragment a fragment" (the reassembler drops these too).
      out.events.push_back(Event(events::MalformedMessage{}));
      return out;
    }
  }
  Dispatch(now, std::move(message), out);
  Finish(now, out);
  return out;
}

void Session::Dispatch(uint64_t now, wire::InboundMessage message, Output& out) {
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, wire::EncodedMessage>) {
          auto decoded = v3::DecodeMessage(m.message);
          if (!decoded.ok()) {
            out.events.push_back(Event(events::MalformedMessage{}));
            return;
          }
          Route(now, *decoded, out);
        } else if constexpr (std::is_same_v<T, wire::UnsupportedMessage>) {
          if (m.protocol_version != 1) {
            // A version we do not speak (v4 until its engine lands): typed,
            // not garbage.
            out.events.push_back(Event(events::UnsupportedVersion{m.protocol_version}));
            return;
          }
          // Version 1 is parsed so the AKE can refuse it (kV1Refused).
          auto decoded = v3::DecodeMessage(m.message);
          if (!decoded.ok()) {
            out.events.push_back(Event(events::MalformedMessage{}));
            return;
          }
          Route(now, *decoded, out);
        } else if constexpr (std::is_same_v<T, wire::QueryMessage>) {
          ReportUnspokenOffer(m.versions, out);
          // A query names no instance: the master answers it, its D-H Commit
          // to every instance (receiver 0), as libotr's master context does.
          // An instance of the peer that restarted (a new tag) can then
          // answer; an ENCRYPTED instance takes the exchange over on its D-H
          // Key and re-keys.
          Master().ReceiveQuery(m, out, *random_, now);
        } else if constexpr (std::is_same_v<T, wire::ErrorMessage>) {
          std::visit([&](auto& c) { c.ReceiveError(m, out, *random_, now); }, Selected());
        } else if constexpr (std::is_same_v<T, wire::TaggedPlaintext>) {
          // v2/v3 buffers are forgotten; v4's are not ("Do not discard them").
          reassembler_.ForgetAll();
          ReportUnspokenOffer(m.versions, out);
          std::visit([&](auto& c) { c.ReceiveTagged(m, out, *random_, now); }, Selected());
        } else if constexpr (std::is_same_v<T, wire::PlainText>) {
          // "If you receive a non-OTR message ... forget any stored fragment"
          reassembler_.ForgetAll();
          std::visit([&](auto& c) { c.ReceivePlaintext(m.text, out, *random_, now); }, Selected());
        } else {
          out.events.push_back(Event(events::MalformedMessage{}));
        }
      },
      message);
}

void Session::Route(uint64_t now, const v3::Message& message, Output& out) {
  const v3::Header* header = HeaderOf(message);
  if (header == nullptr || header->version == v3::Version::kV2) {
    Master().ReceiveMessage(message, out, *random_, now);
    return;
  }
  // "someone receiving a message with a recipient instance tag specified that
  // does not equal their own should discard the message ... The exception
  // here is the D-H Commit Message where the recipient instance tag may be 0"
  const bool commit = std::holds_alternative<v3::DhCommit>(message);
  const bool dh_key = std::holds_alternative<v3::DhKey>(message);
  // Our own tag as the sender: our message reflected back (our D-H Commit
  // to every instance passes the receiver check). No instance of the peer
  // can hold our tag, so answering would only run an AKE with ourselves.
  if (header->sender_instance == config_.our_tag) {
    out.events.push_back(Event(events::Reflected{}, header->sender_instance));
    return;
  }
  if (header->receiver_instance != config_.our_tag &&
      !(commit && header->receiver_instance == wire::kNoInstanceTag)) {
    out.events.push_back(Event(events::OtherInstance{}, header->sender_instance));
    return;
  }
  auto found = instances_.find(header->sender_instance);
  Instance* instance = found == instances_.end() ? nullptr : &found->second;
  if (instance == nullptr) {
    if (const auto* data = std::get_if<v3::DataMessage>(&message)) {
      // No conversation with that instance holds keys: "If msgstate is
      // MSGSTATE_PLAINTEXT ... Inform the user that an unreadable encrypted
      // message was received, and reply with an Error Message", unless the
      // sender set IGNORE_UNREADABLE. No conversation is made for it.
      if ((data->flags & v3::kFlagIgnoreUnreadable) == 0) {
        out.events.push_back(Event(events::Undecryptable{}, header->sender_instance));
        out.to_send.push_back(wire::EncodeErrorMessage({std::string(kUnreadableError)}));
      }
      return;
    }
    if (!commit && !dh_key) {
      // A Reveal Signature or Signature for an exchange we never had.
      out.events.push_back(Event(events::OtherInstance{}, header->sender_instance));
      return;
    }
    instance = NewInstance(header->sender_instance, out);
    if (instance == nullptr) return;
  }
  Touch(*instance);
  auto& conversation = std::get<v3::Conversation>(instance->machine);
  const v3::Conversation& master = Master();
  if (dh_key && conversation.auth_state() != v3::AuthState::kAwaitingDhKey &&
      master.auth_state() == v3::AuthState::kAwaitingDhKey) {
    conversation.AdoptAkeFrom(master);
  }
  conversation.ReceiveMessage(message, out, *random_, now);
}

// Session-level bookkeeping after any input: new fingerprints, the instance
// user actions go to once a conversation is secure, and the held message.
void Session::Finish(uint64_t now, Output& out) {
  // A message REQUIRE_ENCRYPTION held back moves out of its conversation:
  // the session gives it to one conversation only.
  for (auto& [tag, instance] : instances_) {
    auto& c = std::get<v3::Conversation>(instance.machine);
    if (auto held = c.TakeHeldMessage()) held_ = std::move(held);
  }
  for (size_t i = 0; i < out.events.size(); ++i) {
    if (out.events[i].type() != EventType::kWentSecure) continue;
    const wire::InstanceTag tag = out.events[i].instance;
    auto it = instances_.find(tag);
    if (it == instances_.end()) continue;
    auto& conversation = std::get<v3::Conversation>(it->second.machine);
    if (!conversation.their_fingerprint()) continue;
    const store::PeerFingerprint fp = store::PeerFingerprint::V3(*conversation.their_fingerprint());
    bool trusted = false;
    auto known = known_fingerprints_.find(fp);
    if (known == known_fingerprints_.end()) {
      known_fingerprints_.emplace(fp, false);
      auto* secure = out.events[i].As<events::WentSecure>();
      secure->trust = Trust::kNew;
      out.events.push_back(Event(events::NewFingerprint{secure->fingerprint}, tag));
    } else {
      trusted = known->second;
      out.events[i].As<events::WentSecure>()->trust = trusted ? Trust::kTrusted : Trust::kUntrusted;
    }
    // An exchange the master started (or a copy of it) is finished: the
    // master must not keep its D-H secrets (forward secrecy).
    if (tag != wire::kNoInstanceTag) Master().AbandonAke(*random_);
    // The instance that just went secure is where the peer is now (a
    // restart gives it a new tag), unless the user chose another one that
    // is still ENCRYPTED.
    if (!pinned_ || state() != ConversationState::kEncrypted) selected_ = tag;
    // The held message: at once to a trusted key; otherwise the user first
    // sees whom it would go to (an injected D-H Commit completed with an
    // attacker's key must not receive it).
    if (held_ && now <= held_->at + config_.stored_message_seconds) {
      if (trusted) {
        Output sent;
        const std::string_view text = TextOf(held_->text);
        conversation.Send(text, sent, *random_, now);
        for (auto& s : sent.to_send) out.to_send.push_back(std::move(s));
        for (auto& e : sent.events) out.events.push_back(std::move(e));
        out.events.push_back(Event(events::StoredMessageSent{std::string(text)}, tag));
        held_.reset();
      } else {
        out.events.push_back(Event(events::HeldMessagePending{}, tag));
      }
    }
  }
}

Output Session::Send(uint64_t now, std::string_view text) {
  Output out;
  if (!config_.policy.AnyVersion()) {
    // Validate refuses REQUIRE_ENCRYPTION without a version; fail closed
    // all the same.
    if (config_.policy.require_encryption) {
      out.events.push_back(Event(events::CannotSend{}));
      return out;
    }
    out.to_send.push_back(std::string(text));
    return out;
  }
  Touch(instances_.at(selected_));
  std::visit([&](auto& c) { c.Send(text, out, *random_, now); }, Selected());
  Finish(now, out);
  return out;
}

Result<Output> Session::SendHeldMessage(uint64_t now) {
  if (!held_) return MakeError(ErrorCode::kBadState, "no held message");
  if (state() != ConversationState::kEncrypted) {
    return MakeError(ErrorCode::kBadState, "the selected instance is not encrypted");
  }
  Output out;
  const std::string_view text = TextOf(held_->text);
  std::visit([&](auto& c) { c.Send(text, out, *random_, now); }, Selected());
  out.events.push_back(Event(events::StoredMessageSent{std::string(text)}, selected_));
  held_.reset();
  Finish(now, out);
  return out;
}

void Session::DiscardHeldMessage() { held_.reset(); }

// A query or tag that offers version 4 but no version we speak: typed as
// such, so the user learns the peer wants a version we do not have yet.
void Session::ReportUnspokenOffer(wire::VersionSet offered, Output& out) const {
  const Policy& p = config_.policy;
  const bool speakable = (offered.Has(2) && p.allow_v2) || (offered.Has(3) && p.allow_v3);
  if (!speakable && offered.Has(4)) out.events.push_back(Event(events::UnsupportedVersion{4}));
}

Output Session::HandleTimeout(uint64_t now) {
  Output out;
  reassembler_v4_.Expire(now);
  if (held_ && now > held_->at + config_.stored_message_seconds) {
    // The promise "sent once OTR is running" expires: say so.
    held_.reset();
    out.events.push_back(Event(events::HeldMessageExpired{}, selected_));
  }
  return out;
}

std::optional<uint64_t> Session::NextTimeout() const {
  if (held_) return held_->at + config_.stored_message_seconds + 1;
  return std::nullopt;
}

Output Session::StartOtr(uint64_t now) {
  Output out;
  std::visit([&](auto& c) { c.Start(out, *random_, now); }, Selected());
  return out;
}

Output Session::EndOtr(uint64_t now) {
  Output out;
  std::visit([&](auto& c) { c.End(out, *random_, now); }, Selected());
  // An exchange in flight elsewhere (the master's D-H Commit to every
  // instance, or an instance still in its AKE) belongs to the conversation
  // the user ends: forget it too, so no AKE secret outlives the end and a
  // late AKE message cannot make it secure again. Other instances already
  // ENCRYPTED are separate conversations and stay.
  for (auto& [tag, instance] : instances_) {
    auto& c = std::get<v3::Conversation>(instance.machine);
    if (tag != selected_ && c.message_state() != v3::MessageState::kEncrypted) {
      c.AbandonAke(*random_);
    }
  }
  return out;
}

Output Session::StartSmp(uint64_t now, std::string_view secret,
                         std::optional<std::string_view> question) {
  Output out;
  std::visit([&](auto& c) { c.StartSmp(secret, question, out, *random_, now); }, Selected());
  return out;
}

Output Session::RespondSmp(uint64_t now, std::string_view secret) {
  Output out;
  std::visit([&](auto& c) { c.RespondSmp(secret, out, *random_, now); }, Selected());
  return out;
}

Output Session::AbortSmp(uint64_t now) {
  Output out;
  std::visit([&](auto& c) { c.AbortSmp(out, *random_, now); }, Selected());
  return out;
}

Result<Output> Session::UseExtraSymmetricKey(uint64_t now, uint32_t use, ByteView use_data) {
  Output out;
  OTR_RETURN_IF_ERROR(
      std::visit([&](auto& c) { return c.UseExtraSymmetricKey(use, use_data, out, *random_, now); },
                 Selected()));
  return out;
}

void Session::SetTrust(const store::PeerFingerprint& fingerprint, bool trusted) {
  known_fingerprints_[fingerprint] = trusted;
}

std::vector<wire::InstanceTag> Session::Instances() const {
  std::vector<wire::InstanceTag> tags;
  for (const auto& [tag, instance] : instances_) tags.push_back(tag);
  return tags;
}

Status Session::SelectInstance(wire::InstanceTag tag) {
  auto it = instances_.find(tag);
  if (it == instances_.end()) {
    return MakeError(ErrorCode::kUnknownInstance, "Session: no conversation with that instance");
  }
  selected_ = tag;
  pinned_ = true;
  return Status::Ok();
}

ConversationView Session::ViewOf(wire::InstanceTag tag) const {
  return std::visit([&](const auto& c) { return ViewOfV3(c, tag); }, instances_.at(tag).machine);
}

std::optional<ConversationView> Session::view(wire::InstanceTag tag) const {
  if (instances_.count(tag) == 0) return std::nullopt;
  return ViewOf(tag);
}

std::optional<store::Fingerprint> Session::their_fingerprint() const {
  const ConversationView v = view();
  if (!v.their_fingerprint) return std::nullopt;
  return v.their_fingerprint->AsV3();
}

store::Fingerprint Session::our_fingerprint() const {
  return store::ComputeFingerprint(*config_.backend, config_.identity.dsa->pub);
}

std::string Session::ssid_text() const {
  const ConversationView v = view();
  if (v.ssid.size() != 8) return std::string();
  char text[18];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x %02x%02x%02x%02x", v.ssid[0], v.ssid[1],
                v.ssid[2], v.ssid[3], v.ssid[4], v.ssid[5], v.ssid[6], v.ssid[7]);
  return text;
}

}  // namespace otr
