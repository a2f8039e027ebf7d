#include "protocol/v4/engine/conversation.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <memory_resource>
#include <utility>
#include <variant>

#include "protocol/api/payload_wipe.h"
#include "protocol/table/table.h"
#include "protocol/table/trace.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/dake/dake.h"
#include "protocol/v4/dake/shared_state.h"
#include "protocol/v4/engine/row_effects.h"
#include "protocol/v4/engine/smp_records.h"
#include "protocol/v4/libotr_ng/carrier.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/fingerprint.h"
#include "protocol/v4/libotr_ng/ratchet.h"
#include "protocol/v4/libotr_ng/smp_body.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/v4/smp/ed448_group.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/fragment.h"

namespace otr::v4 {
namespace {

using otr::smp::SmpEvent;
using A = ProtocolAction;
using G = ProtocolGuard;
using S = ProtocolState;

// The explanation that follows our Query Message, for clients without OTR.
constexpr std::string_view kQueryExplanation =
    " I would like to start an Off-the-Record private conversation, but your client does not "
    "support OTR.";

// ActionFailed's text: what failed and where; never key material (an
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

template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.ok() ? Status::Ok() : Status(result.error());
}

// "Extra Symmetric Key": the keys of the TLV 7 records of one Data Message,
// in TLV order. The first is the message's extra_sym_key; each further one
// is KDF(index || context || previous, 64), the previous one wiped once the
// next is derived (the caller keeps the copy it reports). At most 10; an
// index that does not fit the KDF's one byte ends the chain
// (ratchet/README.md, "Chained extra symmetric keys").
class ExtraKeyChain {
 public:
  ExtraKeyChain(const crypto::Backend& backend, ratchet::ExtraKeySource first)
      : backend_(backend), first_(std::move(first)) {}
  std::optional<crypto::SecretBytes> Next(uint32_t index, uint32_t context) {
    if (count_ == ratchet::kMaxExtraSymmetricKeys || index > 0xff) return std::nullopt;
    if (count_ == 0) {
      key_ = first_.Derive(backend_);  // the message's key, derived only now
      first_ = ratchet::ExtraKeySource();
    } else {
      key_ = ratchet::NextExtraSymmetricKey(backend_, static_cast<uint8_t>(index), context, key_);
    }
    ++count_;
    return key_;
  }

 private:
  const crypto::Backend& backend_;
  ratchet::ExtraKeySource first_;
  crypto::SecretBytes key_;
  size_t count_ = 0;
};

bool IsLibotrNg(const ConversationConfig& config) {
  return config.policy.v4_variant == V4Variant::kLibotrNg;
}

bool IsEncrypted(ProtocolState s) {
  return s == S::kEncrypted || s == S::kEncryptedWaitingAuthR || s == S::kEncryptedWaitingAuthI;
}

// A result cached per dake::ReceiverTagRule (two rules). Two members, not
// an array: GCC fills a member array of optionals with zeros (about 7 KB
// for the two below) in every Input, i.e. for every message (issue 20,
// bench/results/burst_session15.md); single optionals only clear their flag.
template <typename T>
struct PerReceiverTagRule {
  std::optional<T> zero_or_ours;
  std::optional<T> ours;
  std::optional<T>& operator[](dake::ReceiverTagRule rule) {
    return rule == dake::ReceiverTagRule::kOurs ? ours : zero_or_ours;
  }
};

}  // namespace

// Our side of a DAKE not yet complete: after sending an Identity message
// (WAITING_AUTH_R) we keep our ephemeral keys and the message (to resend
// it); after sending Auth-R (WAITING_AUTH_I), what Auth-I is checked
// against ("Auth-R Message": K and the SSID are computed then).
//
// Data Messages of the peer's first ratchet that arrived before its Auth-I
// belong to this DAKE: forgotten with it, read when it completes
// (decision 0014).
struct EarlyData {
  DataMessage message;
  uint64_t at = 0;   // when it was stored
  size_t bytes = 0;  // its encoded size
};

struct DakeInProgress {
  std::optional<dake::OurDakeKeys> our_keys;  // Identity sent
  Bytes identity;                             // its encoding, for resending
  Mpi our_b;                                  // B, for "Compare the hashed B"
  std::optional<dake::PendingAuthI> pending;  // Auth-R sent
  Bytes answered_identity;                    // the Identity message it answers
  Bytes auth_r;                               // its encoding, for resending
  uint64_t keys_made_at = 0;                  // when our ephemeral keys were made
  // Bounded by the config (16 by default); a vector, as a std::deque
  // allocates when constructed, and a DAKE starts on every Identity message.
  std::vector<EarlyData> early_data;
  size_t early_data_bytes = 0;
  // The libotr-ng variant (decision 0025): the Auth-R sent, and the keys of
  // it (its first ratchet keys start the Auth-R sender's ratchet). Never
  // changed once made, so copies of the DAKE share it; held by pointer, as
  // most DAKEs are not libotr-ng's and it is 3.7 KB that every row's copy of
  // the DAKE would otherwise zero, copy and wipe.
  struct NgAuthR {
    libotr_ng::AuthRSent sent;
    dake::OurDakeKeys keys;
  };
  std::shared_ptr<const NgAuthR> ng_auth_r;
  bool auth_r_sent() const { return pending.has_value() || ng_auth_r != nullptr; }
  // Drops the oldest stored early data while `drop(oldest, kept)` holds
  // (`kept`: how many are stored, the oldest included).
  template <typename Drop>
  void DropOldestEarlyData(Drop drop) {
    auto first_kept = early_data.begin();
    size_t kept = early_data.size();
    while (first_kept != early_data.end() && drop(*first_kept, kept)) {
      early_data_bytes -= first_kept->bytes;
      ++first_kept;
      --kept;
    }
    early_data.erase(early_data.begin(), first_kept);
  }
};

// The conversation a completed DAKE established ("Interactive DAKE
// Overview"): the double ratchet, the SSID, who the peer is, and the SMP
// group bound to both fingerprints and the SSID ("Secret Information").
struct Established {
  // The double ratchet: the spec's, or (the libotr-ng variant) libotr-ng's,
  // with the time its expiry timer started (as ratchet::RatchetState's).
  std::optional<ratchet::Ratchet> ratchet;
  std::optional<libotr_ng::Ratchet> ng_ratchet;
  uint64_t ng_expiry_timer_start = 0;
  dake::Ssid ssid{};
  // "Secure Session ID": "If the party transmitted the Auth-R message
  // during the DAKE, then display the first 4 bytes in bold"; the Auth-I's
  // sender shows the second half in bold.
  bool ssid_first_half_bold = false;
  Fingerprint their_fingerprint{};
  ClientProfile their_client_profile;
  smp::Ed448Group smp_group;
};

struct QueuedSmp {
  SmpEvent event;
  std::optional<otr::smp::Message> message;
};

// What a row may change besides the established conversation: copied
// before the row, committed when it succeeds.
struct Staged {
  bool plaintext_received = false;  // since last entering START
  // Sent encrypted; resent if unreadable. Shared and never changed in place
  // (replaced or dropped), so staging a row copies a pointer, not the
  // message; the last owner's SecretBytes wipes it.
  std::shared_ptr<const crypto::SecretBytes> stored;
  bool may_retransmit = false;
  uint64_t stored_at = 0;
  std::optional<HeldMessage> held;
  uint64_t last_sent = 0;
  // Shared and never changed where another Staged can see it: staging a row
  // copies a pointer, not the DAKE's keys and encodings; a change goes
  // through WritableDake, which copies first if the committed Staged holds
  // it too (copy on write), so an aborted row leaves it as it was. The last
  // owner's SecretBytes wipe the keys.
  std::shared_ptr<const DakeInProgress> dake;
};

namespace {

// The staged DAKE, ready to change (see Staged::dake).
DakeInProgress& WritableDake(Staged& staged) {
  if (staged.dake.use_count() > 1) staged.dake = std::make_shared<DakeInProgress>(*staged.dake);
  // Made non-const by make_shared (here or where the DAKE started), and now
  // seen by no other Staged.
  return const_cast<DakeInProgress&>(*staged.dake);
}

}  // namespace

struct Conversation::Fields {
  Staged staged;
  // Changed only by rows: replaced, forgotten, or advanced by an action
  // that is the row's last fallible one (row_effects.h).
  std::optional<Established> established;
  otr::smp::Executor smp;
  Fingerprint our_fingerprint{};
  Bytes phi_prime;
  // The libotr-ng variant: our Client Profile signed libotr-ng's way.
  Bytes ng_client_profile;
  // The group a reset runs on when no conversation is established (a reset
  // computes nothing).
  std::optional<smp::Ed448Group> idle_group;
};

struct Conversation::Input {
  Input(Output& o, crypto::Random& r, uint64_t n) : out(o), random(r), now(n) {}
  Output& out;
  crypto::Random& random;
  uint64_t now;
  std::string_view text;  // plaintext, user text
  wire::VersionSet offered;
  const wire::ErrorMessage* error = nullptr;
  const IdentityMessage* identity = nullptr;
  const AuthR* auth_r = nullptr;
  const AuthI* auth_i = nullptr;
  const DataMessage* data = nullptr;
  // What data's Authenticator covers, as received (empty: encode it again).
  ByteView data_mac_input;
  // Stored Data Messages the Auth-I row took out of storage, read one per
  // kStoredData event (decision 0014), from stored_data[stored_data_next].
  // Vectors, not deques, here and below: a std::deque allocates when
  // constructed, and an Input is made for every message.
  std::vector<DataMessage> stored_data;
  size_t stored_data_next = 0;
  const NonInteractiveAuth* non_interactive_auth = nullptr;
  const dake::TheirPrekeyEnsemble* ensemble = nullptr;  // the user's offline start

  // What the guards computed for the actions: the Identity message checked
  // (per receiver-tag rule; the libotr-ng variant's too), the Auth-R
  // checked, the DAKE an Auth-I completed (or our Auth-I for that Auth-R),
  // the plan a Data Message's checks prepared, the non-interactive DAKE's
  // result (from the guard, or the Non-Interactive-Auth we send). An Input
  // judges one message at a time (the one received, then each stored Data
  // Message an Auth-I releases), and each result is used by the row its
  // guard chose, so they share one variant: as a member each, they made an
  // Input 29 KB, on the stack of every message and user action.
  using IdentityChecks = PerReceiverTagRule<std::optional<dake::TheirDakeKeys>>;
  using NgIdentityChecks = PerReceiverTagRule<std::optional<libotr_ng::TheirSide>>;
  std::variant<std::monostate, IdentityChecks, NgIdentityChecks, dake::AuthRResult,
               dake::DakeResult, ratchet::Ratchet::ReceivePlan, dake::XzdhResult>
      judged;
  template <typename T>
  T* Judged() {
    return std::get_if<T>(&judged);
  }
  template <typename T>
  void Forget() {
    if (std::holds_alternative<T>(judged)) judged.emplace<std::monostate>();
  }
  const dake::TheirDakeKeys* their_identity = nullptr;      // in IdentityChecks
  const libotr_ng::TheirSide* ng_their_identity = nullptr;  // in NgIdentityChecks
  // The libotr-ng variant's other results: the Auth-I made for a valid
  // Auth-R (with the Auth-R's first keys), the DAKE an Auth-I completed, a
  // Data Message opened on a copy of the ratchet (committed by
  // kDeliverData). Held by pointer, made only for that variant: 9 KB that
  // every Input (one per message and user action) would otherwise carry.
  struct NgDake {
    libotr_ng::Established result;
    std::optional<libotr_ng::AuthISent> auth_i;  // we send the Auth-I
    Point their_ecdh_first{};
    Mpi their_dh_first;
  };
  std::unique_ptr<NgDake> ng_dake;
  std::unique_ptr<std::pair<libotr_ng::Ratchet, libotr_ng::Opened>> ng_received;
  // The non-interactive DAKE: why a Non-Interactive-Auth was refused, the
  // message to send.
  std::optional<dake::DakeError> xzdh_error;
  std::optional<NonInteractiveAuth> non_interactive_auth_to_send;
  // The libotr-ng variant's: the user's ensemble (libotr-ng's, validated by
  // the Session), and the non-interactive DAKE's outcome: K and who the
  // peer is, with our x, a (we sent the Non-Interactive-Auth: libotr-ng's
  // 't' side) or their X, A (we received it); the message to send.
  const libotr_ng::TheirEnsemble* ng_ensemble = nullptr;
  struct NgOffline {
    libotr_ng::Established result;
    std::optional<dake::OurDakeKeys> our_keys;
    Point their_x{};
    Mpi their_a;
    uint32_t prekey_message_identifier = 0;
    std::optional<libotr_ng::NonInteractiveAuth> to_send;
  };
  std::unique_ptr<NgOffline> ng_offline;

  // Events raised by committed rows, first first, and by the row being run
  // (row_raised, below). Most rows raise one or two (a Data Message:
  // accepted, perhaps the peer's disconnect), which live in raised_buffer,
  // not on the heap: an Input is made for every message and user action.
  // More (Auth-I raises one per stored message) go to the heap.
  std::array<std::byte, 128> raised_buffer;
  std::pmr::monotonic_buffer_resource raised_memory{raised_buffer.data(), raised_buffer.size()};
  std::pmr::vector<ProtocolEvent> raised{&raised_memory};
  std::vector<QueuedSmp> smp;  // SMP events of committed rows, first first

  // The row being run: what it will commit.
  Output row_out;
  Staged* staged = nullptr;
  std::optional<Established> new_established;
  bool forget_established = false;
  std::pmr::vector<ProtocolEvent> row_raised{&raised_memory};
  std::vector<QueuedSmp> row_smp;
  std::vector<DataMessage> row_stored_data;
};

Conversation::Conversation(const ConversationConfig& config, wire::InstanceTag their_tag)
    : config_(config), their_tag_(their_tag), fields_(std::make_unique<Fields>()) {
  fields_->our_fingerprint = ComputeFingerprint(*config.backend, config.identity->long_term.pub,
                                                config.identity->forging_key);
  fields_->phi_prime = dake::EncodePhiPrime(config.phi_context);
  fields_->idle_group.emplace(*config.backend, fields_->our_fingerprint, Fingerprint{},
                              smp::Ssid{});
  if (IsLibotrNg(config)) {
    // libotr-ng shows and compares its own fingerprint form (#7).
    fields_->our_fingerprint =
        libotr_ng::ComputeFingerprint(*config.backend, config.identity->client_profile.public_key,
                                      config.identity->client_profile.forging_key);
    auto bytes = libotr_ng::EncodeAndSignClientProfile(
        *config.backend, config.identity->long_term.sym_key, config.identity->client_profile);
    if (bytes.ok()) fields_->ng_client_profile = std::move(bytes).value();
  }
}

// The libotr-ng variant's view of us: its phi holds both identifiers (the
// two accounts, phi_context), sorted by libotr_ng::SharedSessionState, so
// which one is "ours" does not matter.
libotr_ng::OurSide Conversation::NgOurSide() const {
  libotr_ng::OurSide ours;
  ours.long_term = &config_.identity->long_term;
  ours.client_profile = &config_.identity->client_profile;
  ours.client_profile_bytes = fields_->ng_client_profile;
  ours.instance_tag = config_.our_tag;
  if (!config_.phi_context.empty()) ours.identifier = config_.phi_context[0];
  return ours;
}

std::string_view Conversation::NgTheirIdentifier() const {
  return config_.phi_context.size() > 1 ? std::string_view(config_.phi_context[1])
                                        : std::string_view();
}

Result<Bytes> Conversation::EncodeOwn(const Message& m) const {
  if (IsLibotrNg(config_)) return libotr_ng::EncodeCarried(m);
  return EncodeMessage(m);
}

Result<Message> Conversation::DecodeOwn(ByteView bytes) const {
  if (IsLibotrNg(config_)) return libotr_ng::DecodeCarried(*config_.backend, bytes);
  return DecodeMessage(bytes);
}

Conversation::~Conversation() = default;
Conversation::Conversation(Conversation&&) noexcept = default;
Conversation::Conversation(const Conversation& other)
    : config_(other.config_),
      their_tag_(other.their_tag_),
      state_(other.state_),
      fields_(std::make_unique<Fields>(*other.fields_)) {}
Conversation& Conversation::operator=(Conversation&&) noexcept = default;
Conversation& Conversation::operator=(const Conversation& other) {
  if (this != &other) *this = Conversation(other);
  return *this;
}

// --- Inputs -----------------------------------------------------------------

void Conversation::ReceivePlaintext(std::string_view text, Output& out, crypto::Random& random,
                                    uint64_t now) {
  Input in{out, random, now};
  in.text = text;
  Run(ProtocolEvent::kPlaintext, in);
}

void Conversation::ReceiveTagged(const wire::TaggedPlaintext& m, Output& out,
                                 crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  in.text = m.text;
  in.offered = m.versions;
  Run(ProtocolEvent::kTaggedPlaintext, in);
}

void Conversation::ReceiveQuery(const wire::QueryMessage& m, Output& out, crypto::Random& random,
                                uint64_t now) {
  Input in{out, random, now};
  in.offered = m.versions;
  Run(ProtocolEvent::kQuery, in);
}

void Conversation::ReceiveError(const wire::ErrorMessage& m, Output& out, crypto::Random& random,
                                uint64_t now) {
  Input in{out, random, now};
  in.error = &m;
  Run(ProtocolEvent::kError, in);
}

void Conversation::ReceiveMessage(const Message& m, Output& out, crypto::Random& random,
                                  uint64_t now, ByteView encoded) {
  Input in{out, random, now};
  ProtocolEvent event = ProtocolEvent::kNonInteractiveAuth;
  if (const auto* identity = std::get_if<IdentityMessage>(&m)) {
    in.identity = identity;
    event = ProtocolEvent::kIdentity;
  } else if (const auto* auth_r = std::get_if<AuthR>(&m)) {
    in.auth_r = auth_r;
    event = ProtocolEvent::kAuthR;
  } else if (const auto* auth_i = std::get_if<AuthI>(&m)) {
    in.auth_i = auth_i;
    event = ProtocolEvent::kAuthI;
  } else if (const auto* data = std::get_if<DataMessage>(&m)) {
    in.data = data;
    if (!encoded.empty()) in.data_mac_input = DataMessageMacInputOf(encoded, *data);
    event = ProtocolEvent::kData;
  } else if (const auto* auth = std::get_if<NonInteractiveAuth>(&m)) {
    in.non_interactive_auth = auth;
  }
  Run(event, in);
}

void Conversation::Start(Output& out, crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  Run(ProtocolEvent::kUserStart, in);
}

void Conversation::StartInteractive(Output& out, crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  Run(ProtocolEvent::kUserStartInteractive, in);
}

void Conversation::StartOffline(const dake::TheirPrekeyEnsemble& ensemble, Output& out,
                                crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  in.ensemble = &ensemble;
  Run(ProtocolEvent::kUserStartOffline, in);
}

void Conversation::StartOfflineLibotrNg(const libotr_ng::TheirEnsemble& ensemble, Output& out,
                                        crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  in.ng_ensemble = &ensemble;
  Run(ProtocolEvent::kUserStartOffline, in);
}

void Conversation::End(Output& out, crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  Run(ProtocolEvent::kUserEnd, in);
}

void Conversation::EndElsewhere(Output& out, crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  Run(ProtocolEvent::kUserEndElsewhere, in);
}

void Conversation::TakeOverFinished(Output& out, crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  Run(ProtocolEvent::kTakeOverFinished, in);
}

void Conversation::Send(std::string_view text, Output& out, crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  in.text = text;
  Run(ProtocolEvent::kUserSend, in);
}

void Conversation::HandleTimeout(Output& out, crypto::Random& random, uint64_t now) {
  Input in{out, random, now};
  Run(ProtocolEvent::kTimeout, in);
}

std::optional<uint64_t> Conversation::NextTimeout() const {
  std::optional<uint64_t> next;
  auto consider = [&](uint64_t t) {
    if (!next || t < *next) next = t;
  };
  // A DAKE in progress: its expiry and its stored Data Messages' (decision 0014).
  if (const auto& dake = fields_->staged.dake) {
    if (config_.session_expiry_seconds != 0) {
      consider(dake->keys_made_at + config_.session_expiry_seconds);
    }
    if (!dake->early_data.empty()) {
      consider(dake->early_data.front().at + config_.early_data_seconds);
    }
  }
  if (!fields_->established || !encrypted()) return next;
  if (fields_->established->ng_ratchet) {
    if (config_.session_expiry_seconds != 0) {
      consider(fields_->established->ng_expiry_timer_start + config_.session_expiry_seconds);
    }
    return next;
  }
  const ratchet::Ratchet& r = *fields_->established->ratchet;
  if (config_.session_expiry_seconds != 0 && r.state().expiry_timer_start) {
    consider(*r.state().expiry_timer_start + config_.session_expiry_seconds);
  }
  for (const auto& [id, key] : r.skipped_keys()) {
    consider(key.stored_at + r.limits().stored_key_lifetime);
  }
  return next;
}

// "SMP ... Only available in ENCRYPTED_MESSAGES" (as v3: "Whenever the OTR
// message state machine has MSGSTATE_ENCRYPTED set, the SMP state machine may
// progress"): SMP user actions need an established conversation.
void Conversation::StartSmp(std::string_view secret, std::optional<std::string_view> question,
                            Output& out, crypto::Random& random, uint64_t now) {
  if (!encrypted() || !fields_->established) return;
  Input in{out, random, now};
  RunSmp(SmpEvent::kUserStart, otr::smp::Input{nullptr, secret, question}, in);
}

void Conversation::RespondSmp(std::string_view secret, Output& out, crypto::Random& random,
                              uint64_t now) {
  if (!encrypted() || !fields_->established) return;
  Input in{out, random, now};
  RunSmp(SmpEvent::kUserRespond, otr::smp::Input{nullptr, secret, std::nullopt}, in);
}

void Conversation::AbortSmp(Output& out, crypto::Random& random, uint64_t now) {
  if (!encrypted() || !fields_->established) return;
  Input in{out, random, now};
  RunSmp(SmpEvent::kUserAbort, otr::smp::Input{}, in);
}

// "Extra Symmetric Key": TLV 7 in a Data Message; the key is derived from
// the chain key that encrypted it (ratchet::SentMessage::extra_symm_key).
Status Conversation::UseExtraSymmetricKey(uint32_t use, ByteView use_data, Output& out,
                                          crypto::Random& random, uint64_t now) {
  return UseExtraSymmetricKeys({ExtraKeyUse{use, Bytes(use_data.begin(), use_data.end())}}, out,
                               random, now);
}

// Several TLV 7 in one Data Message: the first gets the message's key, each
// further one KDF(index || context || previous key, 64) (ExtraKeyChain).
Status Conversation::UseExtraSymmetricKeys(const std::vector<ExtraKeyUse>& uses, Output& out,
                                           crypto::Random& random, uint64_t now) {
  if (!encrypted() || !fields_->established) {
    return MakeError(ErrorCode::kBadState, "extra symmetric key needs ENCRYPTED_MESSAGES");
  }
  if (uses.empty() || uses.size() > ratchet::kMaxExtraSymmetricKeys) {
    return MakeError(ErrorCode::kTooLarge, "1 to 10 extra symmetric keys per Data Message");
  }
  std::vector<TlvRecord> records;
  for (const ExtraKeyUse& u : uses) {
    OTR_ASSIGN_OR_RETURN(TlvRecord record,
                         EncodeTlv(Tlv{v4::ExtraSymmetricKey{u.use, u.use_data}}));
    records.push_back(std::move(record));
  }
  Output sent;
  OTR_ASSIGN_OR_RETURN(
      ratchet::ExtraKeySource key,
      SendData(*fields_->established, {}, records, kFlagIgnoreUnreadable, random, now, sent));
  fields_->staged.last_sent = now;
  ExtraKeyChain chain(*config_.backend, std::move(key));
  for (uint32_t index = 0; index < uses.size(); ++index) {
    auto next = chain.Next(index, uses[index].use);
    if (!next) break;  // unreachable: at most 10, indexes below 256
    sent.events.push_back(Event(
        events::ExtraSymmetricKey{uses[index].use, uses[index].use_data, std::move(*next), index},
        their_tag_));
  }
  Append(out, std::move(sent));
  return Status::Ok();
}

// --- Accessors ----------------------------------------------------------------

bool Conversation::encrypted() const { return IsEncrypted(state_); }

otr::smp::SmpState Conversation::smp_state() const { return fields_->smp.state(); }

bool Conversation::smp_awaiting_secret() const { return fields_->smp.awaiting_secret(); }

std::optional<HeldMessage> Conversation::TakeHeldMessage() {
  std::optional<HeldMessage> held = std::move(fields_->staged.held);
  fields_->staged.held.reset();
  return held;
}

std::optional<Fingerprint> Conversation::their_fingerprint() const {
  if (!fields_->established) return std::nullopt;
  return fields_->established->their_fingerprint;
}

std::array<uint8_t, 8> Conversation::ssid() const {
  if (!fields_->established) return {};
  return fields_->established->ssid;
}

bool Conversation::ssid_first_half_bold() const {
  return fields_->established && fields_->established->ssid_first_half_bold;
}

const ratchet::Ratchet* Conversation::ratchet() const {
  return fields_->established && fields_->established->ratchet ? &*fields_->established->ratchet
                                                               : nullptr;
}

// --- The protocol table -------------------------------------------------------

void Conversation::Run(ProtocolEvent event, Input& in) {
  in.raised.push_back(event);
  while (!in.raised.empty() || !in.smp.empty()) {
    // SMP events a committed row queued run first (they were part of the
    // Data Message that raised the rest), then raised events.
    if (!in.smp.empty()) {
      QueuedSmp queued = std::move(in.smp.front());
      in.smp.erase(in.smp.begin());
      otr::smp::Input smp_in;
      if (queued.message) smp_in.received = &*queued.message;
      // A reset always runs; the rest only while encrypted.
      if (queued.event == SmpEvent::kReset || (encrypted() && fields_->established)) {
        RunSmp(queued.event, smp_in, in);
      }
      continue;
    }
    const ProtocolEvent next = in.raised.front();
    in.raised.erase(in.raised.begin());
    // A stored Data Message is the input of its kStoredData row.
    const DataMessage* const received_data = in.data;
    const ByteView received_mac_input = in.data_mac_input;
    std::optional<DataMessage> stored;
    if (next == ProtocolEvent::kStoredData && in.stored_data_next < in.stored_data.size()) {
      stored.emplace(std::move(in.stored_data[in.stored_data_next++]));
      in.data = &*stored;
      in.data_mac_input = ByteView();  // kept decoded: encoded again for its MAC
    }
    const ProtocolState from = state_;
    static const table::RowIndex<ProtocolRow> kIndex{std::span<const ProtocolRow>(kProtocolTable)};
    const ProtocolRow* row =
        kIndex.Select(state_, next, [&](ProtocolGuard g) { return Holds(g, in); });
    // Stage: what the row changes goes to copies first.
    Staged staged = fields_->staged;
    in.staged = &staged;
    in.row_out = Output{};
    in.new_established.reset();
    in.forget_established = false;
    in.row_raised.clear();
    in.row_smp.clear();
    in.row_stored_data.clear();
    Status failed = Status::Ok();
    ProtocolAction failed_action = A::kNone;
    for (ProtocolAction action : row->actions) {
      if (action == A::kNone) continue;
      failed = Perform(action, in);
      if (!failed.ok()) {
        failed_action = action;
        break;
      }
    }
    in.staged = nullptr;
    in.Forget<ratchet::Ratchet::ReceivePlan>();
    in.data = received_data;
    in.data_mac_input = received_mac_input;
    if (!failed.ok()) {
      // Abort: no state change, no partial output. The application hears
      // what failed.
      in.new_established.reset();
      in.out.events.push_back(Event(
          events::ActionFailed{FailureText(Name(failed_action), failed.error())}, their_tag_));
      continue;
    }
    // Commit.
    if (!in.row_out.to_send.empty()) staged.last_sent = in.now;
    fields_->staged = std::move(staged);
    if (in.forget_established) fields_->established.reset();
    if (in.new_established) {
      fields_->established.reset();  // the old conversation's keys are wiped first
      fields_->established.emplace(std::move(*in.new_established));
      in.new_established.reset();
    }
    Append(in.out, std::move(in.row_out));
    // Raised events run before those raised earlier (depth first): what one
    // stored Data Message raises is done before the next one is read.
    in.raised.insert(in.raised.begin(), in.row_raised.begin(), in.row_raised.end());
    if (in.smp.empty()) {
      std::swap(in.smp, in.row_smp);  // row_smp is cleared before the next row
    } else {
      for (QueuedSmp& q : in.row_smp) in.smp.push_back(std::move(q));
    }
    for (DataMessage& m : in.row_stored_data) in.stored_data.push_back(std::move(m));
    state_ = row->to;
    table::NotifyRow(kProtocolMachine, kProtocolTable, row, from, next, state_, this);
  }
}

bool Conversation::Holds(ProtocolGuard guard, Input& in) {
  const Policy& policy = config_.policy;
  const bool v3_compatible = policy.v4_mode == V4Mode::kV3Compatible;
  const Staged& staged = fields_->staged;
  const dake::OurLongTermKeys ours{&config_.identity->long_term, &config_.identity->client_profile,
                                   config_.our_tag};
  const bool ng = IsLibotrNg(config_);
  // "Validate the Identity message" once per receiver-tag rule; its B.
  auto identity_valid = [&](dake::ReceiverTagRule rule) -> const Mpi* {
    if (in.identity == nullptr) return nullptr;
    if (ng) return NgIdentityValid(rule, in);
    auto* checks = in.Judged<Input::IdentityChecks>();
    if (checks == nullptr) checks = &in.judged.emplace<Input::IdentityChecks>();
    auto& cached = (*checks)[rule];
    if (!cached) {
      cached.emplace();
      const bool from_them = their_tag_ == wire::kNoInstanceTag ||
                             in.identity->header.sender_instance_tag == their_tag_;
      if (from_them) {
        auto checked = dake::ValidateIdentity(*config_.backend, *in.identity, config_.our_tag, rule,
                                              static_cast<int64_t>(in.now));
        if (checked.ok()) cached->emplace(std::move(checked).value());
      }
    }
    in.their_identity = cached->has_value() ? &**cached : nullptr;
    return in.their_identity != nullptr ? &in.their_identity->dh : nullptr;
  };
  switch (guard) {
    case G::kAlways:
      return true;
    case G::kWarnUnencrypted:
      return policy.require_encryption || !v3_compatible;
    case G::kTagStartsDake:
      return v3_compatible && policy.allow_v4 && policy.whitespace_start_ake && in.offered.Has(4);
    case G::kTagStartsDakeWarn:
      return v3_compatible && policy.allow_v4 && policy.whitespace_start_ake && in.offered.Has(4) &&
             policy.require_encryption;
    case G::kQueryOffersV4:
      return v3_compatible && policy.allow_v4 && in.offered.Has(4);
    case G::kErrorCodeKnown:
      return in.error != nullptr && wire::ErrorMessageCodeOf(*in.error).has_value();
    case G::kIdentityValid:
      return identity_valid(dake::ReceiverTagRule::kZeroOrOurs) != nullptr;
    case G::kIdentityValidOursHigher: {
      const Mpi* their_b = identity_valid(dake::ReceiverTagRule::kZeroOrOurs);
      if (their_b == nullptr || !staged.dake || !staged.dake->our_keys) return false;
      return dake::OurIdentityWins(*config_.backend, staged.dake->our_b, *their_b);
    }
    case G::kIdentityAnswered:
      return in.identity != nullptr && staged.dake && staged.dake->auth_r_sent() &&
             EncodeIdentityMessage(*in.identity) == staged.dake->answered_identity;
    case G::kIdentityValidForUs:
      return identity_valid(dake::ReceiverTagRule::kOurs) != nullptr;
    case G::kAuthRValid: {
      if (in.auth_r == nullptr || !staged.dake || !staged.dake->our_keys) return false;
      if (their_tag_ != wire::kNoInstanceTag &&
          in.auth_r->header.sender_instance_tag != their_tag_) {
        return false;
      }
      if (ng) return NgAuthRValid(in);
      auto checked = dake::ValidateAuthR(*config_.backend, *in.auth_r, ours, *staged.dake->our_keys,
                                         fields_->phi_prime, static_cast<int64_t>(in.now));
      if (!checked.ok()) return false;
      in.judged.emplace<dake::AuthRResult>(std::move(checked).value());
      return true;
    }
    case G::kAuthIValid: {
      if (in.auth_i == nullptr || !staged.dake || !staged.dake->auth_r_sent()) return false;
      if (their_tag_ != wire::kNoInstanceTag &&
          in.auth_i->header.sender_instance_tag != their_tag_) {
        return false;
      }
      if (ng) return NgAuthIValid(in);
      auto checked = dake::ValidateAuthI(*config_.backend, *in.auth_i, ours, *staged.dake->pending);
      if (!checked.ok()) return false;
      in.judged.emplace<dake::DakeResult>(std::move(checked).value());
      return true;
    }
    case G::kDataReadable: {
      // "Check that the instance tag in the message is the instance tag you
      // are currently using", then the ratchet: MAC, keys, group checks.
      if (in.data == nullptr || !fields_->established) return false;
      if (in.data->header.receiver_instance_tag != config_.our_tag) return false;
      if (their_tag_ != wire::kNoInstanceTag && in.data->header.sender_instance_tag != their_tag_) {
        return false;
      }
      if (fields_->established->ng_ratchet) return NgDataReadable(in);
      auto plan =
          fields_->established->ratchet->PrepareReceive(in.now, *in.data, in.data_mac_input);
      if (!plan.ok()) return false;
      in.judged.emplace<ratchet::Ratchet::ReceivePlan>(std::move(plan).value());
      return true;
    }
    case G::kIgnoreUnreadable:
      return in.data != nullptr && (in.data->flags & kFlagIgnoreUnreadable) != 0;
    case G::kHeartbeatDue:
      return in.now >= staged.last_sent + config_.heartbeat_seconds;
    case G::kSessionExpired:
      if (!fields_->established || config_.session_expiry_seconds == 0) return false;
      if (fields_->established->ng_ratchet) {
        return in.now >=
               fields_->established->ng_expiry_timer_start + config_.session_expiry_seconds;
      }
      return fields_->established->ratchet->SessionExpired(in.now, config_.session_expiry_seconds);
    case G::kStoredKeysDue: {
      if (!fields_->established || !fields_->established->ratchet) return false;
      const ratchet::Ratchet& r = *fields_->established->ratchet;
      for (const auto& [id, key] : r.skipped_keys()) {
        if (in.now >= key.stored_at && in.now - key.stored_at >= r.limits().stored_key_lifetime) {
          return true;
        }
      }
      return false;
    }
    case G::kInteractiveOnly:
      return policy.v4_mode == V4Mode::kV4InteractiveOnly;
    case G::kV3Compatible:
      return v3_compatible;
    case G::kTagPending:
      return v3_compatible && !policy.require_encryption && policy.send_whitespace_tag &&
             !staged.plaintext_received;
    case G::kPlaintextAllowed:
      return v3_compatible && !policy.require_encryption;
    case G::kFirstRatchetAfterDake:
      // "If this is the first DH ratchet after a DAKE": the peer's first
      // chain after the Auth-I answering our Auth-R carries ratchet id 0 and
      // a DH key (ratchet/README.md, "Ratchet ids", "The Public DH Key").
      // Nothing is verified yet: the MAC key comes with the Auth-I.
      // libotr-ng's Auth-I sender sends nothing before our first Data
      // Message (its WAITING_DAKE_DATA_MESSAGE), so the variant stores none.
      return !ng && in.data != nullptr && staged.dake && staged.dake->pending &&
             in.data->header.receiver_instance_tag == config_.our_tag &&
             (their_tag_ == wire::kNoInstanceTag ||
              in.data->header.sender_instance_tag == their_tag_) &&
             in.data->ratchet_id == 0 && !in.data->dh.empty();
    case G::kStoredDataDue:
      return staged.dake && !staged.dake->early_data.empty() &&
             in.now >= staged.dake->early_data.front().at + config_.early_data_seconds;
    case G::kDakeStale:
      return staged.dake && config_.session_expiry_seconds != 0 &&
             in.now >= staged.dake->keys_made_at + config_.session_expiry_seconds;
    case G::kNonInteractiveAuthValid:
      return NonInteractiveAuthValid(in);
    case G::kCount:
      break;
  }
  return false;
}

Status Conversation::Perform(ProtocolAction action, Input& in) {
  Staged& f = *in.staged;
  Output& out = in.row_out;
  wire::VersionSet versions;
  versions.Add(4);
  if (config_.policy.v4_mode == V4Mode::kV3Compatible && config_.policy.allow_v3) versions.Add(3);
  // ALLOW_V2 in the v3-compatible mode: offered too, so a v2-only peer
  // (python-potr) can still answer; the session runs v2 in the v3 engine.
  if (config_.policy.v4_mode == V4Mode::kV3Compatible && config_.policy.allow_v2) versions.Add(2);
  switch (action) {
    case A::kNone:
    case A::kIgnore:
    case A::kCount:
      return Status::Ok();
    // "Reject this request" ("OTRv4 Modes"): nothing is answered.
    case A::kRefuseOffline:
      return Status::Ok();
    case A::kDisplay:
      out.display.push_back({std::string(in.text), false, their_tag_});
      return Status::Ok();
    case A::kDisplayUnencryptedWarning:
      out.display.push_back({std::string(in.text), false, their_tag_});
      Emit(in, events::UnencryptedReceived{});
      return Status::Ok();
    case A::kNotePlaintextReceived:
      f.plaintext_received = true;
      return Status::Ok();
    case A::kArmWhitespaceTag:
      f.plaintext_received = false;
      return Status::Ok();
    case A::kDisplayError:
      if (in.error != nullptr) Emit(in, events::ErrorReceived{std::string(in.error->detail)});
      return Status::Ok();
    case A::kAllowRetransmit:
      f.may_retransmit = f.stored != nullptr;
      return Status::Ok();
    case A::kSendQuery:
      out.to_send.push_back(wire::EncodeQuery({versions, std::string(kQueryExplanation)}));
      return Status::Ok();
    case A::kSendIdentity:
      return SendIdentity(in);
    case A::kResendIdentity:
      if (!f.dake || !f.dake->our_keys) return SendIdentity(in);
      {
        OTR_ASSIGN_OR_RETURN(Message identity, DecodeOwn(f.dake->identity));
        return SendEncoded(identity, in.random, out);
      }
    case A::kSendAuthR:
      return SendAuthR(in);
    case A::kResendAuthR: {
      if (!f.dake || !f.dake->auth_r_sent()) {
        return MakeError(ErrorCode::kBadState, "no Auth-R sent");
      }
      OTR_ASSIGN_OR_RETURN(Message auth_r, DecodeOwn(f.dake->auth_r));
      return SendEncoded(auth_r, in.random, out);
    }
    case A::kSendAuthI: {
      // "Generate and send an Auth-I message"; the DAKE's result is the
      // input of kEstablish.
      if (in.ng_dake && in.ng_dake->auth_i) {
        return SendEncoded(Message{libotr_ng::FromLibotrNg(in.ng_dake->auth_i->message)}, in.random,
                           out);
      }
      dake::AuthRResult* auth_r = in.Judged<dake::AuthRResult>();
      if (auth_r == nullptr) return MakeError(ErrorCode::kBadState, "no validated Auth-R");
      const dake::OurLongTermKeys ours{&config_.identity->long_term,
                                       &config_.identity->client_profile, config_.our_tag};
      OTR_ASSIGN_OR_RETURN(dake::AuthISent sent,
                           dake::MakeAuthI(*config_.backend, ours, std::move(*auth_r), in.random));
      in.judged.emplace<std::monostate>();
      OTR_RETURN_IF_ERROR(SendEncoded(Message{std::move(sent.message)}, in.random, out));
      in.judged.emplace<dake::DakeResult>(std::move(sent.result));
      return Status::Ok();
    }
    case A::kEstablish:
      return Establish(in);
    case A::kReportSecure: {
      const Established* e = in.new_established
                                 ? &*in.new_established
                                 : (fields_->established ? &*fields_->established : nullptr);
      events::WentSecure secure{e ? FingerprintToHuman(e->their_fingerprint) : std::string()};
      // The user hears that the compatibility profile is speaking.
      if (IsLibotrNg(config_)) secure.compatibility = "libotr-ng";
      Emit(in, std::move(secure));
      return Status::Ok();
    }
    case A::kSendStoredMessage:
      // "If a plaintext message is waiting to be sent, encrypt it and send
      // it": the stored message the peer could not read (the held one is the
      // session's, as in v3, decision 0006).
      if (f.stored && f.may_retransmit && in.new_established &&
          in.now <= f.stored_at + config_.stored_message_seconds) {
        OTR_RETURN_IF_ERROR(StatusOf(
            SendData(*in.new_established, f.stored->view(), {}, 0, in.random, in.now, out)));
        Emit(in, events::StoredMessageSent{ToText(f.stored->view())});
      }
      f.stored.reset();
      f.may_retransmit = false;
      return Status::Ok();
    case A::kResetSmp:
      in.row_smp.push_back(QueuedSmp{SmpEvent::kReset, std::nullopt});
      return Status::Ok();
    case A::kForgetDake:
      f.dake.reset();
      return Status::Ok();
    case A::kForgetConversation:
      in.forget_established = true;
      f.stored.reset();
      f.may_retransmit = false;
      return Status::Ok();
    case A::kDeliverData:
      return DeliverData(in);
    case A::kReportUnreadable:
      Emit(in, events::Undecryptable{});
      return Status::Ok();
    case A::kSendError1:
      out.to_send.push_back(wire::EncodeErrorMessage(
          wire::MakeErrorMessage(wire::ErrorMessageCode::kUnreadableMessage)));
      return Status::Ok();
    case A::kSendError2:
      out.to_send.push_back(wire::EncodeErrorMessage(
          wire::MakeErrorMessage(wire::ErrorMessageCode::kNotInPrivateStateMessage)));
      return Status::Ok();
    case A::kSendHeartbeat:
      if (!fields_->established) return MakeError(ErrorCode::kBadState, "no conversation");
      return StatusOf(
          SendData(*fields_->established, {}, {}, kFlagIgnoreUnreadable, in.random, in.now, out));
    case A::kSendPlaintext:
      out.to_send.push_back(std::string(in.text));
      return Status::Ok();
    case A::kSendTaggedPlaintext:
      out.to_send.push_back(std::string(in.text) + wire::WhitespaceTag(versions));
      return Status::Ok();
    case A::kSendEncrypted:
      if (!fields_->established) return MakeError(ErrorCode::kBadState, "no conversation");
      return StatusOf(
          SendData(*fields_->established, AsBytes(in.text), {}, 0, in.random, in.now, out));
    case A::kStoreMessage:
      f.stored = std::make_shared<const crypto::SecretBytes>(AsBytes(in.text));
      f.stored_at = in.now;
      f.may_retransmit = false;
      return Status::Ok();
    case A::kHoldMessage:
      f.held = HeldMessage{crypto::SecretBytes(AsBytes(in.text)), in.now};
      return Status::Ok();
    case A::kReportHeldBack:
      Emit(in, events::EncryptionRequired{});
      return Status::Ok();
    case A::kReportCannotSend:
      Emit(in, events::CannotSend{});
      return Status::Ok();
    case A::kSendDisconnect: {
      // "TLV 1 ... should have the 'IGNORE_UNREADABLE' flag set."
      if (!fields_->established) return MakeError(ErrorCode::kBadState, "no conversation");
      OTR_ASSIGN_OR_RETURN(TlvRecord tlv, EncodeTlv(Tlv{Disconnected{}}));
      return StatusOf(SendData(*fields_->established, {}, {tlv}, kFlagIgnoreUnreadable, in.random,
                               in.now, out));
    }
    case A::kReportInsecure:
      Emit(in, events::WentInsecure{});
      return Status::Ok();
    case A::kReportPeerEnded:
      Emit(in, events::PeerEnded{});
      return Status::Ok();
    case A::kExpireSession:
      return ExpireSession(in);
    case A::kDeleteStoredKeys:
      if (fields_->established && fields_->established->ratchet) {
        fields_->established->ratchet->DeleteExpiredKeys(in.now);
      }
      return Status::Ok();
    case A::kStoreData:
      return StoreEarlyData(in);
    case A::kReadStoredData:
      // "If there are stored received Data Messages, remove them from
      // storage": each is read after this row, and only one that verifies
      // under the new ratchet is delivered (decision 0014).
      if (f.dake && !f.dake->early_data.empty()) {
        DakeInProgress& dake = WritableDake(f);
        for (EarlyData& e : dake.early_data) {
          in.row_stored_data.push_back(std::move(e.message));
          in.row_raised.push_back(ProtocolEvent::kStoredData);
        }
        dake.early_data.clear();
        dake.early_data_bytes = 0;
      }
      return Status::Ok();
    case A::kDropExpiredData:
      if (f.dake && !f.dake->early_data.empty() &&
          in.now >= f.dake->early_data.front().at + config_.early_data_seconds) {
        WritableDake(f).DropOldestEarlyData([&](const EarlyData& oldest, size_t) {
          return in.now >= oldest.at + config_.early_data_seconds;
        });
      }
      return Status::Ok();
    case A::kStartOfflineDake:
      return StartOfflineDake(in);
    case A::kSendNonInteractiveAuth:
      if (in.ng_offline && in.ng_offline->to_send) {
        // libotr-ng's Non-Interactive-Auth (#4), then at once an empty Data
        // Message with IGNORE_UNREADABLE: libotr-ng's receiver is in
        // OTRNG_STATE_WAITING_DAKE_DATA_MESSAGE and sends nothing before
        // one arrives (otrng.c, non_interactive_auth_message_received).
        OTR_ASSIGN_OR_RETURN(NonInteractiveAuth carried,
                             libotr_ng::FromLibotrNg(*in.ng_offline->to_send));
        in.ng_offline->to_send.reset();
        if (!in.new_established) return MakeError(ErrorCode::kBadState, "no conversation");
        OTR_RETURN_IF_ERROR(SendEncoded(Message{std::move(carried)}, in.random, out));
        return StatusOf(
            SendData(*in.new_established, {}, {}, kFlagIgnoreUnreadable, in.random, in.now, out));
      }
      if (in.non_interactive_auth_to_send) {
        Message m{std::move(*in.non_interactive_auth_to_send)};
        in.non_interactive_auth_to_send.reset();
        return SendEncoded(m, in.random, out);
      }
      return Status::Ok();
    case A::kEstablishOffline:
      return EstablishOffline(in);
    case A::kConsumePrekey:
      return ConsumePrekey(in);
    case A::kReportOfflineRefused: {
      std::string what = "interactive-only mode";
      if (config_.policy.v4_mode != V4Mode::kV4InteractiveOnly) {
        what = in.xzdh_error ? std::string(dake::DakeCheckName(in.xzdh_error->check))
                             : std::string("Non-Interactive-Auth ignored");
      }
      Emit(in, events::OfflineRefused{std::move(what)});
      return Status::Ok();
    }
  }
  return Status::Ok();
}

// "If this is the first DH ratchet after a DAKE, store this message for a
// configurable, short amount of time": at most max_early_data_messages and
// max_early_data_bytes; the oldest goes first, and a message larger than
// the whole store is not kept (decision 0014).
Status Conversation::StoreEarlyData(Input& in) {
  if (!in.staged->dake || in.data == nullptr) return MakeError(ErrorCode::kBadState, "no DAKE");
  const size_t bytes = EncodeDataMessage(*in.data).size();
  if (bytes > config_.max_early_data_bytes || config_.max_early_data_messages == 0) {
    return Status::Ok();
  }
  DakeInProgress& dake = WritableDake(*in.staged);
  dake.DropOldestEarlyData([&](const EarlyData&, size_t kept) {
    return kept >= config_.max_early_data_messages ||
           dake.early_data_bytes + bytes > config_.max_early_data_bytes;
  });
  dake.early_data.push_back(EarlyData{*in.data, in.now, bytes});
  dake.early_data_bytes += bytes;
  return Status::Ok();
}

// "Identity Message": new ephemeral keys, any DAKE in progress forgotten.
// The libotr-ng variant: its Client Profile bytes (#1).
Status Conversation::SendIdentity(Input& in) {
  const dake::OurLongTermKeys ours{&config_.identity->long_term, &config_.identity->client_profile,
                                   config_.our_tag};
  OTR_ASSIGN_OR_RETURN(dake::OurDakeKeys keys,
                       dake::GenerateOurDakeKeys(*config_.backend, in.random));
  Message message;
  if (IsLibotrNg(config_)) {
    OTR_ASSIGN_OR_RETURN(
        message, libotr_ng::FromLibotrNg(libotr_ng::MakeIdentity(NgOurSide(), their_tag_, keys)));
  } else {
    message = dake::MakeIdentity(ours, their_tag_, keys);
  }
  DakeInProgress dake;
  dake.keys_made_at = in.now;
  OTR_ASSIGN_OR_RETURN(dake.identity, EncodeOwn(message));
  dake.our_b = std::get<IdentityMessage>(message).b;
  dake.our_keys.emplace(std::move(keys));
  in.staged->dake = std::make_shared<DakeInProgress>(std::move(dake));
  return SendBytes(in.staged->dake->identity, in.random, in.row_out);
}

// "Sending an Auth-R Message", for the Identity message the guard validated.
Status Conversation::SendAuthR(Input& in) {
  if (IsLibotrNg(config_)) return NgSendAuthR(in);
  if (in.their_identity == nullptr || in.identity == nullptr) {
    return MakeError(ErrorCode::kBadState, "no valid Identity");
  }
  const dake::OurLongTermKeys ours{&config_.identity->long_term, &config_.identity->client_profile,
                                   config_.our_tag};
  OTR_ASSIGN_OR_RETURN(dake::OurDakeKeys keys,
                       dake::GenerateOurDakeKeys(*config_.backend, in.random));
  OTR_ASSIGN_OR_RETURN(dake::AuthRSent sent,
                       dake::MakeAuthR(*config_.backend, ours, *in.their_identity, std::move(keys),
                                       fields_->phi_prime, in.random));
  DakeInProgress dake;
  dake.keys_made_at = in.now;
  dake.pending.emplace(std::move(sent.pending));
  dake.answered_identity = EncodeIdentityMessage(*in.identity);
  dake.auth_r = EncodeAuthR(sent.message);
  in.staged->dake = std::make_shared<DakeInProgress>(std::move(dake));
  return SendBytes(in.staged->dake->auth_r, in.random, in.row_out);
}

// "Initialize the double ratcheting, as defined in the Interactive DAKE
// Overview": the new conversation is staged; the row's commit replaces the
// old one (decision 0010: only now).
Status Conversation::Establish(Input& in) {
  if (in.ng_dake) return NgEstablish(in);
  dake::DakeResult* completed = in.Judged<dake::DakeResult>();
  if (completed == nullptr) return MakeError(ErrorCode::kBadState, "no completed DAKE");
  OTR_ASSIGN_OR_RETURN(
      ratchet::Ratchet r,
      dake::StartRatchet(*config_.backend, config_.ratchet_limits, *completed, in.random));
  const dake::DakeResult& result = *completed;
  // Auth-R sent (an Auth-I completes the DAKE): the first half is ours.
  const bool sent_auth_r = in.staged->dake && in.staged->dake->pending;
  in.new_established.emplace(Established{std::move(r), std::nullopt, 0, result.ssid, sent_auth_r,
                                         result.their_fingerprint, result.their_client_profile,
                                         smp::Ed448Group(*config_.backend, fields_->our_fingerprint,
                                                         result.their_fingerprint, result.ssid)});
  in.Forget<dake::DakeResult>();
  in.staged->dake.reset();
  return Status::Ok();
}

Status Conversation::DeliverData(Input& in) {
  // The commit point of the row (the table's only action here): the
  // ratchet applies the plan its guard prepared.
  // The libotr-ng variant: the ratchet copy that opened it replaces ours.
  ratchet::ReceivedMessage received;
  if (in.ng_received && fields_->established) {
    fields_->established->ng_ratchet = std::move(in.ng_received->first);
    fields_->established->ng_expiry_timer_start = in.now;
    received.plaintext = std::move(in.ng_received->second.plaintext);
    received.extra_symm_key =
        ratchet::ExtraKeySource::OfKey(std::move(in.ng_received->second.extra_symmetric_key));
    in.ng_received.reset();
  } else {
    ratchet::Ratchet::ReceivePlan* plan = in.Judged<ratchet::Ratchet::ReceivePlan>();
    if (plan == nullptr || !fields_->established) {
      return MakeError(ErrorCode::kBadState, "no prepared Data Message");
    }
    OTR_ASSIGN_OR_RETURN(received, fields_->established->ratchet->Commit(std::move(*plan)));
    in.Forget<ratchet::Ratchet::ReceivePlan>();
  }
  // The human-readable part is read where it is; the TLV part, from its NUL
  // on, is decoded apart, and both are wiped when the delivery ends.
  const ByteView plaintext = received.plaintext.view();
  const ByteView message = plaintext.first(HumanReadableLength(plaintext));
  // "Display the human-readable part (if non empty)": empty is a heartbeat.
  if (!message.empty()) in.row_out.display.push_back({ToText(message), true, their_tag_});
  DataPayload payload = DecodeDataPayload(plaintext.subspan(message.size()));
  received.plaintext.Clear();
  const PayloadWipe<DataPayload> wipe(payload);
  bool smp_seen = false;
  bool smp_extra = false;
  ExtraKeyChain extra_keys(*config_.backend, std::move(received.extra_symm_key));
  for (uint32_t index = 0; index < payload.tlvs.size(); ++index) {
    const TlvRecord& record = payload.tlvs[index];
    if (auto smp = SmpMessageOfVariant(record)) {
      // One SMP step per Data Message (issue 14).
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
        in.row_raised.push_back(ProtocolEvent::kPeerDisconnected);
        break;
      case TlvType::kExtraSymmetricKey: {
        // "Upon receipt of the Data Message containing the type 7 TLV, the
        // recipient will compute the extra symmetric key in the same way";
        // each further TLV 7 the next key, "taking the index ... from the
        // TLV list received in the data message and the context received in
        // 7 TLV itself" (ExtraKeyChain). Beyond "only 10 extra symmetric
        // keys": reported as malformed, no key.
        auto tlv = DecodeTlv(record);
        if (!tlv.ok()) {
          Emit(in, events::MalformedMessage{});
          break;
        }
        const auto& esk = std::get<v4::ExtraSymmetricKey>(*tlv);
        auto key = extra_keys.Next(index, esk.use);
        if (!key) {
          Emit(in, events::MalformedMessage{});
          break;
        }
        in.row_out.events.push_back(Event(
            events::ExtraSymmetricKey{esk.use, esk.use_data, std::move(*key), index}, their_tag_));
        break;
      }
      default:
        break;  // Padding and unknown records: "should be ignored".
    }
  }
  if (smp_extra) in.row_smp.push_back(QueuedSmp{SmpEvent::kExtra, std::nullopt});
  in.row_raised.push_back(ProtocolEvent::kDataAccepted);
  return Status::Ok();
}

// "Session Expiration": a Data Message with an empty TLV 1 and the
// old_mac_keys attached (the message's "Old MAC keys to be revealed"), then
// every key deleted. The send and the deletion change the ratchet in place;
// this is the row's first action and nothing after it can fail
// (row_effects.h).
Status Conversation::ExpireSession(Input& in) {
  if (!fields_->established) return MakeError(ErrorCode::kBadState, "no conversation");
  OTR_ASSIGN_OR_RETURN(TlvRecord tlv, EncodeTlv(Tlv{Disconnected{}}));
  if (fields_->established->ng_ratchet) {
    // The libotr-ng variant: TLV 1, then every key forgotten (libotr-ng's
    // own expiry, otrng_client_expire_session, reveals no MAC keys).
    OTR_RETURN_IF_ERROR(StatusOf(SendData(*fields_->established, {}, {tlv}, kFlagIgnoreUnreadable,
                                          in.random, in.now, in.row_out)));
    in.forget_established = true;
    in.staged->stored.reset();
    in.staged->may_retransmit = false;
    return Status::Ok();
  }
  ratchet::Ratchet& r = *fields_->established->ratchet;
  OTR_ASSIGN_OR_RETURN(Bytes payload, EncodeDataPayload(DataPayload{{}, true, {tlv}, {}}));
  const Header header{config_.our_tag, their_tag_};
  auto sent = r.Send(in.now, header, kFlagIgnoreUnreadable, payload, in.random);
  if (!sent.ok()) return sent.error();
  std::vector<MacKey> old_mac_keys = r.Expire();
  std::vector<MacKey>& revealed = sent->message.revealed_mac_keys;
  for (const MacKey& key : old_mac_keys) {
    if (std::find(revealed.begin(), revealed.end(), key) == revealed.end()) {
      revealed.push_back(key);
    }
  }
  OTR_RETURN_IF_ERROR(SendEncoded(Message{std::move(sent->message)}, in.random, in.row_out));
  in.forget_established = true;
  in.staged->stored.reset();
  in.staged->may_retransmit = false;
  return Status::Ok();
}

// --- The non-interactive DAKE (issue 18; decision 0015) ----------------------

// "Receiving a Non-Interactive-Auth Message": "If the receiver's instance
// tag in the message is not the sender's instance tag you are currently
// using: Ignore this message"; then Bob's checks (dake::
// ValidateNonInteractiveAuth) against our stored prekey values. Nothing is
// changed here: the prekey message is erased by kConsumePrekey when the row
// commits.
bool Conversation::NonInteractiveAuthValid(Input& in) {
  if (in.Judged<dake::XzdhResult>() != nullptr || in.ng_offline) return true;
  const NonInteractiveAuth* m = in.non_interactive_auth;
  if (m == nullptr) return false;
  if (their_tag_ != wire::kNoInstanceTag && m->header.sender_instance_tag != their_tag_) {
    return false;
  }
  if (IsLibotrNg(config_)) return NgNonInteractiveAuthValid(in);
  if (m->header.receiver_instance_tag != config_.our_tag) {
    in.xzdh_error = dake::DakeError{dake::DakeCheck::kReceiverInstanceTag,
                                    ErrorCode::kUnknownInstance, std::nullopt};
    return false;
  }
  const int64_t now = static_cast<int64_t>(in.now);
  const OurPrekeyProfile* prekey_profile =
      config_.prekey_store ? config_.prekey_store->FindPrekeyProfile(config_.our_tag, now)
                           : nullptr;
  dake::OurPrekeyValues values;
  if (prekey_profile != nullptr) {
    values.prekey_profile = &prekey_profile->profile;
    values.shared_prekey_secret = &prekey_profile->shared_prekey_secret;
    values.prekey =
        config_.prekey_store->FindPrekey(m->prekey_message_identifier, config_.our_tag, now);
  }
  const dake::OurLongTermKeys ours{&config_.identity->long_term, &config_.identity->client_profile,
                                   config_.our_tag};
  auto checked =
      dake::ValidateNonInteractiveAuth(*config_.backend, *m, ours, values, fields_->phi_prime, now);
  if (!checked.ok()) {
    in.xzdh_error = checked.error();
    return false;
  }
  in.judged.emplace<dake::XzdhResult>(std::move(checked).value());
  return true;
}

// "Sending a Data Message to an offline participant": "Generate and send a
// Non-Interactive-Auth message (replace any state or key variables).
// Initialize the double ratcheting". The message is sent by
// kSendNonInteractiveAuth (after a TLV 1 from ENCRYPTED_MESSAGES).
// The libotr-ng variant (issue 20) from libotr-ng's ensemble:
// libotr_ng::MakeNonInteractiveAuth (deviations #4, #11, #15, #26-#28).
Status Conversation::StartOfflineDake(Input& in) {
  if (IsLibotrNg(config_)) {
    if (in.ng_ensemble == nullptr) {
      return MakeError(ErrorCode::kBadState,
                       "the libotr-ng profile starts offline from libotr-ng's ensembles only");
    }
    OTR_ASSIGN_OR_RETURN(dake::OurDakeKeys keys,
                         dake::GenerateOurDakeKeys(*config_.backend, in.random));
    OTR_ASSIGN_OR_RETURN(
        libotr_ng::NonInteractiveAuthSent sent,
        libotr_ng::MakeNonInteractiveAuth(*config_.backend, NgOurSide(), *in.ng_ensemble,
                                          NgTheirIdentifier(), keys, in.random));
    Input::NgOffline offline;
    offline.result = std::move(sent.established);
    offline.our_keys.emplace(std::move(keys));
    offline.prekey_message_identifier = sent.message.prekey_message_identifier;
    offline.to_send.emplace(std::move(sent.message));
    in.ng_offline = std::make_unique<Input::NgOffline>(std::move(offline));
    return EstablishOffline(in);
  }
  if (in.ensemble == nullptr) return MakeError(ErrorCode::kBadState, "no Prekey Ensemble");
  const dake::OurLongTermKeys ours{&config_.identity->long_term, &config_.identity->client_profile,
                                   config_.our_tag};
  OTR_ASSIGN_OR_RETURN(dake::OurDakeKeys keys,
                       dake::GenerateOurDakeKeys(*config_.backend, in.random));
  OTR_ASSIGN_OR_RETURN(
      dake::NonInteractiveAuthSent sent,
      dake::MakeNonInteractiveAuth(*config_.backend, ours, *in.ensemble, std::move(keys),
                                   fields_->phi_prime, in.random));
  in.non_interactive_auth_to_send.emplace(std::move(sent.message));
  in.judged.emplace<dake::XzdhResult>(std::move(sent.result));
  return EstablishOffline(in);
}

// "Initialize the double ratcheting, as defined in the Non-Interactive DAKE
// Overview": the new conversation is staged; the row's commit replaces any
// old one.
Status Conversation::EstablishOffline(Input& in) {
  if (in.ng_offline) return NgEstablishOffline(in);
  dake::XzdhResult* xzdh = in.Judged<dake::XzdhResult>();
  if (xzdh == nullptr) return MakeError(ErrorCode::kBadState, "no non-interactive DAKE");
  dake::XzdhResult& result = *xzdh;
  OTR_ASSIGN_OR_RETURN(ratchet::Ratchet r,
                       dake::StartXzdhRatchet(*config_.backend, config_.ratchet_limits, result));
  // "Secure Session ID": the Non-Interactive-Auth's sender shows the first
  // half in bold, its receiver the second.
  const bool sent_non_interactive_auth = in.non_interactive_auth_to_send.has_value();
  in.new_established.emplace(Established{std::move(r), std::nullopt, 0, result.ssid,
                                         sent_non_interactive_auth, result.their_fingerprint,
                                         result.their_client_profile,
                                         smp::Ed448Group(*config_.backend, fields_->our_fingerprint,
                                                         result.their_fingerprint, result.ssid)});
  in.staged->dake.reset();
  return Status::Ok();
}

// "one-time use": the prekey message's y and b are erased (the row's
// last action that touches anything).
Status Conversation::ConsumePrekey(Input& in) {
  const dake::XzdhResult* xzdh = in.Judged<dake::XzdhResult>();
  if (xzdh != nullptr && config_.prekey_store != nullptr) {
    config_.prekey_store->ErasePrekey(xzdh->prekey_message_identifier, config_.our_tag);
  }
  if (in.ng_offline && !in.ng_offline->our_keys && config_.prekey_store != nullptr) {
    config_.prekey_store->ErasePrekey(in.ng_offline->prekey_message_identifier, config_.our_tag);
  }
  in.Forget<dake::XzdhResult>();
  in.ng_offline.reset();
  return Status::Ok();
}

// Bob under the libotr-ng profile (non_interactive_auth_message_received):
// libotr_ng::ValidateNonInteractiveAuth against our stored prekey values
// (the Prekey Message the identifier names, our Prekey Profile's d and D_b).
// Nothing is changed here (kConsumePrekey erases the prekey on commit).
bool Conversation::NgNonInteractiveAuthValid(Input& in) {
  const NonInteractiveAuth& carried = *in.non_interactive_auth;
  auto m = libotr_ng::ToLibotrNg(carried);
  if (!m.ok()) {
    in.xzdh_error = dake::DakeError{dake::DakeCheck::kClientProfile, m.code(), std::nullopt};
    return false;
  }
  const int64_t now = static_cast<int64_t>(in.now);
  const OurPrekeyProfile* prekey_profile =
      config_.prekey_store ? config_.prekey_store->FindPrekeyProfile(config_.our_tag, now)
                           : nullptr;
  std::optional<Ed448KeyPair> shared_prekey;
  libotr_ng::OurPrekey prekey;
  prekey.identifier = m->prekey_message_identifier;
  if (prekey_profile != nullptr) {
    auto d = config_.backend->Ed448Decode(prekey_profile->profile.shared_prekey);
    if (d.ok()) {
      shared_prekey.emplace(
          Ed448KeyPair{crypto::SecretBytes(), prekey_profile->shared_prekey_secret, *d});
      prekey.shared_prekey = &*shared_prekey;
    }
    if (const dake::PrekeySecrets* secrets =
            config_.prekey_store->FindPrekey(m->prekey_message_identifier, config_.our_tag, now)) {
      prekey.ecdh = &secrets->ecdh;
      prekey.dh = &secrets->dh;
    }
  }
  auto checked = libotr_ng::ValidateNonInteractiveAuth(*config_.backend, *m, NgOurSide(), prekey,
                                                       NgTheirIdentifier(), now);
  if (!checked.ok()) {
    in.xzdh_error = checked.error();
    return false;
  }
  Input::NgOffline offline;
  offline.result = std::move(checked).value();
  offline.their_x = m->x;
  offline.their_a = m->a;
  offline.prekey_message_identifier = m->prekey_message_identifier;
  in.ng_offline = std::make_unique<Input::NgOffline>(std::move(offline));
  return true;
}

// libotr-ng's double ratchet after its non-interactive DAKE (#16, #28): the
// sender of the Non-Interactive-Auth keeps x, a as its own and holds the
// pair derived from K as the peer's (Ratchet::StartAuthRSender); the
// receiver holds the pair derived from K as its own and X, A as the
// peer's (Ratchet::StartAuthISender).
Status Conversation::NgEstablishOffline(Input& in) {
  Input::NgOffline& offline = *in.ng_offline;
  const size_t max_skip = config_.ratchet_limits.max_skip;
  const bool sent = offline.our_keys.has_value();
  Result<libotr_ng::Ratchet> r =
      sent ? libotr_ng::Ratchet::StartAuthRSender(*config_.backend, offline.result.shared_secret,
                                                  offline.our_keys->ecdh, offline.our_keys->dh,
                                                  max_skip)
           : libotr_ng::Ratchet::StartAuthISender(*config_.backend, offline.result.shared_secret,
                                                  offline.their_x, offline.their_a, max_skip);
  if (!r.ok()) return r.error();
  const libotr_ng::TheirSide& their = offline.result.their;
  const Fingerprint fingerprint = libotr_ng::ComputeFingerprint(
      *config_.backend, their.client_profile.public_key, their.client_profile.forging_key);
  // "Secure Session ID": the Non-Interactive-Auth's sender shows the first
  // half in bold, its receiver the second.
  in.new_established.emplace(
      Established{std::nullopt, std::move(r).value(), in.now, offline.result.ssid, sent,
                  fingerprint, their.client_profile,
                  smp::Ed448Group(*config_.backend, fields_->our_fingerprint, fingerprint,
                                  offline.result.ssid, smp::Convention::kLibotrNg)});
  in.staged->dake.reset();
  return Status::Ok();
}

// --- The libotr-ng variant (issue 20, decision 0025) ---------------------------

// SMP TLVs: libotr-ng's bodies have 56-byte scalars (libotr_ng/smp_body.h);
// the group (smp::Convention::kLibotrNg) works on the spec's bodies.
Result<TlvRecord> Conversation::SmpRecordOfVariant(const otr::smp::Message& m) const {
  OTR_ASSIGN_OR_RETURN(TlvRecord record, SmpRecord(m));
  if (IsLibotrNg(config_)) {
    OTR_ASSIGN_OR_RETURN(record.value, libotr_ng::SmpBodyToLibotrNg(record.type, record.value));
  }
  return record;
}

std::optional<otr::smp::Message> Conversation::SmpMessageOfVariant(const TlvRecord& record) const {
  if (!IsLibotrNg(config_)) return SmpMessageOf(record);
  auto body = libotr_ng::SmpBodyFromLibotrNg(record.type, record.value);
  if (!body.ok()) return SmpMessageOf(TlvRecord{record.type, {}});  // fails as malformed
  return SmpMessageOf(TlvRecord{record.type, std::move(body).value()});
}
//
// The same rows as the spec's; these guards and actions call the profile's
// DAKE and ratchet (protocol/v4/libotr_ng) on the messages the carrier
// (carrier.h) holds in the engine's structs.

// "Validate the Identity message" (libotr-ng's profile bytes, #1); with
// kOurs its receiver tag must be ours. Its B, or nullptr.
const Mpi* Conversation::NgIdentityValid(dake::ReceiverTagRule rule, Input& in) {
  auto* checks = in.Judged<Input::NgIdentityChecks>();
  if (checks == nullptr) checks = &in.judged.emplace<Input::NgIdentityChecks>();
  auto& cached = (*checks)[rule];
  if (!cached) {
    cached.emplace();
    const bool from_them =
        their_tag_ == wire::kNoInstanceTag || in.identity->header.sender_instance_tag == their_tag_;
    const bool receiver_ok = rule == dake::ReceiverTagRule::kZeroOrOurs ||
                             in.identity->header.receiver_instance_tag == config_.our_tag;
    auto m = libotr_ng::ToLibotrNg(*in.identity);
    if (from_them && receiver_ok && m.ok()) {
      auto checked = libotr_ng::ValidateIdentity(*config_.backend, *m, config_.our_tag,
                                                 static_cast<int64_t>(in.now));
      if (checked.ok()) cached->emplace(std::move(checked).value());
    }
  }
  in.ng_their_identity = cached->has_value() ? &**cached : nullptr;
  return in.ng_their_identity != nullptr ? &in.ng_their_identity->dh : nullptr;
}

// Auth-R (sigma last, 56-byte scalars: #2, #3) checked and the Auth-I made
// (kSendAuthI sends it).
bool Conversation::NgAuthRValid(Input& in) {
  const Staged& staged = fields_->staged;
  auto m = libotr_ng::ToLibotrNg(*in.auth_r);
  if (!m.ok()) return false;
  auto checked = libotr_ng::ValidateAuthRAndMakeAuthI(*config_.backend, *m, NgOurSide(),
                                                      *staged.dake->our_keys, NgTheirIdentifier(),
                                                      static_cast<int64_t>(in.now), in.random);
  if (!checked.ok()) return false;
  Input::NgDake dake{std::move(checked->established), std::nullopt, m->x_first, m->a_first};
  dake.auth_i.emplace(std::move(checked).value());
  in.ng_dake = std::make_unique<Input::NgDake>(std::move(dake));
  return true;
}

bool Conversation::NgAuthIValid(Input& in) {
  const Staged& staged = fields_->staged;
  if (staged.dake->ng_auth_r == nullptr) return false;
  auto checked = libotr_ng::ValidateAuthI(*config_.backend, libotr_ng::ToLibotrNg(*in.auth_i),
                                          NgOurSide(), staged.dake->ng_auth_r->sent);
  if (!checked.ok()) return false;
  in.ng_dake = std::make_unique<Input::NgDake>(
      Input::NgDake{std::move(checked).value(), std::nullopt, {}, {}});
  return true;
}

// "Receiving a Data Message": opened on a copy of libotr-ng's ratchet
// (nothing changes unless its MAC verifies); kDeliverData commits the copy.
bool Conversation::NgDataReadable(Input& in) {
  auto m = libotr_ng::ToLibotrNg(*in.data);
  if (!m.ok()) return false;
  libotr_ng::Ratchet copy = *fields_->established->ng_ratchet;
  auto opened = copy.Receive(*config_.backend, *m);
  if (!opened.ok()) return false;
  in.ng_received = std::make_unique<std::pair<libotr_ng::Ratchet, libotr_ng::Opened>>(
      std::move(copy), std::move(opened).value());
  return true;
}

// "Sending an Auth-R Message" the libotr-ng way (#1-#3, #11, #15).
Status Conversation::NgSendAuthR(Input& in) {
  if (in.ng_their_identity == nullptr || in.identity == nullptr) {
    return MakeError(ErrorCode::kBadState, "no valid Identity");
  }
  OTR_ASSIGN_OR_RETURN(dake::OurDakeKeys keys,
                       dake::GenerateOurDakeKeys(*config_.backend, in.random));
  OTR_ASSIGN_OR_RETURN(libotr_ng::AuthRSent sent,
                       libotr_ng::MakeAuthR(*config_.backend, NgOurSide(), *in.ng_their_identity,
                                            NgTheirIdentifier(), keys, in.random));
  OTR_ASSIGN_OR_RETURN(v4::AuthR carried, libotr_ng::FromLibotrNg(sent.message));
  Message message{std::move(carried)};
  DakeInProgress dake;
  dake.keys_made_at = in.now;
  dake.answered_identity = EncodeIdentityMessage(*in.identity);
  OTR_ASSIGN_OR_RETURN(dake.auth_r, EncodeOwn(message));
  dake.ng_auth_r = std::make_shared<const DakeInProgress::NgAuthR>(
      DakeInProgress::NgAuthR{std::move(sent), std::move(keys)});
  in.staged->dake = std::make_shared<DakeInProgress>(std::move(dake));
  return SendBytes(in.staged->dake->auth_r, in.random, in.row_out);
}

// libotr-ng's double ratchet from K (#16): the Auth-I sender holds the pair
// derived from K, the Auth-R sender its Auth-R's first keys. The Auth-R
// sender then sends an empty Data Message at once, as libotr-ng does
// (otrng.c, receive_auth_i): libotr-ng's Auth-I sender waits for one
// (WAITING_DAKE_DATA_MESSAGE) before it sends anything.
Status Conversation::NgEstablish(Input& in) {
  Input::NgDake& dake = *in.ng_dake;
  const size_t max_skip = config_.ratchet_limits.max_skip;
  Result<libotr_ng::Ratchet> r =
      dake.auth_i
          ? libotr_ng::Ratchet::StartAuthISender(*config_.backend, dake.result.shared_secret,
                                                 dake.their_ecdh_first, dake.their_dh_first,
                                                 max_skip)
          : (in.staged->dake && in.staged->dake->ng_auth_r
                 ? libotr_ng::Ratchet::StartAuthRSender(*config_.backend, dake.result.shared_secret,
                                                        in.staged->dake->ng_auth_r->keys.ecdh_first,
                                                        in.staged->dake->ng_auth_r->keys.dh_first,
                                                        max_skip)
                 : Result<libotr_ng::Ratchet>(MakeError(ErrorCode::kBadState, "no Auth-R keys")));
  if (!r.ok()) return r.error();
  const libotr_ng::TheirSide& their = dake.result.their;
  const Fingerprint fingerprint = libotr_ng::ComputeFingerprint(
      *config_.backend, their.client_profile.public_key, their.client_profile.forging_key);
  const bool sent_auth_r = !dake.auth_i.has_value();
  Established e{std::nullopt,
                std::move(r).value(),
                in.now,
                dake.result.ssid,
                sent_auth_r,
                fingerprint,
                their.client_profile,
                smp::Ed448Group(*config_.backend, fields_->our_fingerprint, fingerprint,
                                dake.result.ssid, smp::Convention::kLibotrNg)};
  if (sent_auth_r) {
    OTR_RETURN_IF_ERROR(
        StatusOf(SendData(e, {}, {}, kFlagIgnoreUnreadable, in.random, in.now, in.row_out)));
  }
  in.new_established.emplace(std::move(e));
  in.ng_dake.reset();
  in.staged->dake.reset();
  return Status::Ok();
}

// --- SMP ------------------------------------------------------------------------

void Conversation::RunSmp(SmpEvent event, const otr::smp::Input& smp_in, Input& in) {
  Established* e = fields_->established ? &*fields_->established : nullptr;
  const otr::smp::Group& group =
      e != nullptr ? static_cast<const otr::smp::Group&>(e->smp_group) : *fields_->idle_group;
  auto step = fields_->smp.Prepare(event, smp_in, group, in.random);
  if (!step.ok()) {
    in.out.events.push_back(
        Event(events::ActionFailed{FailureText("SMP", step.error())}, their_tag_));
    return;
  }
  Output sent;
  if (!step->to_send.empty()) {
    // Each SMP message in its own Data Message ("SMP TLVs ... IGNORE_UNREADABLE").
    // All are sent, or none: with more than one, the ratchet is restored if
    // a later one fails.
    Status status =
        e != nullptr ? Status::Ok() : MakeError(ErrorCode::kBadState, "no conversation");
    std::optional<ratchet::Ratchet> snapshot;
    std::optional<libotr_ng::Ratchet> ng_snapshot;
    if (status.ok() && step->to_send.size() > 1) {
      snapshot = e->ratchet;
      ng_snapshot = e->ng_ratchet;
    }
    for (const otr::smp::Message& m : step->to_send) {
      if (!status.ok()) break;
      auto tlv = SmpRecordOfVariant(m);
      status =
          tlv.ok()
              ? StatusOf(SendData(*e, {}, {*tlv}, kFlagIgnoreUnreadable, in.random, in.now, sent))
              : Status(tlv.error());
    }
    if (!status.ok()) {
      if (snapshot) e->ratchet = std::move(*snapshot);
      if (ng_snapshot) e->ng_ratchet = std::move(*ng_snapshot);
      in.out.events.push_back(
          Event(events::ActionFailed{FailureText("SMP", status.error())}, their_tag_));
      return;
    }
    fields_->staged.last_sent = in.now;
  }
  for (Event& ev : step->events) {
    ev.instance = their_tag_;
    sent.events.push_back(std::move(ev));
  }
  step->events.clear();
  fields_->smp.Commit(std::move(step).value(), this);
  Append(in.out, std::move(sent));
}

// --- Output -------------------------------------------------------------------

template <typename T>
void Conversation::Emit(Input& in, T event) {
  in.row_out.events.push_back(Event(std::move(event), their_tag_));
}

// "Transmitting Fragments": above max_message_size, v4 fragments with a
// random identifier.
Status Conversation::SendEncoded(const Message& m, crypto::Random& random, Output& out) {
  OTR_ASSIGN_OR_RETURN(const Bytes bytes, EncodeOwn(m));
  return SendBytes(bytes, random, out);
}

Status Conversation::SendBytes(const Bytes& bytes, crypto::Random& random, Output& out) {
  std::string armored = wire::EncodeArmor(bytes);
  if (config_.max_message_size != 0 && armored.size() > config_.max_message_size) {
    auto fragments = wire::FragmentMessageV4(armored, config_.max_message_size, random,
                                             config_.our_tag, their_tag_);
    if (fragments.ok()) {
      for (std::string& f : *fragments) out.to_send.push_back(std::move(f));
      return Status::Ok();
    }
  }
  out.to_send.push_back(std::move(armored));
  return Status::Ok();
}

Result<ratchet::ExtraKeySource> Conversation::SendData(Established& e, ByteView message,
                                                       const std::vector<TlvRecord>& tlvs,
                                                       uint8_t flags, crypto::Random& random,
                                                       uint64_t now, Output& out) {
  // libotr-ng always ends the text with its NUL (protocol.c,
  // otrng_prepare_to_send_data_message), TLVs or not.
  const bool ng = e.ng_ratchet.has_value();
  // Encoded from the caller's plaintext: no copy of it is left unwiped.
  OTR_ASSIGN_OR_RETURN(Bytes payload, EncodeDataPayload(message, ng || !tlvs.empty(), tlvs));
  if (ng) {
    crypto::SecretBytes extra;
    auto sent = e.ng_ratchet->Send(*config_.backend, payload, flags, config_.our_tag, their_tag_,
                                   random, &extra);
    crypto::SecureWipe(payload.data(), payload.size());
    if (!sent.ok()) return sent.error();
    e.ng_expiry_timer_start = now;
    OTR_RETURN_IF_ERROR(SendEncoded(Message{libotr_ng::FromLibotrNg(*sent)}, random, out));
    return ratchet::ExtraKeySource::OfKey(std::move(extra));
  }
  const Header header{config_.our_tag, their_tag_};
  auto sent = e.ratchet->Send(now, header, flags, payload, random);
  crypto::SecureWipe(payload.data(), payload.size());
  if (!sent.ok()) return sent.error();
  // The ratchet encoded the message to compute its Authenticator: in the
  // spec's variant, those bytes are sent.
  if (IsLibotrNg(config_)) {
    OTR_RETURN_IF_ERROR(SendEncoded(Message{std::move(sent->message)}, random, out));
  } else {
    OTR_RETURN_IF_ERROR(SendBytes(sent->encoded, random, out));
  }
  return std::move(sent->extra_symm_key);
}

}  // namespace otr::v4
