#include "protocol/v3/engine/conversation.h"

#include <deque>
#include <utility>

#include "protocol/table/table.h"
#include "protocol/table/trace.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/fragment.h"

namespace otr::v3 {
namespace {

// The explanation that follows our Query Message, for clients without OTR.
constexpr std::string_view kQueryExplanation =
    " I would like to start an Off-the-Record private conversation, but your client does not "
    "support OTR.";
constexpr std::string_view kUnreadableError =
    "You sent an encrypted message that could not be read.";

std::string ToText(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace

struct Conversation::Input {
  Input(Output& o, crypto::Random& r, Clock& c, std::string_view t = {}, wire::VersionSet v = {})
      : out(o), random(r), clock(c), text(t), offered(v) {}
  Output& out;
  crypto::Random& random;
  Clock& clock;
  std::string_view text;  // plaintext, user text or error detail
  wire::VersionSet offered;
  const DataMessage* data = nullptr;
  std::optional<KeyState::Verified> verified;  // set by the kDataVerifies guard
  std::deque<MessageEvent> raised;             // events raised by actions
};

struct Conversation::SmpInput {
  explicit SmpInput(Input& i) : in(i) {}
  Input& in;
  const Smp1* smp1 = nullptr;
  const Smp2* smp2 = nullptr;
  const Smp3* smp3 = nullptr;
  const Smp4* smp4 = nullptr;
  std::string question;  // from TLV 7, or the user's question
  bool has_question = false;
  bool malformed = false;           // a TLV whose body did not decode
  std::string_view secret;          // the user's secret
  std::optional<smp::Step3> step3;  // set by guards
  std::optional<smp::Step4> step4;
  std::optional<bool> result;
};

Conversation::Conversation(const ConversationConfig& config, wire::InstanceTag their_tag)
    : config_(config),
      their_tag_(their_tag),
      our_fingerprint_(store::ComputeFingerprint(*config.backend, config.our_key->pub)),
      ake_(*config.backend, *config.our_key,
           AkePolicy{.allow_v2 = config.policy.allow_v2, .allow_v3 = config.policy.allow_v3}),
      smp_math_(*config.backend) {}

// --- Inputs -----------------------------------------------------------------

void Conversation::ReceivePlaintext(std::string_view text, Output& out, crypto::Random& random,
                                    Clock& clock) {
  Input in{out, random, clock, text};
  RunMessage(MessageEvent::kPlaintext, in);
}

void Conversation::ReceiveTagged(const wire::TaggedPlaintext& m, Output& out,
                                 crypto::Random& random, Clock& clock) {
  Input in{out, random, clock, m.text, m.versions};
  RunMessage(MessageEvent::kTaggedPlaintext, in);
}

void Conversation::ReceiveQuery(const wire::QueryMessage& m, Output& out, crypto::Random& random,
                                Clock& clock) {
  Input in{out, random, clock, m.text, m.versions};
  RunMessage(MessageEvent::kQuery, in);
}

void Conversation::ReceiveError(const wire::ErrorMessage& m, Output& out, crypto::Random& random,
                                Clock& clock) {
  Input in{out, random, clock, m.detail};
  RunMessage(MessageEvent::kError, in);
}

void Conversation::ReceiveMessage(const Message& m, Output& out, crypto::Random& random,
                                  Clock& clock) {
  Input in{out, random, clock};
  if (const auto* data = std::get_if<DataMessage>(&m)) {
    in.data = data;
    RunMessage(MessageEvent::kData, in);
    return;
  }
  RunAke(ake_.Receive(random, m, config_.our_tag), in);
  while (!in.raised.empty()) {
    const MessageEvent next = in.raised.front();
    in.raised.pop_front();
    RunMessage(next, in);
  }
}

void Conversation::Start(Output& out, crypto::Random& random, Clock& clock) {
  Input in{out, random, clock};
  RunMessage(MessageEvent::kUserStart, in);
}

void Conversation::End(Output& out, crypto::Random& random, Clock& clock) {
  Input in{out, random, clock};
  RunMessage(MessageEvent::kUserEnd, in);
}

void Conversation::Send(std::string_view text, Output& out, crypto::Random& random, Clock& clock) {
  Input in{out, random, clock, text};
  RunMessage(MessageEvent::kUserSend, in);
}

// "Whenever the OTR message state machine has MSGSTATE_ENCRYPTED set, the
// SMP state machine may progress": SMP user actions need ENCRYPTED.
void Conversation::StartSmp(std::string_view secret, std::optional<std::string_view> question,
                            Output& out, crypto::Random& random, Clock& clock) {
  if (message_state_ != MessageState::kEncrypted) return;
  Input in{out, random, clock};
  SmpInput s(in);
  s.secret = secret;
  if (question) {
    s.question = std::string(*question);
    s.has_question = true;
  }
  RunSmp(SmpEvent::kUserStart, s);
}

void Conversation::RespondSmp(std::string_view secret, Output& out, crypto::Random& random,
                              Clock& clock) {
  if (message_state_ != MessageState::kEncrypted) return;
  Input in{out, random, clock};
  SmpInput s(in);
  s.secret = secret;
  RunSmp(SmpEvent::kUserRespond, s);
}

void Conversation::AbortSmp(Output& out, crypto::Random& random, Clock& clock) {
  if (message_state_ != MessageState::kEncrypted) return;
  Input in{out, random, clock};
  SmpInput s(in);
  RunSmp(SmpEvent::kUserAbort, s);
}

Status Conversation::UseExtraSymmetricKey(uint32_t use, ByteView use_data, Output& out,
                                          crypto::Random& random, Clock& clock) {
  if (message_state_ != MessageState::kEncrypted || !keys_) {
    return MakeError(ErrorCode::kBadState, "extra symmetric key needs an encrypted session");
  }
  Input in{out, random, clock};
  OTR_ASSIGN_OR_RETURN(
      TlvRecord record,
      EncodeTlv(Tlv{v3::ExtraSymmetricKey{use, Bytes(use_data.begin(), use_data.end())}}));
  OTR_ASSIGN_OR_RETURN(Bytes payload, EncodeDataPayload(DataPayload{{}, true, {record}}));
  OTR_ASSIGN_OR_RETURN(SealedData sealed,
                       keys_->Seal(OutHeader(), kFlagIgnoreUnreadable, payload, random));
  SendEncoded(sealed.message, in);
  Event e;
  e.type = EventType::kExtraSymmetricKey;
  e.instance = their_tag_;
  e.use = use;
  e.use_data = Bytes(use_data.begin(), use_data.end());
  OTR_ASSIGN_OR_RETURN(e.key, keys_->ExtraSymmetricKey(sealed.key_ids));
  out.events.push_back(std::move(e));
  return Status::Ok();
}

// --- The message state table --------------------------------------------------

void Conversation::RunMessage(MessageEvent event, Input& in) {
  in.raised.push_back(event);
  while (!in.raised.empty()) {
    const MessageEvent next = in.raised.front();
    in.raised.pop_front();
    const MessageState from = message_state_;
    const MessageRow* row = table::Select(kMessageTable, message_state_, next,
                                          [&](MessageGuard g) { return Holds(g, in); });
    for (MessageAction action : row->actions) {
      if (action != MessageAction::kNone) Perform(action, in);
    }
    message_state_ = row->to;
    table::NotifyRow(table::Machine::kMessage, kMessageTable, row, from, next, message_state_,
                     this);
  }
}

bool Conversation::Holds(MessageGuard guard, Input& in) {
  const Policy& policy = config_.policy;
  const bool offers_allowed =
      (in.offered.Has(3) && policy.allow_v3) || (in.offered.Has(2) && policy.allow_v2);
  switch (guard) {
    case MessageGuard::kAlways:
      return true;
    case MessageGuard::kRequireEncryption:
      return policy.require_encryption;
    case MessageGuard::kTagStartsAke:
      return policy.whitespace_start_ake && offers_allowed;
    case MessageGuard::kTagStartsAkeRequireEncryption:
      return policy.whitespace_start_ake && offers_allowed && policy.require_encryption;
    case MessageGuard::kQueryOffersAllowedVersion:
      return offers_allowed;
    case MessageGuard::kErrorStartAke:
      return policy.error_start_ake;
    case MessageGuard::kDataVerifies: {
      if (!keys_ || in.data == nullptr) return false;
      auto verified = keys_->Verify(*in.data);
      if (!verified.ok()) return false;
      in.verified = std::move(verified).value();
      return true;
    }
    case MessageGuard::kIgnoreUnreadable:
      return in.data != nullptr && (in.data->flags & kFlagIgnoreUnreadable) != 0;
    case MessageGuard::kWhitespaceTagPending:
      return policy.send_whitespace_tag && !plaintext_received_;
    case MessageGuard::kCount:
      break;
  }
  return false;
}

void Conversation::Perform(MessageAction action, Input& in) {
  const uint64_t now = in.clock.NowSeconds();
  switch (action) {
    case MessageAction::kNone:
    case MessageAction::kIgnore:
    case MessageAction::kCount:
      return;
    case MessageAction::kDisplay:
      in.out.display.push_back({std::string(in.text), false, their_tag_});
      return;
    case MessageAction::kDisplayUnencryptedWarning:
      in.out.display.push_back({std::string(in.text), false, their_tag_});
      Emit(in, EventType::kUnencryptedReceived);
      return;
    case MessageAction::kNotePlaintextReceived:
      plaintext_received_ = true;
      return;
    case MessageAction::kArmWhitespaceTag:
      plaintext_received_ = false;
      return;
    case MessageAction::kStartAke: {
      const Version version =
          in.offered.Has(3) && config_.policy.allow_v3 ? Version::kV3 : Version::kV2;
      RunAke(ake_.Start(in.random, version, config_.our_tag, their_tag_), in);
      return;
    }
    case MessageAction::kDisplayError:
      Emit(in, EventType::kErrorReceived, std::string(in.text));
      return;
    case MessageAction::kSendQuery:
      SendTransport(wire::EncodeQuery({AllowedVersions(), std::string(kQueryExplanation)}), in);
      return;
    case MessageAction::kStoreMessage:
    case MessageAction::kHoldMessage:
      stored_message_ = std::string(in.text);
      stored_at_ = now;
      may_retransmit_ = action == MessageAction::kHoldMessage;
      return;
    case MessageAction::kAllowRetransmit:
      may_retransmit_ = stored_message_.has_value();
      return;
    case MessageAction::kReportHeldBack:
      Emit(in, EventType::kEncryptionRequired);
      return;
    case MessageAction::kSendPlaintext:
      SendTransport(std::string(in.text), in);
      return;
    case MessageAction::kSendTaggedPlaintext:
      SendTransport(std::string(in.text) + wire::WhitespaceTag(AllowedVersions()), in);
      return;
    case MessageAction::kSendEncrypted:
      SendData(AsBytes(in.text), {}, 0, in);
      return;
    case MessageAction::kReportCannotSend:
      Emit(in, EventType::kCannotSend);
      return;
    case MessageAction::kDeliverData: {
      auto opened = keys_->Accept(std::move(*in.verified), in.random);
      if (!opened.ok()) return;
      auto payload = DecodeDataPayload(opened->plaintext);
      if (!payload.ok()) {
        Emit(in, EventType::kMalformedMessage);
        return;
      }
      // "display the human-readable part (if non-empty)": empty is a heartbeat.
      if (!payload->message.empty()) {
        in.out.display.push_back({ToText(payload->message), true, their_tag_});
      }
      DeliverTlvs(*payload, *opened, in);
      return;
    }
    case MessageAction::kSendHeartbeatIfDue:
      if (now >= last_sent_ + config_.heartbeat_seconds) {
        SendData({}, {}, kFlagIgnoreUnreadable, in);
      }
      return;
    case MessageAction::kReportUnreadable:
      Emit(in, EventType::kUndecryptable);
      return;
    case MessageAction::kSendUnreadableError:
      SendTransport(wire::EncodeErrorMessage({std::string(kUnreadableError)}), in);
      return;
    case MessageAction::kInstallSessionKeys: {
      AkeResult result = std::move(*pending_ake_);
      pending_ake_.reset();
      auto keys = KeyState::Start(*config_.backend, std::move(result.our_dh), result.our_keyid,
                                  std::move(result.their_dh), result.their_keyid);
      if (!keys.ok()) return;
      keys_.emplace(std::move(keys).value());
      version_ = result.version;
      their_key_ = result.their_long_term_key;
      their_fingerprint_ = store::ComputeFingerprint(*config_.backend, their_key_);
      ssid_ = result.ssid;
      we_sent_reveal_ = result.we_sent_reveal_signature;
      return;
    }
    case MessageAction::kReportSecure:
      Emit(in, EventType::kWentSecure,
           their_fingerprint_ ? store::FingerprintToHuman(*their_fingerprint_) : std::string());
      return;
    case MessageAction::kSendStoredMessage:
      if (stored_message_ && may_retransmit_ &&
          now <= stored_at_ + config_.stored_message_seconds) {
        SendData(AsBytes(*stored_message_), {}, 0, in);
        Emit(in, EventType::kStoredMessageSent, *stored_message_);
      }
      stored_message_.reset();
      may_retransmit_ = false;
      return;
    case MessageAction::kForgetSessionKeys:
      keys_.reset();
      return;
    case MessageAction::kResetSmp: {
      SmpInput s(in);
      RunSmp(SmpEvent::kReset, s);
      return;
    }
    case MessageAction::kAbandonAke:
      ake_.Abandon(in.random);
      return;
    case MessageAction::kReportPeerEnded:
      Emit(in, EventType::kPeerEnded);
      return;
    case MessageAction::kSendDisconnect: {
      auto tlv = EncodeTlv(Tlv{Disconnected{}});
      if (tlv.ok()) SendData({}, {*tlv}, kFlagIgnoreUnreadable, in);
      return;
    }
    case MessageAction::kReportInsecure:
      Emit(in, EventType::kWentInsecure);
      return;
  }
}

void Conversation::RunAke(const Result<AkeOutput>& result, Input& in) {
  if (!result.ok()) return;  // a backend failure: nothing was sent
  for (const Message& m : result->to_send) SendEncoded(m, in);
  if (result->refused_v1) Emit(in, EventType::kV1Refused);
  if (result->authenticated) {
    pending_ake_ = *result->authenticated;
    in.raised.push_back(MessageEvent::kAkeSucceeded);
  }
}

void Conversation::DeliverTlvs(const DataPayload& payload, const OpenedData& opened, Input& in) {
  // The extra symmetric key, derived only if a TLV 8 asks for it.
  crypto::SecretBytes extra_key;
  for (const TlvRecord& record : payload.tlvs) {
    if (static_cast<TlvType>(record.type) == TlvType::kExtraSymmetricKey && keys_) {
      if (auto key = keys_->ExtraSymmetricKey(opened.key_ids); key.ok()) {
        extra_key = std::move(key).value();
      }
      break;
    }
  }
  for (const TlvRecord& record : payload.tlvs) {
    auto tlv = DecodeTlv(record);
    SmpInput s(in);
    if (!tlv.ok()) {
      // A malformed SMP body fails its proofs; others are ignored.
      s.malformed = true;
      switch (static_cast<TlvType>(record.type)) {
        case TlvType::kSmp1:
        case TlvType::kSmp1Q:
          RunSmp(SmpEvent::kSmp1, s);
          break;
        case TlvType::kSmp2:
          RunSmp(SmpEvent::kSmp2, s);
          break;
        case TlvType::kSmp3:
          RunSmp(SmpEvent::kSmp3, s);
          break;
        case TlvType::kSmp4:
          RunSmp(SmpEvent::kSmp4, s);
          break;
        case TlvType::kSmpAbort:
          RunSmp(SmpEvent::kAbort, s);
          break;
        case TlvType::kDisconnected:
          in.raised.push_back(MessageEvent::kPeerEnded);
          break;
        default:
          Emit(in, EventType::kMalformedMessage);
      }
      continue;
    }
    std::visit(
        [&](const auto& t) {
          using T = std::decay_t<decltype(t)>;
          if constexpr (std::is_same_v<T, Disconnected>) {
            in.raised.push_back(MessageEvent::kPeerEnded);
          } else if constexpr (std::is_same_v<T, Smp1>) {
            s.smp1 = &t;
            RunSmp(SmpEvent::kSmp1, s);
          } else if constexpr (std::is_same_v<T, Smp1Q>) {
            s.smp1 = &t.smp1;
            s.question = ToText(t.question);
            s.has_question = true;
            RunSmp(SmpEvent::kSmp1, s);
          } else if constexpr (std::is_same_v<T, Smp2>) {
            s.smp2 = &t;
            RunSmp(SmpEvent::kSmp2, s);
          } else if constexpr (std::is_same_v<T, Smp3>) {
            s.smp3 = &t;
            RunSmp(SmpEvent::kSmp3, s);
          } else if constexpr (std::is_same_v<T, Smp4>) {
            s.smp4 = &t;
            RunSmp(SmpEvent::kSmp4, s);
          } else if constexpr (std::is_same_v<T, SmpAbort>) {
            RunSmp(SmpEvent::kAbort, s);
          } else if constexpr (std::is_same_v<T, v3::ExtraSymmetricKey>) {
            Event e;
            e.type = EventType::kExtraSymmetricKey;
            e.instance = their_tag_;
            e.use = t.use;
            e.use_data = t.use_data;
            e.key = extra_key;
            in.out.events.push_back(std::move(e));
          }
          // Padding and unknown records: "should be ignored".
        },
        *tlv);
  }
}

// --- The SMP state table ------------------------------------------------------

void Conversation::RunSmp(SmpEvent event, SmpInput& s) {
  const SmpState from = smp_state_;
  const SmpRow* row =
      table::Select(kSmpTable, smp_state_, event, [&](SmpGuard g) { return Holds(g, s); });
  for (SmpAction action : row->actions) {
    if (action != SmpAction::kNone) Perform(action, s);
  }
  smp_state_ = row->to;
  table::NotifyRow(table::Machine::kSmp, kSmpTable, row, from, event, smp_state_, this);
}

bool Conversation::Holds(SmpGuard guard, SmpInput& s) {
  switch (guard) {
    case SmpGuard::kAlways:
      return true;
    case SmpGuard::kSmp1Stored:
      return smp_received1_.has_value();
    case SmpGuard::kProofsVerify:
      if (s.malformed) return false;
      if (s.smp1) return smp_math_.VerifySmp1(*s.smp1).ok();
      if (s.smp2 && smp_alice1_) {
        auto step = smp_math_.ProcessSmp2(s.in.random, *smp_alice1_, *s.smp2);
        if (step.ok()) s.step3 = std::move(step).value();
        return step.ok();
      }
      if (s.smp3 && smp_bob2_) {
        auto step = smp_math_.ProcessSmp3(s.in.random, *smp_bob2_, *s.smp3);
        if (step.ok()) s.step4 = std::move(step).value();
        return step.ok();
      }
      if (s.smp4 && smp_alice3_) {
        auto result = smp_math_.ProcessSmp4(*smp_alice3_, *s.smp4);
        if (result.ok()) s.result = *result;
        return result.ok();
      }
      return false;
    case SmpGuard::kCount:
      break;
  }
  return false;
}

void Conversation::Perform(SmpAction action, SmpInput& s) {
  Input& in = s.in;
  switch (action) {
    case SmpAction::kNone:
    case SmpAction::kIgnore:
    case SmpAction::kCount:
      return;
    case SmpAction::kSendAbort:
      SendTlv(EncodeTlv(Tlv{SmpAbort{}}), in);
      return;
    case SmpAction::kStoreSmp1AskSecret:
      smp_received1_ = *s.smp1;
      smp_answering_question_ = s.has_question;
      {
        Event e(EventType::kSmpAskSecret, their_tag_);
        e.text = s.question;
        e.has_question = s.has_question;
        in.out.events.push_back(std::move(e));
      }
      return;
    case SmpAction::kSendSmp1: {
      // "Initiator fingerprint ... Responder fingerprint" (v3 "Secret information")
      const crypto::SecretBytes x = smp::ComputeSecret(
          *config_.backend, our_fingerprint_, *their_fingerprint_, ssid_, AsBytes(s.secret));
      auto step = smp_math_.MakeSmp1(in.random, x);
      if (!step.ok()) return;
      smp_alice1_ = std::move(step->state);
      smp_answering_question_ = false;
      if (s.has_question) {
        SendTlv(EncodeTlv(Tlv{Smp1Q{ToBytes(s.question), step->message}}), in);
      } else {
        SendTlv(EncodeTlv(Tlv{step->message}), in);
      }
      return;
    }
    case SmpAction::kSendSmp2: {
      const crypto::SecretBytes y = smp::ComputeSecret(*config_.backend, *their_fingerprint_,
                                                       our_fingerprint_, ssid_, AsBytes(s.secret));
      auto step = smp_math_.MakeSmp2(in.random, *smp_received1_, y);
      smp_received1_.reset();
      if (!step.ok()) return;
      smp_bob2_ = std::move(step->state);
      SendTlv(EncodeTlv(Tlv{step->message}), in);
      return;
    }
    case SmpAction::kSendSmp3:
      smp_alice3_ = std::move(s.step3->state);
      smp_alice1_.reset();
      SendTlv(EncodeTlv(Tlv{s.step3->message}), in);
      return;
    case SmpAction::kSendSmp4:
      SendTlv(EncodeTlv(Tlv{s.step4->message}), in);
      return;
    case SmpAction::kReportResult: {
      const bool match = s.step4 ? s.step4->secrets_match : s.result.value_or(false);
      Event e(match ? EventType::kSmpSucceeded : EventType::kSmpFailed, their_tag_);
      e.authenticates_peer = match && !smp_answering_question_;
      in.out.events.push_back(std::move(e));
      return;
    }
    case SmpAction::kReportCheated:
      Emit(in, EventType::kSmpCheated);
      return;
    case SmpAction::kReportAborted:
      Emit(in, EventType::kSmpAborted);
      return;
    case SmpAction::kForget:
      smp_received1_.reset();
      smp_alice1_.reset();
      smp_alice3_.reset();
      smp_bob2_.reset();
      return;
  }
}

// --- Output -------------------------------------------------------------------

Header Conversation::OutHeader() const {
  Header h;
  h.version = version_;
  if (version_ == Version::kV3) {
    h.sender_instance = config_.our_tag;
    h.receiver_instance = their_tag_;
  }
  return h;
}

wire::VersionSet Conversation::AllowedVersions() const {
  wire::VersionSet versions;
  if (config_.policy.allow_v2) versions.Add(2);
  if (config_.policy.allow_v3) versions.Add(3);
  return versions;
}

void Conversation::Emit(Input& in, EventType type, std::string text) {
  Event e;
  e.type = type;
  e.instance = their_tag_;
  e.text = std::move(text);
  in.out.events.push_back(std::move(e));
}

void Conversation::SendTransport(std::string text, Input& in) {
  last_sent_ = in.clock.NowSeconds();
  in.out.to_send.push_back(std::move(text));
}

void Conversation::SendEncoded(const Message& m, Input& in) {
  std::string armored = wire::EncodeArmor(EncodeMessage(m));
  const Header* header = std::visit(
      [](const auto& v) -> const Header* {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, V1Message>) {
          return nullptr;
        } else {
          return &v.header;
        }
      },
      m);
  if (config_.max_message_size != 0 && armored.size() > config_.max_message_size && header) {
    const int version = header->version == Version::kV3 ? 3 : 2;
    auto fragments = wire::FragmentMessage(armored, config_.max_message_size, version,
                                           header->sender_instance, header->receiver_instance);
    if (fragments.ok()) {
      for (std::string& f : *fragments) SendTransport(std::move(f), in);
      return;
    }
  }
  SendTransport(std::move(armored), in);
}

void Conversation::SendData(ByteView message, const std::vector<TlvRecord>& tlvs, uint8_t flags,
                            Input& in) {
  if (!keys_) return;
  auto payload =
      EncodeDataPayload(DataPayload{Bytes(message.begin(), message.end()), !tlvs.empty(), tlvs});
  if (!payload.ok()) return;
  auto sealed = keys_->Seal(OutHeader(), flags, *payload, in.random);
  if (sealed.ok()) SendEncoded(sealed->message, in);
}

void Conversation::SendTlv(const Result<TlvRecord>& tlv, Input& in) {
  if (tlv.ok()) SendData({}, {*tlv}, kFlagIgnoreUnreadable, in);
}

}  // namespace otr::v3
