#include "protocol/session/session.h"

#include <cstdio>

#include "protocol/wire/classify.h"

namespace otr {
namespace {

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

}  // namespace

Result<Session> Session::Create(SessionConfig config, crypto::Random& random, Clock& clock) {
  OTR_RETURN_IF_ERROR(config.policy.Validate());
  if (config.backend == nullptr || config.our_key == nullptr) {
    return MakeError(ErrorCode::kInvalidKey, "Session: a backend and a DSA key are required");
  }
  if (config.our_tag == wire::kNoInstanceTag) {
    config.our_tag = RandomInstanceTag(random);
  } else if (config.our_tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "Session: our instance tag in 1..0xff");
  }
  return Session(std::move(config), random, clock);
}

Session::Session(SessionConfig config, crypto::Random& random, Clock& clock)
    : config_(std::move(config)), random_(&random), clock_(&clock) {
  conversation_config_ = v3::ConversationConfig{config_.backend,
                                                config_.our_key,
                                                config_.policy,
                                                config_.our_tag,
                                                config_.max_message_size,
                                                config_.heartbeat_seconds,
                                                config_.stored_message_seconds};
  conversations_.emplace(wire::kNoInstanceTag,
                         v3::Conversation(conversation_config_, wire::kNoInstanceTag));
  for (const auto& known : config_.known_fingerprints) {
    known_fingerprints_[known.fingerprint] = known.trusted;
  }
}

v3::Conversation& Session::Selected() { return conversations_.at(selected_); }

const v3::Conversation& Session::selected() const { return conversations_.at(selected_); }

v3::Conversation& Session::ForInstance(wire::InstanceTag their_tag) {
  auto it = conversations_.find(their_tag);
  if (it != conversations_.end()) return it->second;
  // A new instance of the peer inherits the master's AKE in progress (our
  // D-H Commit went to "no particular instance").
  v3::Conversation child = conversations_.at(wire::kNoInstanceTag);
  child.set_their_tag(their_tag);
  return conversations_.emplace(their_tag, std::move(child)).first->second;
}

Output Session::Receive(std::string_view inbound) {
  Output out;
  // "They all assume that at least one of ALLOW_V1, ALLOW_V2 or ALLOW_V3 is
  // set; if not, then OTR is completely disabled".
  if (!config_.policy.AnyVersion()) {
    out.display.push_back({std::string(inbound), false, wire::kNoInstanceTag});
    return out;
  }
  wire::InboundMessage message = wire::Classify(inbound);
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, wire::Fragment>) {
          if (m.version == 3 && m.receiver != wire::kNoInstanceTag &&
              m.receiver != config_.our_tag) {
            out.events.push_back(Event{EventType::kOtherInstance, m.sender});
            return;
          }
          auto whole = reassembler_.Add(m);
          if (whole.ok() && whole->has_value()) {
            Output inner = Receive(**whole);
            for (auto& s : inner.to_send) out.to_send.push_back(std::move(s));
            for (auto& d : inner.display) out.display.push_back(std::move(d));
            for (auto& e : inner.events) out.events.push_back(std::move(e));
          }
        } else if constexpr (std::is_same_v<T, wire::EncodedMessage> ||
                             std::is_same_v<T, wire::UnsupportedMessage>) {
          auto decoded = v3::DecodeMessage(m.message);
          if (!decoded.ok()) {
            out.events.push_back(Event{EventType::kMalformedMessage});
            return;
          }
          Route(*decoded, out);
        } else if constexpr (std::is_same_v<T, wire::QueryMessage>) {
          Selected().ReceiveQuery(m, out, *random_, *clock_);
        } else if constexpr (std::is_same_v<T, wire::ErrorMessage>) {
          Selected().ReceiveError(m, out, *random_, *clock_);
        } else if constexpr (std::is_same_v<T, wire::TaggedPlaintext>) {
          reassembler_.ForgetAll();
          Selected().ReceiveTagged(m, out, *random_, *clock_);
        } else if constexpr (std::is_same_v<T, wire::PlainText>) {
          // "If you receive a non-OTR message ... forget any stored fragment"
          reassembler_.ForgetAll();
          Selected().ReceivePlaintext(m.text, out, *random_, *clock_);
        } else {
          out.events.push_back(Event{EventType::kMalformedMessage});
        }
      },
      message);
  Finish(out);
  return out;
}

void Session::Route(const v3::Message& message, Output& out) {
  const v3::Header* header = HeaderOf(message);
  if (header == nullptr || header->version == v3::Version::kV2) {
    conversations_.at(wire::kNoInstanceTag).ReceiveMessage(message, out, *random_, *clock_);
    return;
  }
  // "someone receiving a message with a recipient instance tag specified that
  // does not equal their own should discard the message ... The exception
  // here is the D-H Commit Message where the recipient instance tag may be 0"
  const bool commit = std::holds_alternative<v3::DhCommit>(message);
  // Our own tag as the sender: our message reflected back (our D-H Commit
  // to every instance passes the receiver check). No instance of the peer
  // can hold our tag, so answering would only run an AKE with ourselves.
  if (header->sender_instance == config_.our_tag) {
    out.events.push_back(Event{EventType::kReflected, header->sender_instance});
    return;
  }
  if (header->receiver_instance != config_.our_tag &&
      !(commit && header->receiver_instance == wire::kNoInstanceTag)) {
    out.events.push_back(Event{EventType::kOtherInstance, header->sender_instance});
    return;
  }
  v3::Conversation& conversation = ForInstance(header->sender_instance);
  const v3::Conversation& master = conversations_.at(wire::kNoInstanceTag);
  if (std::holds_alternative<v3::DhKey>(message) &&
      conversation.auth_state() != v3::AuthState::kAwaitingDhKey &&
      master.auth_state() == v3::AuthState::kAwaitingDhKey) {
    conversation.AdoptAkeFrom(master);
  }
  conversation.ReceiveMessage(message, out, *random_, *clock_);
}

// Session-level bookkeeping after any input: new fingerprints, and the
// instance user actions go to once a conversation is secure.
void Session::Finish(Output& out) {
  for (size_t i = 0; i < out.events.size(); ++i) {
    if (out.events[i].type != EventType::kWentSecure) continue;
    const wire::InstanceTag tag = out.events[i].instance;
    auto it = conversations_.find(tag);
    if (it == conversations_.end() || !it->second.their_fingerprint()) continue;
    const store::Fingerprint& fp = *it->second.their_fingerprint();
    auto known = known_fingerprints_.find(fp);
    if (known == known_fingerprints_.end()) {
      known_fingerprints_.emplace(fp, false);
      out.events[i].trust = Trust::kNew;
      Event e(EventType::kNewFingerprint, tag);
      e.text = out.events[i].text;
      out.events.push_back(std::move(e));
    } else {
      out.events[i].trust = known->second ? Trust::kTrusted : Trust::kUntrusted;
    }
    // An exchange the master started (or a copy of it) is finished: the
    // master must not keep its D-H secrets (forward secrecy).
    if (tag != wire::kNoInstanceTag) {
      conversations_.at(wire::kNoInstanceTag).AbandonAke(*random_);
    }
    if (selected_ == wire::kNoInstanceTag ||
        Selected().message_state() != v3::MessageState::kEncrypted) {
      selected_ = tag;
    }
  }
}

Output Session::Send(std::string_view text) {
  Output out;
  if (!config_.policy.AnyVersion()) {
    out.to_send.push_back(std::string(text));
    return out;
  }
  Selected().Send(text, out, *random_, *clock_);
  Finish(out);
  return out;
}

Output Session::StartOtr() {
  Output out;
  Selected().Start(out, *random_, *clock_);
  return out;
}

Output Session::EndOtr() {
  Output out;
  Selected().End(out, *random_, *clock_);
  // An exchange in flight elsewhere (the master's D-H Commit to every
  // instance, or an instance still in its AKE) belongs to the conversation
  // the user ends: forget it too, so no AKE secret outlives the end and a
  // late AKE message cannot make it secure again. Other instances already
  // ENCRYPTED are separate conversations and stay.
  for (auto& [tag, conversation] : conversations_) {
    if (tag != selected_ && conversation.message_state() != v3::MessageState::kEncrypted) {
      conversation.AbandonAke(*random_);
    }
  }
  return out;
}

Output Session::StartSmp(std::string_view secret, std::optional<std::string_view> question) {
  Output out;
  Selected().StartSmp(secret, question, out, *random_, *clock_);
  return out;
}

Output Session::RespondSmp(std::string_view secret) {
  Output out;
  Selected().RespondSmp(secret, out, *random_, *clock_);
  return out;
}

Output Session::AbortSmp() {
  Output out;
  Selected().AbortSmp(out, *random_, *clock_);
  return out;
}

Result<Output> Session::UseExtraSymmetricKey(uint32_t use, ByteView use_data) {
  Output out;
  OTR_RETURN_IF_ERROR(Selected().UseExtraSymmetricKey(use, use_data, out, *random_, *clock_));
  return out;
}

void Session::SetTrust(const store::Fingerprint& fingerprint, bool trusted) {
  known_fingerprints_[fingerprint] = trusted;
}

std::vector<wire::InstanceTag> Session::Instances() const {
  std::vector<wire::InstanceTag> tags;
  for (const auto& [tag, conversation] : conversations_) tags.push_back(tag);
  return tags;
}

Status Session::SelectInstance(wire::InstanceTag tag) {
  if (conversations_.count(tag) == 0) {
    return MakeError(ErrorCode::kUnknownInstance, "Session: no conversation with that instance");
  }
  selected_ = tag;
  return Status::Ok();
}

ConversationState Session::state() const {
  switch (selected().message_state()) {
    case v3::MessageState::kEncrypted:
      return ConversationState::kEncrypted;
    case v3::MessageState::kFinished:
      return ConversationState::kFinished;
    default:
      return ConversationState::kPlaintext;
  }
}

int Session::version() const { return selected().version() == v3::Version::kV2 ? 2 : 3; }

std::optional<store::Fingerprint> Session::their_fingerprint() const {
  return selected().their_fingerprint();
}

store::Fingerprint Session::our_fingerprint() const {
  return store::ComputeFingerprint(*config_.backend, config_.our_key->pub);
}

std::string Session::ssid_text() const {
  const auto& ssid = selected().ssid();
  char text[18];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x %02x%02x%02x%02x", ssid[0], ssid[1], ssid[2],
                ssid[3], ssid[4], ssid[5], ssid[6], ssid[7]);
  return text;
}

}  // namespace otr
