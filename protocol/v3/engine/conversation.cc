#include "protocol/v3/engine/conversation.h"

#include <algorithm>
#include <array>
#include <utility>

#include "crypto/secret_bytes.h"
#include "protocol/api/payload_wipe.h"
#include "protocol/table/table.h"
#include "protocol/table/trace.h"
#include "protocol/v3/engine/row_effects.h"
#include "protocol/v3/engine/smp_records.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/fragment.h"

namespace otr::v3 {
namespace {

using otr::smp::SmpEvent;

// The explanation that follows our Query Message, for clients without OTR.
constexpr std::string_view kQueryExplanation =
    " I would like to start an Off-the-Record private conversation, but your client does not "
    "support OTR.";
constexpr std::string_view kUnreadableError =
    "You sent an encrypted message that could not be read.";

// kActionFailed's text: what failed and where; never key material (an
// Error's context is a string literal).
std::string FailureText(std::string_view what, const Error& error) {
  std::string text(what);
  text += ": ";
  text += error.context;
  return text;
}

std::string ToText(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// A FIFO for the few events one input raises, held inline: N of them
// without allocating, more in a vector. (std::deque allocates a map and a
// 512-byte block when it is made: four allocations for every input, for
// queues that hold one or two events; issue 20.)
template <typename T, size_t N>
class SmallFifo {
 public:
  bool empty() const { return head_ == size_; }
  void push_back(T value) {
    if (size_ < N) {
      inline_[size_] = std::move(value);
    } else {
      spill_.push_back(std::move(value));
    }
    ++size_;
  }
  T& front() { return head_ < N ? inline_[head_] : spill_[head_ - N]; }
  void pop_front() {
    if (++head_ == size_) clear();
  }
  void clear() {
    head_ = size_ = 0;
    spill_.clear();
  }
  // `f` on every queued element, oldest first.
  template <typename F>
  void ForEach(F f) {
    for (size_t i = head_; i < size_; ++i) f(i < N ? inline_[i] : spill_[i - N]);
  }

 private:
  std::array<T, N> inline_{};
  std::vector<T> spill_;
  size_t head_ = 0, size_ = 0;
};

}  // namespace

struct QueuedSmp {
  SmpEvent event;
  std::optional<otr::smp::Message> message;
};

struct Conversation::Input {
  Input(Output& o, crypto::Random& r, uint64_t n, std::string_view t = {}, wire::VersionSet v = {})
      : out(o), random(r), now(n), text(t), offered(v) {}
  Output& out;
  crypto::Random& random;
  uint64_t now;
  std::string_view text;  // plaintext, user text or error detail
  wire::VersionSet offered;
  const DataMessage* data = nullptr;
  ByteView data_mac_input;  // what data's MAC covers, as received (empty: encode again)
  std::optional<KeyState::Verified> verified;  // set by the kDataVerifies guard
  std::optional<AkeResult> pending_ake;        // for kInstallSessionKeys
  SmallFifo<MessageEvent, 4> raised;           // events raised by committed rows
  SmallFifo<QueuedSmp, 2> smp;                 // SMP events of committed rows

  // The row being run: what it will commit.
  Output row_out;
  Fields* fields = nullptr;
  std::optional<KeyState> new_keys;
  SmallFifo<MessageEvent, 4> row_raised;
  SmallFifo<QueuedSmp, 2> row_smp;
};

Conversation::Conversation(const ConversationConfig& config, wire::InstanceTag their_tag)
    : config_(config),
      their_tag_(their_tag),
      our_fingerprint_(store::ComputeFingerprint(*config.backend, config.our_key->pub)),
      ake_(*config.backend, *config.our_key,
           AkePolicy{.allow_v2 = config.policy.allow_v2, .allow_v3 = config.policy.allow_v3}) {}

otr::smp::SmpState Conversation::smp_state() const {
  if (smp_) return smp_->executor.state();
  static const otr::smp::Executor kNotStarted;
  return kNotStarted.state();
}

Conversation::Smp& Conversation::SmpParts() {
  if (!smp_) {
    Smp& made = smp_.emplace(*config_.backend);
    if (fields_.their_fingerprint) {
      made.group.Bind(our_fingerprint_, *fields_.their_fingerprint, fields_.ssid);
    }
  }
  return *smp_;
}

// --- Inputs -----------------------------------------------------------------

void Conversation::ReceivePlaintext(std::string_view text, Output& out, crypto::Random& random,
                                    uint64_t now) {
  Input in{out, random, now, text};
  RunMessage(MessageEvent::kPlaintext, in);
}

void Conversation::ReceiveTagged(const wire::TaggedPlaintext& m, Output& out,
                                 crypto::Random& random, uint64_t now) {
  Input in{out, random, now, m.text, m.versions};
  RunMessage(MessageEvent::kTaggedPlaintext, in);
}

void Conversation::ReceiveQuery(const wire::QueryMessage& m, Output& out, crypto::Random& random,
                                uint64_t now) {
  Input in{out, random, now, m.text, m.versions};
  RunMessage(MessageEvent::kQuery, in);
}

void Conversation::ReceiveError(const wire::ErrorMessage& m, Output& out, crypto::Random& random,
                                uint64_t now) {
  Input in{out, random, now, m.detail};
  RunMessage(MessageEvent::kError, in);
}

void Conversation::ReceiveMessage(const Message& m, Output& out, crypto::Random& random,
                                  uint64_t now, ByteView encoded) {
  Input in{out, random, now};
  if (const auto* data = std::get_if<DataMessage>(&m)) {
    in.data = data;
    if (!encoded.empty()) in.data_mac_input = DataMessageMacInputOf(encoded, *data);
    RunMessage(MessageEvent::kData, in);
    return;
  }
  // The AKE is its own machine; its row is atomic (Ake::Run). Whatever it
  // raises runs as message-table rows afterwards.
  Output ake_out;
  (void)RunAke(ake_.Receive(random, m, config_.our_tag), in, ake_out);
  if (!ake_out.to_send.empty()) fields_.last_sent = now;
  Append(out, std::move(ake_out));
  in.row_raised.ForEach([&](MessageEvent e) { in.raised.push_back(e); });
  in.row_raised.clear();
  while (!in.raised.empty()) {
    const MessageEvent next = in.raised.front();
    in.raised.pop_front();
    RunMessage(next, in);
  }
}

void Conversation::Start(Output& out, crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  RunMessage(MessageEvent::kUserStart, in);
}

void Conversation::End(Output& out, crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  RunMessage(MessageEvent::kUserEnd, in);
}

void Conversation::Send(std::string_view text, Output& out, crypto::Random& random, uint64_t now) {
  Input in{out, random, now, text};
  RunMessage(MessageEvent::kUserSend, in);
}

// "Whenever the OTR message state machine has MSGSTATE_ENCRYPTED set, the
// SMP state machine may progress": SMP user actions need ENCRYPTED.
void Conversation::StartSmp(std::string_view secret, std::optional<std::string_view> question,
                            Output& out, crypto::Random& random, uint64_t now) {
  if (message_state_ != MessageState::kEncrypted) return;
  Input in{out, random, now};
  RunSmp(SmpEvent::kUserStart, otr::smp::Input{nullptr, secret, question}, in);
}

void Conversation::RespondSmp(std::string_view secret, Output& out, crypto::Random& random,
                              uint64_t now) {
  if (message_state_ != MessageState::kEncrypted) return;
  Input in{out, random, now};
  RunSmp(SmpEvent::kUserRespond, otr::smp::Input{nullptr, secret, std::nullopt}, in);
}

void Conversation::AbortSmp(Output& out, crypto::Random& random, uint64_t now) {
  if (message_state_ != MessageState::kEncrypted) return;
  Input in{out, random, now};
  RunSmp(SmpEvent::kUserAbort, otr::smp::Input{}, in);
}

Status Conversation::UseExtraSymmetricKey(uint32_t use, ByteView use_data, Output& out,
                                          crypto::Random& random, uint64_t now) {
  if (message_state_ != MessageState::kEncrypted || !keys_) {
    return MakeError(ErrorCode::kBadState, "extra symmetric key needs an encrypted session");
  }
  OTR_ASSIGN_OR_RETURN(
      TlvRecord record,
      EncodeTlv(Tlv{v3::ExtraSymmetricKey{use, Bytes(use_data.begin(), use_data.end())}}));
  OTR_ASSIGN_OR_RETURN(Bytes payload, EncodeDataPayload(DataPayload{{}, true, {record}}));
  OTR_ASSIGN_OR_RETURN(SealedData sealed,
                       keys_->Seal(OutHeader(), kFlagIgnoreUnreadable, payload, random));
  OTR_ASSIGN_OR_RETURN(crypto::SecretBytes key, keys_->ExtraSymmetricKey(sealed.key_ids));
  Event e(events::ExtraSymmetricKey{use, Bytes(use_data.begin(), use_data.end()), std::move(key)},
          their_tag_);
  SendBinary(sealed.encoded, &sealed.message.header, out);
  fields_.last_sent = now;
  out.events.push_back(std::move(e));
  return Status::Ok();
}

std::optional<HeldMessage> Conversation::TakeHeldMessage() {
  std::optional<HeldMessage> held = std::move(fields_.held);
  fields_.held.reset();
  return held;
}

// --- The message state table --------------------------------------------------

void Conversation::RunMessage(MessageEvent event, Input& in) {
  in.raised.push_back(event);
  while (!in.raised.empty() || !in.smp.empty()) {
    // SMP events a committed row queued run first (they were part of the
    // Data Message that raised the rest), then raised message events.
    if (!in.smp.empty()) {
      QueuedSmp queued = std::move(in.smp.front());
      in.smp.pop_front();
      RunQueuedSmp(queued, in);
      continue;
    }
    const MessageEvent next = in.raised.front();
    in.raised.pop_front();
    const MessageState from = message_state_;
    const MessageRow* row = table::Select(kMessageTable, message_state_, next,
                                          [&](MessageGuard g) { return Holds(g, in); });
    // Stage: everything the row changes goes to copies first.
    Fields staged = fields_;
    in.fields = &staged;
    in.row_out = Output{};
    in.new_keys.reset();
    in.row_raised.clear();
    in.row_smp.clear();
    std::optional<Box<KeyState>> keys_snapshot;
    std::optional<Ake> ake_snapshot;
    if (NeedsSnapshot(*row)) {
      keys_snapshot = keys_;
      ake_snapshot = ake_;
    }
    Status failed = Status::Ok();
    MessageAction failed_action = MessageAction::kNone;
    for (MessageAction action : row->actions) {
      if (action == MessageAction::kNone) continue;
      failed = Perform(action, in);
      if (!failed.ok()) {
        failed_action = action;
        break;
      }
    }
    in.fields = nullptr;
    in.verified.reset();
    if (!failed.ok()) {
      // Abort: no state change, no partial output (s2n-tls style: the row
      // does not advance). The application hears what failed.
      if (keys_snapshot) keys_ = std::move(*keys_snapshot);
      if (ake_snapshot) ake_ = std::move(*ake_snapshot);
      in.out.events.push_back(Event(
          events::ActionFailed{FailureText(Name(failed_action), failed.error())}, their_tag_));
      continue;
    }
    // Commit.
    if (!in.row_out.to_send.empty()) staged.last_sent = in.now;
    fields_ = std::move(staged);
    if (in.new_keys) {
      keys_.Set(std::move(*in.new_keys));
      in.new_keys.reset();
      if (smp_) smp_->group.Bind(our_fingerprint_, *fields_.their_fingerprint, fields_.ssid);
    }
    Append(in.out, std::move(in.row_out));
    in.row_raised.ForEach([&](MessageEvent e) { in.raised.push_back(e); });
    in.row_smp.ForEach([&](QueuedSmp& q) { in.smp.push_back(std::move(q)); });
    message_state_ = row->to;
    table::NotifyRow(kMessageMachine, kMessageTable, row, from, next, message_state_, this);
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
      auto verified = keys_->Verify(*in.data, in.data_mac_input);
      if (!verified.ok()) return false;
      in.verified = std::move(verified).value();
      return true;
    }
    case MessageGuard::kIgnoreUnreadable:
      return in.data != nullptr && (in.data->flags & kFlagIgnoreUnreadable) != 0;
    case MessageGuard::kWhitespaceTagPending:
      return policy.send_whitespace_tag && !fields_.plaintext_received;
    case MessageGuard::kHeartbeatDue:
      return in.now >= fields_.last_sent + config_.heartbeat_seconds;
    case MessageGuard::kCount:
      break;
  }
  return false;
}

Status Conversation::Perform(MessageAction action, Input& in) {
  Fields& f = *in.fields;
  Output& out = in.row_out;
  switch (action) {
    case MessageAction::kNone:
    case MessageAction::kIgnore:
    case MessageAction::kCount:
      return Status::Ok();
    case MessageAction::kDisplay:
      out.display.push_back({std::string(in.text), false, their_tag_});
      return Status::Ok();
    case MessageAction::kDisplayUnencryptedWarning:
      out.display.push_back({std::string(in.text), false, their_tag_});
      Emit(in, events::UnencryptedReceived{});
      return Status::Ok();
    case MessageAction::kNotePlaintextReceived:
      f.plaintext_received = true;
      return Status::Ok();
    case MessageAction::kArmWhitespaceTag:
      f.plaintext_received = false;
      return Status::Ok();
    case MessageAction::kStartAke: {
      const Version version =
          in.offered.Has(3) && config_.policy.allow_v3 ? Version::kV3 : Version::kV2;
      return RunAke(ake_.Start(in.random, version, config_.our_tag, their_tag_), in, out);
    }
    case MessageAction::kDisplayError:
      Emit(in, events::ErrorReceived{std::string(in.text)});
      return Status::Ok();
    case MessageAction::kSendQuery:
      SendTransport(wire::EncodeQuery({AllowedVersions(), std::string(kQueryExplanation)}), out);
      return Status::Ok();
    case MessageAction::kStoreMessage:
      f.stored = std::make_shared<const crypto::SecretBytes>(AsBytes(in.text));
      f.stored_at = in.now;
      f.may_retransmit = false;
      return Status::Ok();
    case MessageAction::kHoldMessage:
      f.held = HeldMessage{crypto::SecretBytes(AsBytes(in.text)), in.now};
      return Status::Ok();
    case MessageAction::kAllowRetransmit:
      f.may_retransmit = f.stored != nullptr;
      return Status::Ok();
    case MessageAction::kReportHeldBack:
      Emit(in, events::EncryptionRequired{});
      return Status::Ok();
    case MessageAction::kSendPlaintext:
      SendTransport(std::string(in.text), out);
      return Status::Ok();
    case MessageAction::kSendTaggedPlaintext:
      SendTransport(std::string(in.text) + wire::WhitespaceTag(AllowedVersions()), out);
      return Status::Ok();
    case MessageAction::kSendEncrypted:
      if (!keys_) return MakeError(ErrorCode::kBadState, "no session keys");
      return SendData(*keys_, AsBytes(in.text), {}, 0, in.random, out);
    case MessageAction::kReportCannotSend:
      Emit(in, events::CannotSend{});
      return Status::Ok();
    case MessageAction::kDeliverData:
      return DeliverData(in);
    case MessageAction::kSendHeartbeat:
      if (!keys_) return MakeError(ErrorCode::kBadState, "no session keys");
      return SendData(*keys_, {}, {}, kFlagIgnoreUnreadable, in.random, out);
    case MessageAction::kReportUnreadable:
      Emit(in, events::Undecryptable{});
      return Status::Ok();
    case MessageAction::kSendUnreadableError:
      SendTransport(wire::EncodeErrorMessage({std::string(kUnreadableError)}), out);
      return Status::Ok();
    case MessageAction::kInstallSessionKeys: {
      // Fail closed: without the AKE's result or with keys that do not
      // start, the row aborts and the conversation stays where it was.
      if (!in.pending_ake) return MakeError(ErrorCode::kBadState, "no completed AKE");
      AkeResult result = std::move(*in.pending_ake);
      in.pending_ake.reset();
      OTR_ASSIGN_OR_RETURN(
          KeyState keys,
          KeyState::Start(*config_.backend, std::move(result.our_dh), result.our_keyid,
                          std::move(result.their_dh), result.their_keyid));
      in.new_keys = std::move(keys);
      f.version = result.version;
      f.their_fingerprint = store::ComputeFingerprint(*config_.backend, result.their_long_term_key);
      f.ssid = result.ssid;
      f.we_sent_reveal = result.we_sent_reveal_signature;
      return Status::Ok();
    }
    case MessageAction::kReportSecure:
      Emit(in,
           events::WentSecure{f.their_fingerprint ? store::FingerprintToHuman(*f.their_fingerprint)
                                                  : std::string()});
      return Status::Ok();
    case MessageAction::kSendStoredMessage:
      if (f.stored && f.may_retransmit && in.now <= f.stored_at + config_.stored_message_seconds) {
        // Sealed with the keys this row installs (StoredMessageFollowsInstall).
        OTR_RETURN_IF_ERROR(SendData(*in.new_keys, f.stored->view(), {}, 0, in.random, out));
        Emit(in, events::StoredMessageSent{std::string(
                     reinterpret_cast<const char*>(f.stored->data()), f.stored->size())});
      }
      f.stored.reset();
      f.may_retransmit = false;
      return Status::Ok();
    case MessageAction::kForgetSessionKeys:
      keys_.reset();
      f.stored.reset();
      f.may_retransmit = false;
      return Status::Ok();
    case MessageAction::kResetSmp:
      in.row_smp.push_back(QueuedSmp{SmpEvent::kReset, std::nullopt});
      return Status::Ok();
    case MessageAction::kAbandonAke:
      ake_.Abandon(in.random);
      return Status::Ok();
    case MessageAction::kReportPeerEnded:
      Emit(in, events::PeerEnded{});
      return Status::Ok();
    case MessageAction::kSendDisconnect: {
      if (!keys_) return MakeError(ErrorCode::kBadState, "no session keys");
      OTR_ASSIGN_OR_RETURN(TlvRecord tlv, EncodeTlv(Tlv{Disconnected{}}));
      return SendData(*keys_, {}, {tlv}, kFlagIgnoreUnreadable, in.random, out);
    }
    case MessageAction::kReportInsecure:
      Emit(in, events::WentInsecure{});
      return Status::Ok();
  }
  return Status::Ok();
}

Status Conversation::RunAke(const Result<AkeOutput>& result, Input& in, Output& out) {
  // Ake::Run is atomic: on failure nothing changed and nothing is sent.
  if (!result.ok()) {
    if (in.fields == nullptr) {  // outside a row
      out.events.push_back(
          Event(events::ActionFailed{FailureText("AKE", result.error())}, their_tag_));
    }
    return result.error();
  }
  for (const Message& m : result->to_send) SendEncoded(m, out);
  if (result->refused_v1) out.events.push_back(Event(events::V1Refused{}, their_tag_));
  if (result->authenticated) {
    in.pending_ake = *result->authenticated;
    in.row_raised.push_back(MessageEvent::kAkeSucceeded);
  }
  return Status::Ok();
}

Status Conversation::DeliverData(Input& in) {
  // The commit point of the row: the message is authentic, its counter and
  // the key rotation are recorded (KeyState::Accept is atomic).
  OTR_ASSIGN_OR_RETURN(OpenedData opened, keys_->Accept(std::move(*in.verified), in.random));
  in.verified.reset();
  auto payload = DecodeDataPayload(opened.plaintext.view());
  if (!payload.ok()) {
    Emit(in, events::MalformedMessage{});
    return Status::Ok();
  }
  const PayloadWipe<DataPayload> wipe(*payload);
  // "display the human-readable part (if non-empty)": empty is a heartbeat.
  if (!payload->message.empty()) {
    in.row_out.display.push_back({ToText(payload->message), true, their_tag_});
  }
  bool smp_seen = false;
  bool smp_extra = false;
  for (const TlvRecord& record : payload->tlvs) {
    if (auto smp = SmpMessageOf(record)) {
      // One SMP step per Data Message (issue 14): a peer cannot make one
      // message cost many proof verifications.
      if (smp_seen) {
        smp_extra = true;
        continue;
      }
      smp_seen = true;
      const SmpEvent event = SmpEventOf(smp->kind);
      in.row_smp.push_back(QueuedSmp{event, std::move(*smp)});
      continue;
    }
    switch (static_cast<TlvType>(record.type)) {
      case TlvType::kDisconnected:
        in.row_raised.push_back(MessageEvent::kPeerEnded);
        break;
      case TlvType::kExtraSymmetricKey: {
        auto tlv = DecodeTlv(record);
        auto key = keys_->ExtraSymmetricKey(opened.key_ids);
        if (!tlv.ok() || !key.ok()) {
          Emit(in, events::MalformedMessage{});
          break;
        }
        const auto& esk = std::get<v3::ExtraSymmetricKey>(*tlv);
        in.row_out.events.push_back(Event(
            events::ExtraSymmetricKey{esk.use, esk.use_data, std::move(key).value()}, their_tag_));
        break;
      }
      default:
        break;  // Padding and unknown records: "should be ignored".
    }
  }
  if (smp_extra) in.row_smp.push_back(QueuedSmp{SmpEvent::kExtra, std::nullopt});
  in.row_raised.push_back(MessageEvent::kDataAccepted);
  return Status::Ok();
}

// --- SMP ------------------------------------------------------------------------

void Conversation::RunQueuedSmp(QueuedSmp& queued, Input& in) {
  otr::smp::Input smp_in;
  if (queued.message) smp_in.received = &*queued.message;
  // "the SMP state machine may progress" only while ENCRYPTED; a reset
  // always runs.
  if (queued.event != SmpEvent::kReset && message_state_ != MessageState::kEncrypted) return;
  RunSmp(queued.event, smp_in, in);
}

void Conversation::RunSmp(SmpEvent event, const otr::smp::Input& smp_in, Input& in) {
  Smp& smp = SmpParts();
  auto step = smp.executor.Prepare(event, smp_in, smp.group, in.random);
  if (!step.ok()) {
    in.out.events.push_back(
        Event(events::ActionFailed{FailureText("SMP", step.error())}, their_tag_));
    return;
  }
  Output sent;
  if (!step->to_send.empty()) {
    // Each SMP message in its own Data Message (the peer takes one SMP TLV
    // per message). All are sealed, or none: more than one seal changes the
    // keys more than once, so they are restored if a later one fails.
    Status status = keys_ ? Status::Ok() : MakeError(ErrorCode::kBadState, "no session keys");
    std::optional<Box<KeyState>> snapshot;
    if (status.ok() && step->to_send.size() > 1) snapshot = keys_;
    for (const otr::smp::Message& m : step->to_send) {
      if (!status.ok()) break;
      auto tlv = SmpRecord(m);
      status = tlv.ok() ? SendData(*keys_, {}, {*tlv}, kFlagIgnoreUnreadable, in.random, sent)
                        : Status(tlv.error());
    }
    if (!status.ok()) {
      if (snapshot) keys_ = std::move(*snapshot);
      in.out.events.push_back(
          Event(events::ActionFailed{FailureText("SMP", status.error())}, their_tag_));
      return;
    }
    fields_.last_sent = in.now;
  }
  for (Event& e : step->events) {
    e.instance = their_tag_;
    sent.events.push_back(std::move(e));
  }
  step->events.clear();
  smp.executor.Commit(std::move(step).value(), this);
  Append(in.out, std::move(sent));
}

// --- Output -------------------------------------------------------------------

Header Conversation::OutHeader() const {
  Header h;
  h.version = fields_.version;
  if (fields_.version == Version::kV3) {
    h.sender_instance = config_.our_tag;
    h.receiver_instance = their_tag_;
  }
  return h;
}

wire::VersionSet Conversation::AllowedVersions() const {
  wire::VersionSet versions;
  if (config_.policy.allow_v2) versions.Add(2);
  if (config_.policy.allow_v3) versions.Add(3);
  // A v4-capable session advertises 4 in the queries and tags this engine
  // sends: the session answers an offer of 4 with its v4 engine (otrv4.md
  // "Query Messages": "if she is willing to use OTR versions 3 and 4, the
  // identifier would be 34").
  if (config_.policy.allow_v4 && config_.policy.v4_mode == V4Mode::kV3Compatible) versions.Add(4);
  return versions;
}

template <typename T>
void Conversation::Emit(Input& in, T event) {
  in.row_out.events.push_back(Event(std::move(event), their_tag_));
}

void Conversation::SendTransport(std::string text, Output& out) {
  out.to_send.push_back(std::move(text));
}

void Conversation::SendEncoded(const Message& m, Output& out) {
  const Header* header = std::visit(
      [](const auto& v) -> const Header* {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, V1Message>) {
          return nullptr;
        } else {
          return &v.header;
        }
      },
      m);
  SendBinary(EncodeMessage(m), header, out);
}

void Conversation::SendBinary(ByteView binary, const Header* header, Output& out) {
  std::string armored = wire::EncodeArmor(binary);
  if (config_.max_message_size != 0 && armored.size() > config_.max_message_size && header) {
    const int version = header->version == Version::kV3 ? 3 : 2;
    auto fragments = wire::FragmentMessage(armored, config_.max_message_size, version,
                                           header->sender_instance, header->receiver_instance);
    if (fragments.ok()) {
      for (std::string& f : *fragments) SendTransport(std::move(f), out);
      return;
    }
  }
  SendTransport(std::move(armored), out);
}

Status Conversation::SendData(KeyState& keys, ByteView message, const std::vector<TlvRecord>& tlvs,
                              uint8_t flags, crypto::Random& random, Output& out) {
  // Encoded from the caller's plaintext: no copy of it is left unwiped.
  OTR_ASSIGN_OR_RETURN(Bytes payload, EncodeDataPayload(message, !tlvs.empty(), tlvs));
  auto sealed = keys.Seal(OutHeader(), flags, payload, random);
  crypto::SecureWipe(payload.data(), payload.size());
  if (!sealed.ok()) return sealed.error();
  SendBinary(sealed->encoded, &sealed->message.header, out);
  return Status::Ok();
}

}  // namespace otr::v3
