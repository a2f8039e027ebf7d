#include "protocol/session/session.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/session/version_choice.h"
#include "protocol/session/views.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/dake/xzdh.h"
#include "protocol/v4/libotr_ng/carrier.h"
#include "protocol/v4/libotr_ng/dake.h"
#include "protocol/v4/libotr_ng/fingerprint.h"
#include "protocol/v4/libotr_ng/non_interactive.h"
#include "protocol/v4/libotr_ng/recognize.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/v4/profile/profile_status.h"
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

// The v4 message's header (the Prekey Message has none: nullptr).
const v4::Header* HeaderOf(const v4::Message& m) {
  return std::visit(
      [](const auto& v) -> const v4::Header* {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, v4::PrekeyMessage>) {
          return nullptr;
        } else {
          return &v.header;
        }
      },
      m);
}

// An ENCRYPTED v2/v3 conversation: the only kind a v4 DAKE runs beside.
bool IsEncryptedV3(const std::variant<v3::Conversation, v4::Conversation>& machine) {
  const auto* v3 = std::get_if<v3::Conversation>(&machine);
  return v3 != nullptr && IsEncrypted(*v3);
}

}  // namespace

Result<Session> Session::Create(SessionConfig config, crypto::Random& random) {
  OTR_RETURN_IF_ERROR(config.policy.Validate());
  if (config.backend == nullptr) {
    return MakeError(ErrorCode::kInvalidKey, "Session: a backend is required");
  }
  if (config.policy.SpeaksV3() && config.identity.dsa == nullptr) {
    return MakeError(ErrorCode::kInvalidKey, "Session: v2/v3 need a DSA key");
  }
  if (config.policy.allow_v4 && config.identity.v4 == nullptr) {
    return MakeError(ErrorCode::kInvalidKey,
                     "Session: ALLOW_V4 needs a v4 identity (long-term key, forging key, "
                     "Client Profile)");
  }
  if (config.our_tag == wire::kNoInstanceTag) {
    // Our Client Profile names our instance tag ("Client Profile owner
    // instance tag"): with a v4 identity, that is our tag.
    config.our_tag = config.identity.v4 != nullptr
                         ? config.identity.v4->client_profile.owner_instance_tag
                         : RandomInstanceTag(random);
  }
  if (config.our_tag < wire::kMinInstanceTag) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "Session: our instance tag in 1..0xff");
  }
  if (config.identity.v4 != nullptr &&
      config.identity.v4->client_profile.owner_instance_tag != config.our_tag) {
    return MakeError(ErrorCode::kInvalidInstanceTag,
                     "Session: the Client Profile's owner instance tag is not our tag");
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
  if (config_.identity.v4 != nullptr) {
    v4::ConversationConfig& v4_config = v4_config_.emplace();
    v4_config.backend = config_.backend;
    v4_config.identity = config_.identity.v4;
    v4_config.policy = config_.policy;
    v4_config.our_tag = config_.our_tag;
    v4_config.max_message_size = config_.max_message_size;
    v4_config.heartbeat_seconds = config_.heartbeat_seconds;
    v4_config.stored_message_seconds = config_.stored_message_seconds;
    v4_config.ratchet_limits = config_.ratchet_limits;
    v4_config.session_expiry_seconds = config_.session_expiry_seconds;
    v4_config.prekey_store = config_.prekey_store;
    v4_config.phi_context = config_.phi_context;
  }
  // The master speaks v4 when v4 is allowed (its queries and tags offer 4
  // and 3), else v2/v3; it changes version when an offer asks for the other.
  if (config_.policy.allow_v4) {
    instances_.emplace(wire::kNoInstanceTag, Instance{MakeV4(wire::kNoInstanceTag), 0, {}});
  } else {
    instances_.emplace(wire::kNoInstanceTag, Instance{MakeV3(wire::kNoInstanceTag), 0, {}});
  }
  for (const auto& known : config_.known_fingerprints) {
    known_fingerprints_[known.fingerprint] = known.trusted;
    if (known.fingerprint.kind == store::FingerprintKind::kV4Ed448) peer_showed_v4_ = true;
  }
}

v3::Conversation Session::MakeV3(wire::InstanceTag their_tag) const {
  return v3::Conversation(conversation_config_, their_tag);
}

v4::Conversation Session::MakeV4(wire::InstanceTag their_tag) const {
  return v4::Conversation(*v4_config_, their_tag);
}

Session::Machine& Session::Selected() { return instances_.at(selected_).machine; }

v3::Conversation* Session::MasterV3() {
  Machine& master = MasterMachine();
  if (auto* v3 = std::get_if<v3::Conversation>(&master)) return v3;
  if (!config_.policy.SpeaksV3()) return nullptr;
  // otrv4.md "The Protocol State Machine": "The only state where OTRv3
  // messages are taken into account is the START state".
  if (!IsIdle(std::get<v4::Conversation>(master))) return nullptr;
  return &master.emplace<v3::Conversation>(conversation_config_, wire::kNoInstanceTag);
}

v4::Conversation* Session::MasterV4(uint64_t now, Output& out) {
  Machine& master = MasterMachine();
  if (auto* v4 = std::get_if<v4::Conversation>(&master)) return v4;
  if (!config_.policy.allow_v4) return nullptr;
  const v3::Conversation& v3 = std::get<v3::Conversation>(master);
  if (v3.message_state() == v3::MessageState::kFinished) {
    // The peer ended a v2 conversation (it lives in the master) and now
    // offers v4: a v4 conversation takes FINISHED over (its table's row),
    // so the user's messages are still not sent in plaintext, and the offer
    // is handled by v4's FINISHED row (decision 0045).
    v4::Conversation& v4 = master.emplace<v4::Conversation>(*v4_config_, wire::kNoInstanceTag);
    v4.TakeOverFinished(out, *random_, now);
    return &v4;
  }
  if (IsEncrypted(v3)) {
    // otrv4.md "Receiving a Query Message" excepts no state: "Send an
    // Identity message". The encrypted v2 conversation stays in the master
    // and stays usable; the DAKE runs in a v4 conversation beside it and,
    // once the peer's Auth-R completes it, moves to that peer instance, as
    // the master's own DAKE does (decision 0048).
    Box<v4::Conversation>& beside = MasterInstance().v4_beside;
    if (!beside) beside.emplace(MakeV4(wire::kNoInstanceTag));
    return beside.get();
  }
  // A v2 AKE in progress in the master is not replaced.
  if (!IsIdle(v3)) return nullptr;
  return &master.emplace<v4::Conversation>(*v4_config_, wire::kNoInstanceTag);
}

v4::Conversation* Session::MastersV4Dake() {
  Machine& master = MasterMachine();
  if (auto* v4 = std::get_if<v4::Conversation>(&master)) return v4;
  return MasterInstance().v4_beside.get();
}

// A DAKE beside a conversation ends through its own row for the user's end
// (WAITING_AUTH_R or WAITING_AUTH_I -> START, "forget the DAKE": its
// ephemeral keys are wiped); the conversation, in START then, is dropped
// from the session as an evicted instance is (decisions 0048, 0053).
void Session::EndDakeBeside(Instance& instance, uint64_t now, Output& out) {
  if (!instance.v4_beside) return;
  instance.v4_beside->End(out, *random_, now);
  instance.v4_beside.reset();
}

std::map<wire::InstanceTag, Session::Instance>::iterator Session::FindVictim() {
  auto victim = instances_.end();
  for (auto it = instances_.begin(); it != instances_.end(); ++it) {
    if (it->first == wire::kNoInstanceTag || it->first == selected_) continue;
    if (std::visit([](const auto& c) { return IsEncrypted(c); }, it->second.machine)) continue;
    if (victim == instances_.end() || it->second.last_used < victim->second.last_used) {
      victim = it;
    }
  }
  return victim;
}

Session::Instance* Session::NewInstance(wire::InstanceTag their_tag, Machine machine, Output& out) {
  if (AtInstanceLimit()) {
    // Evict the least recently used instance that holds no session (not
    // ENCRYPTED), never the master or the one the user selected.
    auto victim = FindVictim();
    if (victim == instances_.end()) {
      out.events.push_back(Event(events::InstanceRefused{}, their_tag));
      return nullptr;
    }
    instances_.erase(victim);  // its secrets are wiped with it
  }
  instances_.erase(their_tag);
  Instance& made = instances_.emplace(their_tag, Instance{std::move(machine), 0, {}}).first->second;
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
        fragment->version == 4
            ? (reassembler_v4_ ? *reassembler_v4_ : reassembler_v4_.emplace()).Add(now, *fragment)
            : reassembler_.Add(*fragment);
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
          // v2/v3 (the classifier gives v4 as UnsupportedMessage{4}).
          if (!config_.policy.SpeaksV3()) {
            // otrv4.md "OTRv4 Modes": a v4-only client rejects a request
            // for an OTRv3 conversation (the D-H Commit among them).
            out.events.push_back(Event(events::UnsupportedVersion{m.protocol_version}));
            return;
          }
          auto decoded = v3::DecodeMessage(m.message);
          if (!decoded.ok()) {
            out.events.push_back(Event(events::MalformedMessage{}));
            return;
          }
          Route(now, *decoded, out, m.message);
        } else if constexpr (std::is_same_v<T, wire::UnsupportedMessage>) {
          if (m.protocol_version == 4 && config_.policy.allow_v4 &&
              config_.policy.v4_variant == V4Variant::kLibotrNg) {
            // The libotr-ng compatibility profile reads only libotr-ng's
            // variant (decision 0025).
            auto decoded = v4::libotr_ng::DecodeCarried(*config_.backend, m.message);
            if (!decoded.ok()) {
              events::MalformedMessage refused;
              refused.detail = v4::DecodeMessage(m.message).ok()
                                   ? "a specification OTRv4 message; this session speaks "
                                     "libotr-ng's variant (the libotr-ng compatibility profile)"
                                   : "not a libotr-ng OTRv4 message";
              out.events.push_back(Event(std::move(refused)));
              return;
            }
            RouteV4(now, *decoded, out);
            return;
          }
          if (m.protocol_version == 4 && config_.policy.allow_v4) {
            auto decoded = v4::DecodeMessage(m.message);
            if (!decoded.ok()) {
              // Refused, never misread; libotr-ng's variant is named (issue 20).
              events::MalformedMessage refused;
              if (auto variant = v4::libotr_ng::RecognizeVariant(m.message)) {
                refused.detail = std::string(*variant);
              }
              out.events.push_back(Event(std::move(refused)));
              return;
            }
            RouteV4(now, *decoded, out, m.message);
            return;
          }
          if (m.protocol_version != 1 || !config_.policy.SpeaksV3()) {
            // A version we do not speak (v4 without ALLOW_V4): typed, not
            // garbage.
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
          ReceiveOffer(now, &m, nullptr, out);
        } else if constexpr (std::is_same_v<T, wire::ErrorMessage>) {
          std::visit([&](auto& c) { c.ReceiveError(m, out, *random_, now); }, Selected());
        } else if constexpr (std::is_same_v<T, wire::TaggedPlaintext>) {
          // v2/v3 buffers are forgotten; v4's are not ("Do not discard them").
          reassembler_.ForgetAll();
          ReceiveOffer(now, nullptr, &m, out);
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

// A Query Message or a tagged plaintext: the version is chosen here
// (version_choice.h), then the master of that version answers. A query
// names no instance: the master answers it, its D-H Commit (Identity) to
// every instance (receiver 0), as libotr's master context does. An instance
// of the peer that restarted (a new tag) can then answer; an ENCRYPTED v3
// instance takes the exchange over on its D-H Key and re-keys.
void Session::ReceiveOffer(uint64_t now, const wire::QueryMessage* query,
                           const wire::TaggedPlaintext* tagged, Output& out) {
  const wire::VersionSet offered = query != nullptr ? query->versions : tagged->versions;
  if (offered.Has(4)) peer_showed_v4_ = true;
  ReportUnspokenOffer(offered, out);
  const OfferAnswer answer = ChooseVersion(offered, config_.policy);
  if (answer == OfferAnswer::kRefusedV3) {
    // otrv4.md "OTRv4 Modes": "reject this request".
    out.events.push_back(Event(events::UnsupportedVersion{offered.Has(3) ? 3 : 2}));
  }
  if (query != nullptr) {
    if (answer == OfferAnswer::kV4) {
      if (auto* master = MasterV4(now, out)) master->ReceiveQuery(*query, out, *random_, now);
    } else if (answer == OfferAnswer::kV3) {
      if (auto* master = MasterV3()) master->ReceiveQuery(*query, out, *random_, now);
    }
    return;
  }
  // Tagged plaintext: the conversation the user sees shows the text; the
  // AKE or DAKE part belongs to the master of the chosen version. When the
  // selected conversation is that master's version it does both, as before.
  Machine& selected = Selected();
  const bool v4_chosen = answer == OfferAnswer::kV4;
  const bool v3_chosen = answer == OfferAnswer::kV3;
  if ((v4_chosen && std::holds_alternative<v4::Conversation>(selected)) ||
      (v3_chosen && std::holds_alternative<v3::Conversation>(selected)) ||
      (!v4_chosen && !v3_chosen)) {
    std::visit([&](auto& c) { c.ReceiveTagged(*tagged, out, *random_, now); }, selected);
    return;
  }
  // The selected conversation is of the other version: it shows the text
  // (warning as its state says); the master of the chosen version starts
  // the exchange, unless the selected conversation is ENCRYPTED (otrv4.md
  // "Receiving plaintext with the whitespace tag": in ENCRYPTED_MESSAGES
  // only display).
  std::visit([&](auto& c) { c.ReceivePlaintext(tagged->text, out, *random_, now); }, selected);
  if (std::visit([](const auto& c) { return IsEncrypted(c); }, selected)) return;
  Output master_out;
  if (v4_chosen) {
    if (auto* master = MasterV4(now, master_out)) {
      master->ReceiveTagged(*tagged, master_out, *random_, now);
    }
  } else if (auto* master = MasterV3()) {
    master->ReceiveTagged(*tagged, master_out, *random_, now);
  }
  for (auto& s : master_out.to_send) out.to_send.push_back(std::move(s));
  for (auto& e : master_out.events) {
    if (e.type() != EventType::kUnencryptedReceived) out.events.push_back(std::move(e));
  }
}

void Session::Route(uint64_t now, const v3::Message& message, Output& out, ByteView encoded) {
  const v3::Header* header = HeaderOf(message);
  if (header == nullptr || header->version == v3::Version::kV2) {
    // v1 and v2 belong to the master (a v2 AKE has no instance tags).
    if (auto* master = MasterV3()) master->ReceiveMessage(message, out, *random_, now, encoded);
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
  if (instance != nullptr && std::holds_alternative<v4::Conversation>(instance->machine)) {
    // otrv4.md "The Protocol State Machine": v3 messages count only in
    // START. A v4 instance in START that gets a D-H Commit or D-H Key
    // becomes a v3 conversation; otherwise the message is ignored.
    if (!(commit || dh_key) || !IsIdle(std::get<v4::Conversation>(instance->machine))) return;
    instance->machine.emplace<v3::Conversation>(conversation_config_, header->sender_instance);
  }
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
    instance = NewInstance(header->sender_instance, MakeV3(header->sender_instance), out);
    if (instance == nullptr) return;
  }
  Touch(*instance);
  auto& conversation = std::get<v3::Conversation>(instance->machine);
  const auto* master = std::get_if<v3::Conversation>(&MasterMachine());
  if (dh_key && master != nullptr && conversation.auth_state() != v3::AuthState::kAwaitingDhKey &&
      master->auth_state() == v3::AuthState::kAwaitingDhKey) {
    conversation.AdoptAkeFrom(*master);
  }
  conversation.ReceiveMessage(message, out, *random_, now, encoded);
}

// A v4 message (otrv4.md "Protocol Events"): "someone receiving a message
// with a recipient instance tag specified that does not equal their own,
// should discard the message ... The exception here is the Identity Message
// where the receiver's instance tag may be 0". The sender's tag selects the
// conversation, as in v3; an Identity message from a new instance gets a
// conversation of its own, and an Auth-R from a new instance answers the
// master's Identity message: the master's DAKE moves to that instance.
void Session::RouteV4(uint64_t now, const v4::Message& message, Output& out, ByteView encoded) {
  const v4::Header* header = HeaderOf(message);
  if (header == nullptr) {
    // A Prekey Message travels through the prekey server, never here.
    out.events.push_back(Event(events::MalformedMessage{}));
    return;
  }
  peer_showed_v4_ = true;
  const wire::InstanceTag sender = header->sender_instance_tag;
  const bool identity = std::holds_alternative<v4::IdentityMessage>(message);
  const bool auth_r = std::holds_alternative<v4::AuthR>(message);
  // A Non-Interactive-Auth message starts a conversation like an Identity
  // message ("Receiving a Non-Interactive-Auth Message", in any state).
  const bool non_interactive_auth = std::holds_alternative<v4::NonInteractiveAuth>(message);
  const bool starts = identity || non_interactive_auth;
  if (sender == config_.our_tag) {
    out.events.push_back(Event(events::Reflected{}, sender));
    return;
  }
  if (header->receiver_instance_tag != config_.our_tag &&
      !(identity && header->receiver_instance_tag == wire::kNoInstanceTag)) {
    out.events.push_back(Event(events::OtherInstance{}, sender));
    return;
  }
  auto found = instances_.find(sender);
  Instance* instance = found == instances_.end() ? nullptr : &found->second;
  if (auth_r && instance != nullptr) {
    // The master answers every Query Message with its Identity message, so
    // the Auth-R of a peer instance we already have a conversation with may
    // answer the master's DAKE. Unless that conversation waits for an Auth-R
    // itself (its own DAKE, in WAITING_AUTH_R or ENCRYPTED_MESSAGES), the
    // master's DAKE continues and, once it completes, its conversation
    // replaces that instance's: a v4 conversation that ended, never went
    // secure, or is still ENCRYPTED because the peer's end was lost (found
    // by fuzz/v4_session_established_fuzzer: after the peer ended, its Query
    // led nowhere; later by its campaign for a lost end), or a v2/v3
    // conversation (decision 0053). An ENCRYPTED conversation is kept until
    // the new DAKE completes (decision 0010): an Auth-R that does not
    // complete the master's DAKE changes nothing.
    const auto* mine = std::get_if<v4::Conversation>(&instance->machine);
    v4::Conversation* master = MastersV4Dake();
    const bool waits_itself =
        mine != nullptr && (mine->state() == v4::ProtocolState::kWaitingAuthR ||
                            mine->state() == v4::ProtocolState::kEncryptedWaitingAuthR);
    if (master != nullptr && master->state() == v4::ProtocolState::kWaitingAuthR && !waits_itself) {
      if (auto moved = ContinueMastersDake(now, *master, message, sender, out)) {
        EndDakeBeside(*instance, now, out);  // a DAKE of its own is superseded
        instance->machine = std::move(*moved);
        Touch(*instance);
      }
      return;
    }
  }
  if (instance != nullptr && std::holds_alternative<v3::Conversation>(instance->machine)) {
    // The peer's instance spoke v3 with us; an Identity message restarts it
    // in v4. An ENCRYPTED v3 conversation stays until a DAKE beside it
    // completes (decision 0053): a replayed or injected Identity message
    // must not end it.
    const bool encrypted = IsEncrypted(std::get<v3::Conversation>(instance->machine));
    if (encrypted &&
        (starts || (instance->v4_beside && !std::holds_alternative<v4::DataMessage>(message)))) {
      ReceiveBeside(now, *instance, sender, message, out, encoded);
      return;
    }
    if (!starts || encrypted) {
      out.events.push_back(Event(events::OtherInstance{}, sender));
      return;
    }
    if (non_interactive_auth) {
      ReceiveNewNonInteractiveAuth(now, instance, sender, message, out, encoded);
      return;
    }
    instance->machine.emplace<v4::Conversation>(*v4_config_, sender);
  }
  if (instance == nullptr) {
    if (const auto* data = std::get_if<v4::DataMessage>(&message)) {
      // otrv4.md "Receiving a Data Message": not in ENCRYPTED_MESSAGES ->
      // "If the IGNORE_UNREADABLE flag is set, ignore", else inform the user
      // and reply with an Error Message (ERROR_2, unreadable).
      if ((data->flags & v4::kFlagIgnoreUnreadable) == 0) {
        out.events.push_back(Event(events::Undecryptable{}, sender));
        out.to_send.push_back(wire::EncodeErrorMessage({std::string(kUnreadableError)}));
      }
      return;
    }
    v4::Conversation* master = MastersV4Dake();
    if (auth_r && master != nullptr && master->state() == v4::ProtocolState::kWaitingAuthR) {
      // The master's Identity message (receiver 0) is answered by this
      // instance: the master's DAKE continues, then moves there.
      if (auto moved = ContinueMastersDake(now, *master, message, sender, out)) {
        if (Instance* made = NewInstance(sender, std::move(*moved), out)) Touch(*made);
      }
      return;
    }
    if (!starts) {
      // An Auth-R or Auth-I for a DAKE we never had.
      out.events.push_back(Event(events::OtherInstance{}, sender));
      return;
    }
    if (non_interactive_auth) {
      ReceiveNewNonInteractiveAuth(now, nullptr, sender, message, out, encoded);
      return;
    }
    instance = NewInstance(sender, MakeV4(sender), out);
    if (instance == nullptr) return;
  }
  Touch(*instance);
  std::get<v4::Conversation>(instance->machine)
      .ReceiveMessage(message, out, *random_, now, encoded);
}

// otrv4.md "Receiving a Non-Interactive-Auth Message": one that does not
// validate (a forged one, or one naming a prekey already used) is ignored.
// So it changes no instance: it must not replace a v2/v3 conversation (or
// its AKE in progress) with an idle v4 one, nor make an instance that evicts
// another (found by fuzz/v4_session_offline_fuzzer:
// corpus/v4_session_offline_fuzzer/finding_refused_nia_replaces_v3).
void Session::ReceiveNewNonInteractiveAuth(uint64_t now, Instance* instance,
                                           wire::InstanceTag sender, const v4::Message& message,
                                           Output& out, ByteView encoded) {
  if (instance == nullptr && !HasRoomForInstance()) {
    out.events.push_back(Event(events::InstanceRefused{}, sender));
    return;
  }
  v4::Conversation candidate = MakeV4(sender);
  candidate.ReceiveMessage(message, out, *random_, now, encoded);
  if (!IsEncrypted(candidate)) return;
  if (instance == nullptr) {
    instance = NewInstance(sender, std::move(candidate), out);
    if (instance == nullptr) return;  // (HasRoomForInstance said there is room)
  } else {
    instance->machine = std::move(candidate);
  }
  Touch(*instance);
}

void Session::ReceiveBeside(uint64_t now, Instance& instance, wire::InstanceTag sender,
                            const v4::Message& message, Output& out, ByteView encoded) {
  if (!instance.v4_beside) instance.v4_beside.emplace(MakeV4(sender));
  Touch(instance);
  v4::Conversation& beside = *instance.v4_beside;
  beside.ReceiveMessage(message, out, *random_, now, encoded);
  if (!IsEncrypted(beside)) return;
  // The DAKE completed with the peer's instance, which has left the v2/v3
  // conversation for this one (its kWentSecure selects it in Finish).
  instance.machine = std::move(beside);
  instance.v4_beside.reset();
}

std::optional<Session::Machine> Session::ContinueMastersDake(uint64_t now, v4::Conversation& master,
                                                             const v4::Message& auth_r,
                                                             wire::InstanceTag sender,
                                                             Output& out) {
  const size_t first_event = out.events.size(), first_display = out.display.size();
  master.ReceiveMessage(auth_r, out, *random_, now);
  if (master.state() == v4::ProtocolState::kWaitingAuthR) return std::nullopt;
  master.AdoptPeerInstance(sender);
  Machine moved(std::move(master));
  if (&master == MasterInstance().v4_beside.get()) {
    MasterInstance().v4_beside.reset();  // the encrypted v2 master stays
  } else {
    MasterMachine().emplace<v4::Conversation>(*v4_config_, wire::kNoInstanceTag);
  }
  // The row's events and text name the master's tag; they concern `sender`.
  for (size_t i = first_event; i < out.events.size(); ++i) {
    if (out.events[i].instance == wire::kNoInstanceTag) out.events[i].instance = sender;
  }
  for (size_t i = first_display; i < out.display.size(); ++i) {
    if (out.display[i].instance == wire::kNoInstanceTag) out.display[i].instance = sender;
  }
  return moved;
}

// Session-level bookkeeping after any input: new fingerprints, the instance
// user actions go to once a conversation is secure, and the held message.
void Session::Finish(uint64_t now, Output& out) {
  // A DAKE beside an ENCRYPTED v2/v3 conversation lasts as long as that
  // conversation is ENCRYPTED and the DAKE is in progress: the input that
  // took the conversation out of ENCRYPTED (the peer's Disconnected TLV, any
  // other row) or ended the DAKE (its expiry) ends it, wiping its secrets
  // (decisions 0048, 0053).
  for (auto& [tag, instance] : instances_) {
    if (instance.v4_beside && (!IsEncryptedV3(instance.machine) || IsIdle(*instance.v4_beside))) {
      EndDakeBeside(instance, now, out);
    }
  }
  // A message REQUIRE_ENCRYPTION held back moves out of its conversation:
  // the session gives it to one conversation only.
  for (auto& [tag, instance] : instances_) {
    if (auto* v3 = std::get_if<v3::Conversation>(&instance.machine)) {
      if (auto held = v3->TakeHeldMessage()) held_ = std::move(held);
    } else if (auto held = std::get<v4::Conversation>(instance.machine).TakeHeldMessage()) {
      held_ = v3::HeldMessage{std::move(held->text), held->at};
    }
  }
  for (size_t i = 0; i < out.events.size(); ++i) {
    if (out.events[i].type() != EventType::kWentSecure) continue;
    const wire::InstanceTag tag = out.events[i].instance;
    auto it = instances_.find(tag);
    if (it == instances_.end()) continue;
    Machine& machine = it->second.machine;
    const std::optional<PeerOfConversation> secured =
        std::visit([](const auto& c) { return PeerOf(c); }, machine);
    if (!secured) continue;
    const store::PeerFingerprint& fp = secured->fingerprint;
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
    if (secured->version == 4) {
      peer_showed_v4_ = true;
    } else if (config_.policy.allow_v4) {
      // docs/decisions/0011: a v2/v3 session while we allow v4 is never
      // silent: the peer speaks only v3, or a query or tag lost its "4".
      out.events.push_back(Event(events::FellBackToV3{secured->version, peer_showed_v4_}, tag));
    }
    // An exchange the master started (or a copy of it) is finished: the
    // master must not keep its D-H secrets (forward secrecy).
    if (tag != wire::kNoInstanceTag) {
      if (auto* master = std::get_if<v3::Conversation>(&MasterMachine())) {
        master->AbandonAke(*random_);
      }
    }
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
        std::visit([&](auto& c) { c.Send(text, sent, *random_, now); }, machine);
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

// A query or tag that offers version 4 when we do not allow 4 and nothing
// else we speak: typed as such, so the user learns the peer wants v4.
void Session::ReportUnspokenOffer(wire::VersionSet offered, Output& out) const {
  if (offered.Has(4) && ChooseVersion(offered, config_.policy) == OfferAnswer::kNone) {
    out.events.push_back(Event(events::UnsupportedVersion{4}));
  }
}

Output Session::HandleTimeout(uint64_t now) {
  Output out;
  if (reassembler_v4_) reassembler_v4_->Expire(now);
  // v4: session expiration, deletion of stored message keys, heartbeats.
  // A DAKE beside an ENCRYPTED v2/v3 conversation expires as any DAKE does
  // (its keys' age, its table's timeout row); Finish then drops it.
  for (auto& [tag, instance] : instances_) {
    if (auto* v4 = std::get_if<v4::Conversation>(&instance.machine)) {
      v4->HandleTimeout(out, *random_, now);
    }
    if (instance.v4_beside) instance.v4_beside->HandleTimeout(out, *random_, now);
  }
  if (retrieval_) retrieval_->Expire(static_cast<int64_t>(now), out);
  if (held_ && now > held_->at + config_.stored_message_seconds) {
    // The promise "sent once OTR is running" expires: say so.
    held_.reset();
    out.events.push_back(Event(events::HeldMessageExpired{}, selected_));
  }
  Finish(now, out);
  return out;
}

std::optional<uint64_t> Session::NextTimeout() const {
  std::optional<uint64_t> next;
  auto earliest = [&](uint64_t at) {
    if (!next || at < *next) next = at;
  };
  if (held_) earliest(held_->at + config_.stored_message_seconds + 1);
  if (retrieval_) {
    if (auto at = retrieval_->NextTimeout()) earliest(*at);
  }
  for (const auto& [tag, instance] : instances_) {
    if (const auto* v4 = std::get_if<v4::Conversation>(&instance.machine)) {
      if (auto at = v4->NextTimeout()) earliest(*at);
    }
    if (instance.v4_beside) {
      if (auto at = instance.v4_beside->NextTimeout()) earliest(*at);
    }
  }
  return next;
}

Output Session::StartOtr(uint64_t now) {
  Output out;
  std::visit([&](auto& c) { c.Start(out, *random_, now); }, Selected());
  return out;
}

// "Receiving Prekey Ensembles": validate, discard the invalid ones and the
// duplicates, choose one (decision 0015), then the offline start row of that
// instance's conversation.
Output Session::StartOffline(uint64_t now,
                             const std::vector<v4::dake::PrekeyEnsembleValues>& ensembles) {
  Output out;
  if (!config_.policy.allow_v4 || config_.identity.v4 == nullptr) {
    out.events.push_back(Event(events::OfflineRefused{"OTR version 4 is not allowed"}));
    return out;
  }
  std::vector<v4::dake::TheirPrekeyEnsemble> valid;
  valid.reserve(ensembles.size());  // a few kilobytes each: no regrowth
  for (const v4::dake::PrekeyEnsembleValues& e : ensembles) {
    auto checked = v4::dake::ValidateEnsemble(*config_.backend, e, static_cast<int64_t>(now), "4");
    if (!checked.ok()) {
      const v4::dake::DakeError error = checked.error();
      std::string what(v4::dake::DakeCheckName(error.check));
      if (error.profile_error) {
        what += ": ";
        what += v4::profile::ProfileErrorName(*error.profile_error);
      }
      out.events.push_back(
          Event(events::OfflineRefused{std::move(what)}, e.prekey_message.owner_instance_tag));
      continue;
    }
    const bool duplicate = std::any_of(
        valid.begin(), valid.end(),
        [&](const v4::dake::TheirPrekeyEnsemble& v) { return v.values == checked->values; });
    if (!duplicate) valid.push_back(std::move(checked).value());
  }
  if (valid.empty()) {
    out.events.push_back(Event(events::OfflineRefused{"no valid Prekey Ensemble"}));
    return out;
  }
  // The instance we already talk to, if it published one; else the newest
  // Client Profile (the latest expiration), the first of equals.
  const v4::dake::TheirPrekeyEnsemble* chosen = nullptr;
  for (const auto& v : valid) {
    if (selected_ != wire::kNoInstanceTag && v.instance_tag == selected_) {
      chosen = &v;
      break;
    }
    if (chosen == nullptr ||
        v.values.client_profile.expiration > chosen->values.client_profile.expiration) {
      chosen = &v;
    }
  }
  peer_showed_v4_ = true;
  if (v4::Conversation* conversation = OfflineConversation(now, chosen->instance_tag, out)) {
    conversation->StartOffline(*chosen, out, *random_, now);
  }
  Finish(now, out);
  return out;
}

// The conversation an offline start with peer instance `tag` runs in: the
// master in the interactive-only mode (its table refuses it; no instance is
// made for it), else that instance's, made or turned into v4 (nullptr,
// reported, when it holds an encrypted v3 conversation or cannot be made).
v4::Conversation* Session::OfflineConversation(uint64_t now, wire::InstanceTag tag, Output& out) {
  if (config_.policy.v4_mode == V4Mode::kV4InteractiveOnly) return MasterV4(now, out);
  auto found = instances_.find(tag);
  Instance* instance = found == instances_.end() ? nullptr : &found->second;
  if (instance != nullptr && std::holds_alternative<v3::Conversation>(instance->machine)) {
    if (IsEncrypted(std::get<v3::Conversation>(instance->machine))) {
      out.events.push_back(
          Event(events::OfflineRefused{"a v3 conversation with that instance is encrypted"}, tag));
      return nullptr;
    }
    instance->machine.emplace<v4::Conversation>(*v4_config_, tag);
  }
  if (instance == nullptr) instance = NewInstance(tag, MakeV4(tag), out);
  if (instance == nullptr) return nullptr;
  Touch(*instance);
  return &std::get<v4::Conversation>(instance->machine);
}

namespace {

// One of libotr-ng's ensembles validated in its bytes as its receiver does
// (prekey_ensemble.c, otrng_prekey_ensemble_validate): the Prekey
// Message's owner tag is the sender tag the Client Profile is checked
// against (libotr-ng's signature, owner tag, expiry, version: v4::libotr_ng::
// ValidateSenderValues, which also checks Y and B); the Prekey Profile is
// signed with that profile's H over libotr-ng's bytes
// (prekey::libotr_ng::DecodeAndVerifyPrekeyProfile), has the same owner tag,
// has not expired, and D is on the curve. The refusal names the check.
struct NgEnsembleChecked {
  std::optional<v4::libotr_ng::TheirEnsemble> ensemble;
  wire::InstanceTag owner = wire::kNoInstanceTag;
  std::string refused;
};

NgEnsembleChecked ValidateLibotrNgEnsemble(const crypto::Backend& backend,
                                           const prekey::libotr_ng::Ensemble& e,
                                           wire::InstanceTag our_tag, int64_t now) {
  NgEnsembleChecked out;
  const auto refuse = [&out](std::string_view what, std::string_view why) {
    out.refused = "libotr-ng ensemble: " + std::string(what) + ": " + std::string(why);
    return std::move(out);
  };
  auto message = v4::DecodePrekeyMessage(e.prekey_message);
  if (!message.ok()) return refuse("Prekey Message", ErrorCodeName(message.code()));
  out.owner = message->owner_instance_tag;
  auto their =
      v4::libotr_ng::ValidateSenderValues(backend, v4::Header{message->owner_instance_tag, our_tag},
                                          e.client_profile, message->y, message->b, now);
  if (!their.ok()) {
    const v4::dake::DakeError& error = their.error();
    return refuse(v4::dake::DakeCheckName(error.check),
                  error.profile_error ? v4::profile::ProfileErrorName(*error.profile_error)
                                      : ErrorCodeName(error.cause));
  }
  auto prekey_profile = prekey::libotr_ng::DecodeAndVerifyPrekeyProfile(
      backend, e.prekey_profile, their->client_profile.public_key);
  if (!prekey_profile.ok()) return refuse("Prekey Profile", ErrorCodeName(prekey_profile.code()));
  if (prekey_profile->owner_instance_tag != message->owner_instance_tag) {
    return refuse("Prekey Profile", "another owner instance tag");
  }
  if (prekey_profile->expiration <= now) return refuse("Prekey Profile", "expired");
  auto d = backend.Ed448Decode(prekey_profile->shared_prekey);
  if (!d.ok()) return refuse("Prekey Profile shared prekey", ErrorCodeName(d.code()));
  out.ensemble.emplace(
      v4::libotr_ng::TheirEnsemble{std::move(their).value(), *d, message->identifier});
  return out;
}

}  // namespace

// The offline start under the libotr-ng profile (issue 20): as StartOffline,
// from libotr-ng's ensembles (libotr-ng's bytes, as our prekey server hands
// them in its variant of the Ensemble Retrieval, row 25).
Output Session::StartOfflineLibotrNg(uint64_t now,
                                     const std::vector<prekey::libotr_ng::Ensemble>& ensembles) {
  Output out;
  struct Valid {
    v4::libotr_ng::TheirEnsemble ensemble;
    const prekey::libotr_ng::Ensemble* bytes;
  };
  std::vector<Valid> valid;
  for (const prekey::libotr_ng::Ensemble& e : ensembles) {
    NgEnsembleChecked checked =
        ValidateLibotrNgEnsemble(*config_.backend, e, config_.our_tag, static_cast<int64_t>(now));
    if (!checked.ensemble) {
      out.events.push_back(
          Event(events::OfflineRefused{std::move(checked.refused)}, checked.owner));
      continue;
    }
    const bool duplicate = std::any_of(valid.begin(), valid.end(), [&](const Valid& v) {
      return v.bytes->client_profile == e.client_profile &&
             v.bytes->prekey_profile == e.prekey_profile &&
             v.bytes->prekey_message == e.prekey_message;
    });
    if (!duplicate) valid.push_back(Valid{std::move(*checked.ensemble), &e});
  }
  if (valid.empty()) {
    out.events.push_back(Event(events::OfflineRefused{"no valid Prekey Ensemble"}));
    return out;
  }
  // The instance we already talk to, if it published one; else the newest
  // Client Profile, the first of equals.
  const Valid* chosen = nullptr;
  for (const Valid& v : valid) {
    if (selected_ != wire::kNoInstanceTag && v.ensemble.bob.instance_tag == selected_) {
      chosen = &v;
      break;
    }
    if (chosen == nullptr ||
        v.ensemble.bob.client_profile.expiration > chosen->ensemble.bob.client_profile.expiration) {
      chosen = &v;
    }
  }
  peer_showed_v4_ = true;
  if (v4::Conversation* conversation =
          OfflineConversation(now, chosen->ensemble.bob.instance_tag, out)) {
    conversation->StartOfflineLibotrNg(chosen->ensemble, out, *random_, now);
  }
  Finish(now, out);
  return out;
}

// Issue 18, docs/decisions/0016: the prekey server's own output channel.
Output Session::RequestPrekeyEnsembles(uint64_t now) {
  Output out;
  if (!config_.policy.allow_v4 || config_.identity.v4 == nullptr) {
    out.events.push_back(Event(events::OfflineRefused{"OTR version 4 is not allowed"}));
  } else if (config_.policy.v4_mode == V4Mode::kV4InteractiveOnly) {
    // otr-v4-modes: "OTRv4-interactive-only" runs no non-interactive DAKE.
    out.events.push_back(Event(events::OfflineRefused{"interactive-only mode"}));
  } else if (!config_.prekey_server) {
    out.events.push_back(Event(events::OfflineRefused{"no prekey server configured"}));
  } else {
    if (!retrieval_) {
      retrieval_.emplace(*config_.backend, *random_, config_.our_tag, *config_.prekey_server);
    }
    retrieval_->Request(static_cast<int64_t>(now), out);
  }
  return out;
}

Output Session::ReceiveFromPrekeyServer(uint64_t now, std::string_view text) {
  Output out;
  if (!retrieval_) return out;
  std::string whole;
  if (config_.policy.v4_variant == V4Variant::kLibotrNg) {
    // A fragmented answer is reassembled first: the spec's path
    // (PrekeyClient) would reassemble it but not read libotr-ng's variant.
    if (prekey::IsFragment(text)) {
      auto reassembled = retrieval_->Reassemble(static_cast<int64_t>(now), text);
      if (!reassembled) return out;
      whole = std::move(*reassembled);
      text = whole;
    }
    // Our prekey server answers in libotr-ng's variant for ensembles
    // libotr-ng published (ServerConfig::accept_libotr_ng, row 25).
    if (auto ng = retrieval_->ReceiveLibotrNg(text)) {
      Output started = StartOfflineLibotrNg(now, *ng);
      for (std::string& m : started.to_send) out.to_send.push_back(std::move(m));
      for (Event& e : started.events) out.events.push_back(std::move(e));
      return out;
    }
  }
  auto ensembles = retrieval_->Receive(static_cast<int64_t>(now), text, out);
  if (!ensembles) return out;
  Output started = StartOffline(now, *ensembles);
  for (std::string& m : started.to_send) out.to_send.push_back(std::move(m));
  for (Event& e : started.events) out.events.push_back(std::move(e));
  return out;
}

Output Session::EndOtr(uint64_t now) {
  Output out;
  std::visit([&](auto& c) { c.End(out, *random_, now); }, Selected());
  // An exchange in flight elsewhere (the master's D-H Commit to every
  // instance, or an instance still in its AKE or DAKE) belongs to the
  // conversation the user ends: forget it too, so no AKE secret outlives the
  // end and a late AKE message cannot make it secure again. Other instances
  // already ENCRYPTED are separate conversations and stay, without the new
  // DAKE a replayed or crossed Identity message may have started beside them:
  // left in WAITING_AUTH_I, it would ignore every restart's Identity message,
  // which has no receiver instance tag (decision 0050).
  // A v4 DAKE beside an ENCRYPTED v2/v3 conversation is such an exchange
  // too (decisions 0048, 0053): its secrets do not outlive the user's end.
  for (auto& [tag, instance] : instances_) {
    EndDakeBeside(instance, now, out);
    if (tag == selected_) continue;
    if (auto* c = std::get_if<v3::Conversation>(&instance.machine)) {
      if (!IsEncrypted(*c)) c->AbandonAke(*random_);
    } else {
      std::get<v4::Conversation>(instance.machine).EndElsewhere(out, *random_, now);
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

Result<Output> Session::UseExtraSymmetricKeys(uint64_t now,
                                              const std::vector<v4::ExtraKeyUse>& uses) {
  Output out;
  if (auto* v4 = std::get_if<v4::Conversation>(&Selected())) {
    OTR_RETURN_IF_ERROR(v4->UseExtraSymmetricKeys(uses, out, *random_, now));
    return out;
  }
  if (uses.size() != 1) {
    return MakeError(ErrorCode::kBadState, "v2/v3 send one extra symmetric key per message");
  }
  return UseExtraSymmetricKey(now, uses[0].use, uses[0].use_data);
}

void Session::SetTrust(const store::PeerFingerprint& fingerprint, bool trusted) {
  known_fingerprints_[fingerprint] = trusted;
}

std::vector<wire::InstanceTag> Session::Instances() const {
  std::vector<wire::InstanceTag> tags;
  tags.reserve(instances_.size());
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
  return std::visit([&](const auto& c) { return ViewOfConversation(c, tag); },
                    instances_.at(tag).machine);
}

ConversationState Session::state() const {
  return std::visit([](const auto& c) { return StateOfConversation(c); },
                    instances_.at(selected_).machine);
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
  if (config_.identity.dsa == nullptr) return store::Fingerprint{};
  return store::ComputeFingerprint(*config_.backend, config_.identity.dsa->pub);
}

std::optional<store::PeerFingerprint> Session::our_v4_fingerprint() const {
  const v4::Identity* id = config_.identity.v4;
  if (id == nullptr) return std::nullopt;
  // Under the libotr-ng profile the peer compares libotr-ng's form
  // (docs/libotr-ng-deviations.md #7), as our view of its fingerprint does.
  if (config_.policy.v4_variant == V4Variant::kLibotrNg) {
    return v4::ToPeerFingerprint(v4::libotr_ng::ComputeFingerprint(
        *config_.backend, id->client_profile.public_key, id->client_profile.forging_key));
  }
  return v4::ToPeerFingerprint(
      v4::ComputeFingerprint(*config_.backend, id->long_term.pub, id->forging_key));
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
