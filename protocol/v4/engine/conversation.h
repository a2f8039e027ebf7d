// One OTRv4 interactive conversation with one instance of the peer
// (otrv4.md, "The Protocol State Machine"): the protocol state machine
// (protocol/v4/state/conversation_table.h, mode-dependent rows), the DAKEZ
// (protocol/v4/dake), the double ratchet (protocol/v4/ratchet) and SMP (the
// version-neutral protocol/smp over v4's Ed448Group). Every state change is
// a row of the table; the handlers below only classify inputs into table
// events, evaluate guards and perform actions.
//
// Rows are atomic (docs/decisions/0005): actions run against staged copies
// of what they change, and a failed action aborts its row with no state
// change and no partial output, reported as events::ActionFailed.
//
// A valid Identity message while ENCRYPTED_MESSAGES does not end the
// conversation: the new DAKE runs beside it and the keys switch only when it
// completes (docs/decisions/0010-v4-replayed-identity.md).
//
// Sans-I/O: inputs in, Output out; randomness and the time (seconds) are
// inputs. The session classifies transport text (query, tag, error, v4
// message) and routes v3 messages to the v3 engine; this engine sees only
// what concerns v4.
#ifndef OTR_PROTOCOL_V4_ENGINE_CONVERSATION_H_
#define OTR_PROTOCOL_V4_ENGINE_CONVERSATION_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/api/output.h"
#include "protocol/api/policy.h"
#include "protocol/smp/executor.h"
#include "protocol/store/fingerprint.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/dake/xzdh.h"
#include "protocol/v4/engine/identity.h"
#include "protocol/v4/engine/prekey_store.h"
#include "protocol/v4/libotr_ng/dake.h"
#include "protocol/v4/libotr_ng/non_interactive.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/messages/tlv.h"
#include "protocol/v4/ratchet/limits.h"
#include "protocol/v4/ratchet/ratchet.h"
#include "protocol/v4/state/conversation_table.h"
#include "protocol/wire/error_message.h"
#include "protocol/wire/instance_tag.h"
#include "protocol/wire/query.h"
#include "protocol/wire/whitespace_tag.h"

namespace otr::v4 {

struct ConversationConfig {
  const crypto::Backend* backend = nullptr;
  // Our long-term key H, forging key F and Client Profile; must outlive the
  // conversation.
  const Identity* identity = nullptr;
  Policy policy;  // allow_v4 and v4_mode are what this engine reads
  wire::InstanceTag our_tag = wire::kNoInstanceTag;
  size_t max_message_size = 0;  // fragment transport messages above this; 0: never
  // "If you have not sent a message to this correspondent in some
  // (configurable) time, send a "heartbeat" message".
  uint64_t heartbeat_seconds = 60;
  // "If there is a recent stored message": how recent (retransmission).
  uint64_t stored_message_seconds = 60;
  // max_skip, the stored-key bound and lifetime ("Deletion of Stored
  // Message Keys"), the MAC keys to reveal.
  ratchet::Limits ratchet_limits;
  // "Session Expiration": "the session expiration time is recommended to
  // be 2 hours long"; 0 disables expiry.
  uint64_t session_expiry_seconds = 2 * 60 * 60;
  // phi' of "Shared Session State": the higher-level context both sides
  // bind the DAKE to (e.g. both bare JIDs); sorted and encoded by the DAKE.
  std::vector<std::string> phi_context;
  // "Receiving a Data Message": a Data Message of the peer's first DH
  // ratchet that arrives before its Auth-I is stored "for a configurable,
  // short amount of time ... (10-60 minutes is recommended)", at most this
  // many messages and bytes (the oldest goes first), and read when the
  // Auth-I completes the DAKE (docs/decisions/0014-v4-early-data-messages.md).
  uint64_t early_data_seconds = 15 * 60;
  size_t max_early_data_messages = 16;
  size_t max_early_data_bytes = 64 * 1024;

  // Offline conversations (issue 18): our Prekey Profiles and the secrets of
  // our published Prekey Messages, which a Non-Interactive-Auth message uses
  // (and the engine erases). Without it a Non-Interactive-Auth is refused.
  // Must outlive the conversation.
  PrekeyStore* prekey_store = nullptr;
};

// A message the user typed that waits for ENCRYPTED_MESSAGES ("Sending a
// Data Message": "Queue the message for encrypting and sending it when the
// participant transitions to the ENCRYPTED_MESSAGES state").
struct HeldMessage {
  crypto::SecretBytes text;
  uint64_t at = 0;  // when it was typed
};

// One TLV 7 to send: its 4-byte use (the context of its key) and data.
struct ExtraKeyUse {
  uint32_t use = 0;
  Bytes use_data;
};

struct DakeInProgress;  // our side of a DAKE not yet complete (conversation.cc)
struct Established;     // what a completed DAKE gave: ratchet, SSID, peer
struct QueuedSmp;       // an SMP event a row queued, run after the row commits

class Conversation {
 public:
  Conversation(const ConversationConfig& config, wire::InstanceTag their_tag);
  ~Conversation();
  Conversation(Conversation&&) noexcept;
  // A deep copy (secrets included): the model explorer copies whole
  // Sessions to branch its worlds (model/explorer), as v3::Conversation is
  // copied.
  Conversation(const Conversation& other);
  Conversation& operator=(Conversation&&) noexcept;
  Conversation& operator=(const Conversation& other);

  // Inbound, already classified by the session. `now`: seconds.
  void ReceivePlaintext(std::string_view text, Output& out, crypto::Random& random, uint64_t now);
  void ReceiveTagged(const wire::TaggedPlaintext& m, Output& out, crypto::Random& random,
                     uint64_t now);
  void ReceiveQuery(const wire::QueryMessage& m, Output& out, crypto::Random& random, uint64_t now);
  void ReceiveError(const wire::ErrorMessage& m, Output& out, crypto::Random& random, uint64_t now);
  // `encoded`: the bytes `m` was decoded from, if the caller has them; a
  // Data Message's Authenticator is then checked over them (as sent).
  void ReceiveMessage(const Message& m, Output& out, crypto::Random& random, uint64_t now,
                      ByteView encoded = ByteView());

  // User actions. Start sends a Query Message in the v3-compatible mode and
  // an Identity message in the v4-only modes ("Starting a conversation
  // interactively").
  void Start(Output& out, crypto::Random& random, uint64_t now);
  // Starts the DAKE directly with an Identity message, in any mode.
  void StartInteractive(Output& out, crypto::Random& random, uint64_t now);
  // "Sending a Data Message to an offline participant": a Non-Interactive-Auth
  // message from `ensemble` (validated: dake::ValidateEnsemble; its owner is
  // this conversation's peer instance), the double ratchet initialized, and
  // ENCRYPTED_MESSAGES. From ENCRYPTED_MESSAGES a TLV 1 goes first
  // ("Starting an offline conversation after an online one").
  void StartOffline(const dake::TheirPrekeyEnsemble& ensemble, Output& out, crypto::Random& random,
                    uint64_t now);
  // The same user action under the `libotr-ng` profile (Policy::v4_variant):
  // `ensemble` is libotr-ng's, validated in its bytes by the caller
  // (Session); the same rows send libotr-ng's Non-Interactive-Auth
  // (libotr_ng::MakeNonInteractiveAuth), then a first Data Message, which
  // libotr-ng's receiver waits for (OTRNG_STATE_WAITING_DAKE_DATA_MESSAGE).
  // Without the profile the action fails (kBadState), as StartOffline does
  // under the profile.
  void StartOfflineLibotrNg(const libotr_ng::TheirEnsemble& ensemble, Output& out,
                            crypto::Random& random, uint64_t now);
  void End(Output& out, crypto::Random& random, uint64_t now);
  // The user ended another conversation of the session (Session::EndOtr): a
  // DAKE in flight here is forgotten; an established conversation, or a
  // FINISHED one, stays as it is (decision 0050).
  void EndElsewhere(Output& out, crypto::Random& random, uint64_t now);
  // The session puts this new conversation (START) in place of a v2/v3
  // conversation the peer ended (MSGSTATE_FINISHED) because the peer now
  // offers v4: FINISHED carries over, so the user's messages are still not
  // sent, and the offer is handled by FINISHED's row (decision 0045). A
  // conversation already under way ignores it (its own row).
  void TakeOverFinished(Output& out, crypto::Random& random, uint64_t now);
  void Send(std::string_view text, Output& out, crypto::Random& random, uint64_t now);
  void StartSmp(std::string_view secret, std::optional<std::string_view> question, Output& out,
                crypto::Random& random, uint64_t now);
  void RespondSmp(std::string_view secret, Output& out, crypto::Random& random, uint64_t now);
  void AbortSmp(Output& out, crypto::Random& random, uint64_t now);
  // Sends TLV 7 (Extra Symmetric Key) and reports the key of that message
  // (kBadState unless ENCRYPTED_MESSAGES).
  Status UseExtraSymmetricKey(uint32_t use, ByteView use_data, Output& out, crypto::Random& random,
                              uint64_t now);
  // Sends one Data Message with a TLV 7 per use, in order, and reports each
  // key with its use and TLV index: the first gets the message's extra
  // symmetric key, each further one the next chained key ("Extra Symmetric
  // Key"). kTooLarge beyond ratchet::kMaxExtraSymmetricKeys or an empty list.
  Status UseExtraSymmetricKeys(const std::vector<ExtraKeyUse>& uses, Output& out,
                               crypto::Random& random, uint64_t now);

  // Time as input: session expiration (Disconnected TLV with the old MAC
  // keys), deletion of stored message keys, heartbeats, the held message.
  void HandleTimeout(Output& out, crypto::Random& random, uint64_t now);
  std::optional<uint64_t> NextTimeout() const;

  ProtocolState state() const { return state_; }
  // ENCRYPTED_MESSAGES, with or without a new DAKE in progress beside it.
  bool encrypted() const;
  otr::smp::SmpState smp_state() const;
  bool smp_awaiting_secret() const;
  wire::InstanceTag their_tag() const { return their_tag_; }
  // The session moved this conversation, the master's (their tag 0), to the
  // peer instance whose Auth-R answered its Identity message ("Remember the
  // sender's instance tag to use as the receiver's instance tag for future
  // messages"): messages now go to `tag`. A conversation that has a peer
  // tag keeps it.
  void AdoptPeerInstance(wire::InstanceTag tag) {
    if (their_tag_ == wire::kNoInstanceTag) their_tag_ = tag;
  }
  std::optional<HeldMessage> TakeHeldMessage();
  // The peer's fingerprint (56 bytes; libotr-ng's form under its profile)
  // once a DAKE completed. ToPeerFingerprint makes it a trust record's.
  std::optional<Fingerprint> their_fingerprint() const;
  // The SSID of the established conversation (all zero before).
  std::array<uint8_t, 8> ssid() const;
  // "Secure Session ID": the half shown in bold is the first one (we sent
  // the Auth-R), or the second (we sent the Auth-I).
  bool ssid_first_half_bold() const;
  // For tests: the ratchet of the established conversation, or nullptr.
  const ratchet::Ratchet* ratchet() const;

 private:
  struct Input;
  struct Fields;
  void Run(ProtocolEvent event, Input& in);
  bool Holds(ProtocolGuard guard, Input& in);
  Status Perform(ProtocolAction action, Input& in);
  Status SendIdentity(Input& in);
  Status SendAuthR(Input& in);
  Status StoreEarlyData(Input& in);
  Status Establish(Input& in);
  Status DeliverData(Input& in);
  Status ExpireSession(Input& in);
  // The non-interactive DAKE (issue 18).
  bool NonInteractiveAuthValid(Input& in);
  bool NgNonInteractiveAuthValid(Input& in);
  Status StartOfflineDake(Input& in);
  Status EstablishOffline(Input& in);
  Status NgEstablishOffline(Input& in);
  Status ConsumePrekey(Input& in);
  void RunSmp(otr::smp::SmpEvent event, const otr::smp::Input& smp_in, Input& in);
  // Encrypts `message` and `tlvs` with the established ratchet (or the one
  // the row is establishing; the spec's or libotr-ng's) into `out`; the extra symmetric key of the
  // message (derived if asked for), for TLV 7.
  Result<ratchet::ExtraKeySource> SendData(Established& e, ByteView message,
                                           const std::vector<TlvRecord>& tlvs, uint8_t flags,
                                           crypto::Random& random, uint64_t now, Output& out);
  // The message in our variant's bytes (Policy::v4_variant), armoured and
  // fragmented into `out`.
  Status SendEncoded(const Message& m, crypto::Random& random, Output& out);
  Status SendBytes(const Bytes& bytes, crypto::Random& random, Output& out);
  Result<Bytes> EncodeOwn(const Message& m) const;
  Result<Message> DecodeOwn(ByteView bytes) const;
  // The libotr-ng variant's guards and actions (decision 0025).
  libotr_ng::OurSide NgOurSide() const;
  std::string_view NgTheirIdentifier() const;
  const Mpi* NgIdentityValid(dake::ReceiverTagRule rule, Input& in);
  bool NgAuthRValid(Input& in);
  bool NgAuthIValid(Input& in);
  bool NgDataReadable(Input& in);
  Status NgSendAuthR(Input& in);
  Status NgEstablish(Input& in);
  Result<TlvRecord> SmpRecordOfVariant(const otr::smp::Message& m) const;
  std::optional<otr::smp::Message> SmpMessageOfVariant(const TlvRecord& record) const;
  template <typename T>
  void Emit(Input& in, T event);

  ConversationConfig config_;
  wire::InstanceTag their_tag_;
  ProtocolState state_ = ProtocolState::kStart;
  std::unique_ptr<Fields> fields_;
};

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_ENGINE_CONVERSATION_H_
