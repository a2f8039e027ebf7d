// One OTR v2/v3 conversation with one instance of the peer: the message state
// machine (message_table.h), the AKE (ake.h, auth_table.h) and SMP
// (smp_table.h). Every state change is a row of one of those tables; the
// handlers below only classify inputs into table events, evaluate guards and
// perform actions. Sans-I/O: inputs in, Output (transport strings, display
// text, events) out; randomness and time are injected.
#ifndef OTR_PROTOCOL_V3_ENGINE_CONVERSATION_H_
#define OTR_PROTOCOL_V3_ENGINE_CONVERSATION_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/backend.h"
#include "crypto/random.h"
#include "protocol/api/output.h"
#include "protocol/api/policy.h"
#include "protocol/store/fingerprint.h"
#include "protocol/v3/ake/ake.h"
#include "protocol/v3/keys/key_state.h"
#include "protocol/v3/messages.h"
#include "protocol/v3/smp/smp_math.h"
#include "protocol/v3/state/message_table.h"
#include "protocol/v3/state/smp_table.h"
#include "protocol/v3/tlv.h"
#include "protocol/wire/error_message.h"
#include "protocol/wire/query.h"
#include "protocol/wire/whitespace_tag.h"

namespace otr::v3 {

struct ConversationConfig {
  const crypto::Backend* backend = nullptr;
  const crypto::DsaPrivateKey* our_key = nullptr;
  Policy policy;
  wire::InstanceTag our_tag = wire::kNoInstanceTag;
  size_t max_message_size = 0;  // fragment transport messages above this; 0: never
  // "If you have not sent a message to this correspondent in some
  // (configurable) time, send a heartbeat message"
  uint64_t heartbeat_seconds = 60;
  // "If there is a recent stored message": how recent.
  uint64_t stored_message_seconds = 60;
};

class Conversation {
 public:
  Conversation(const ConversationConfig& config, wire::InstanceTag their_tag);

  // Inbound, already classified by the session.
  void ReceivePlaintext(std::string_view text, Output& out, crypto::Random& random, Clock& clock);
  void ReceiveTagged(const wire::TaggedPlaintext& m, Output& out, crypto::Random& random,
                     Clock& clock);
  void ReceiveQuery(const wire::QueryMessage& m, Output& out, crypto::Random& random, Clock& clock);
  void ReceiveError(const wire::ErrorMessage& m, Output& out, crypto::Random& random, Clock& clock);
  void ReceiveMessage(const Message& m, Output& out, crypto::Random& random, Clock& clock);

  // User actions.
  void Start(Output& out, crypto::Random& random, Clock& clock);
  void End(Output& out, crypto::Random& random, Clock& clock);
  void Send(std::string_view text, Output& out, crypto::Random& random, Clock& clock);
  void StartSmp(std::string_view secret, std::optional<std::string_view> question, Output& out,
                crypto::Random& random, Clock& clock);
  void RespondSmp(std::string_view secret, Output& out, crypto::Random& random, Clock& clock);
  void AbortSmp(Output& out, crypto::Random& random, Clock& clock);
  // Sends TLV 8 and reports the extra symmetric key (kBadState unless ENCRYPTED).
  Status UseExtraSymmetricKey(uint32_t use, ByteView use_data, Output& out, crypto::Random& random,
                              Clock& clock);

  MessageState message_state() const { return message_state_; }
  AuthState auth_state() const { return ake_.state(); }
  SmpState smp_state() const { return smp_state_; }
  wire::InstanceTag their_tag() const { return their_tag_; }
  // A D-H Key from this instance answers a D-H Commit that `master` sent to
  // every instance: take over that exchange (libotr does the same).
  void AdoptAkeFrom(const Conversation& master) { ake_.AdoptExchange(master.ake_); }
  // The master's exchange was completed by an instance: forget it.
  void AbandonAke(crypto::Random& random) { ake_.Abandon(random); }
  // Binds a conversation started before the peer's instance was known.
  void set_their_tag(wire::InstanceTag tag) { their_tag_ = tag; }
  Version version() const { return version_; }
  const std::optional<store::Fingerprint>& their_fingerprint() const { return their_fingerprint_; }
  const std::array<uint8_t, 8>& ssid() const { return ssid_; }
  bool we_sent_reveal_signature() const { return we_sent_reveal_; }
  const KeyState* keys() const { return keys_ ? &*keys_ : nullptr; }

 private:
  struct Input;     // what the current message-table event carries
  struct SmpInput;  // what the current SMP-table event carries

  void RunMessage(MessageEvent event, Input& in);
  bool Holds(MessageGuard guard, Input& in);
  void Perform(MessageAction action, Input& in);

  void RunSmp(SmpEvent event, SmpInput& in);
  bool Holds(SmpGuard guard, SmpInput& in);
  void Perform(SmpAction action, SmpInput& in);

  void RunAke(const Result<AkeOutput>& result, Input& in);
  void DeliverTlvs(const DataPayload& payload, const OpenedData& opened, Input& in);

  // Outbound helpers.
  void SendTransport(std::string text, Input& in);
  void SendEncoded(const Message& m, Input& in);
  void SendData(ByteView message, const std::vector<TlvRecord>& tlvs, uint8_t flags, Input& in);
  void SendTlv(const Result<TlvRecord>& tlv, Input& in);
  Header OutHeader() const;
  wire::VersionSet AllowedVersions() const;
  void Emit(Input& in, EventType type, std::string text = {});

  ConversationConfig config_;
  wire::InstanceTag their_tag_;
  store::Fingerprint our_fingerprint_;

  MessageState message_state_ = MessageState::kPlaintext;
  Ake ake_;
  std::optional<KeyState> keys_;
  Version version_ = Version::kV3;
  crypto::DsaPublicKey their_key_;
  std::optional<store::Fingerprint> their_fingerprint_;
  std::array<uint8_t, 8> ssid_{};
  bool we_sent_reveal_ = false;
  std::optional<AkeResult> pending_ake_;  // handed to kInstallSessionKeys

  bool plaintext_received_ = false;  // since last entering PLAINTEXT
  std::optional<std::string> stored_message_;
  bool may_retransmit_ = false;  // the stored message may be sent after an AKE
  uint64_t stored_at_ = 0;
  uint64_t last_sent_ = 0;

  SmpState smp_state_ = SmpState::kExpect1;
  smp::SmpMath smp_math_;
  std::optional<Smp1> smp_received1_;    // awaiting the user's secret
  bool smp_answering_question_ = false;  // the peer's SMP1 asked a question
  std::optional<smp::AliceAfter1> smp_alice1_;
  std::optional<smp::AliceAfter3> smp_alice3_;
  std::optional<smp::BobAfter2> smp_bob2_;
};

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_ENGINE_CONVERSATION_H_
