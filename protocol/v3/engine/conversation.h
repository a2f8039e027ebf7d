// One OTR v2/v3 conversation with one instance of the peer: the message state
// machine (message_table.h), the AKE (ake.h, auth_table.h) and SMP (the
// version-neutral protocol/smp, over the modp group). Every state change is a
// row of one of those tables; the handlers below only classify inputs into
// table events, evaluate guards and perform actions.
//
// Rows are atomic (docs/decisions/0005): actions return Status, run against
// staged copies of what they change, and a failed action aborts its row with
// no state change and no partial output, reported as kActionFailed.
// Sans-I/O: inputs in, Output out; randomness and the time are inputs.
#ifndef OTR_PROTOCOL_V3_ENGINE_CONVERSATION_H_
#define OTR_PROTOCOL_V3_ENGINE_CONVERSATION_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/box.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/api/output.h"
#include "protocol/api/policy.h"
#include "protocol/smp/executor.h"
#include "protocol/store/fingerprint.h"
#include "protocol/v3/ake/ake.h"
#include "protocol/v3/keys/key_state.h"
#include "protocol/v3/messages.h"
#include "protocol/v3/smp/modp_group.h"
#include "protocol/v3/state/message_table.h"
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

// A message the user typed that is waiting for an encrypted session
// (REQUIRE_ENCRYPTION): the session decides where it goes.
struct HeldMessage {
  crypto::SecretBytes text;
  uint64_t at = 0;  // when it was typed
};

struct QueuedSmp;  // an SMP event a row queued, run after the row commits

class Conversation {
 public:
  Conversation(const ConversationConfig& config, wire::InstanceTag their_tag);

  // Inbound, already classified by the session. `now` is the time in seconds.
  void ReceivePlaintext(std::string_view text, Output& out, crypto::Random& random, uint64_t now);
  void ReceiveTagged(const wire::TaggedPlaintext& m, Output& out, crypto::Random& random,
                     uint64_t now);
  void ReceiveQuery(const wire::QueryMessage& m, Output& out, crypto::Random& random, uint64_t now);
  void ReceiveError(const wire::ErrorMessage& m, Output& out, crypto::Random& random, uint64_t now);
  // `encoded`: the bytes `m` was decoded from, if the caller has them; a
  // Data Message's MAC is then checked over them (as sent).
  void ReceiveMessage(const Message& m, Output& out, crypto::Random& random, uint64_t now,
                      ByteView encoded = ByteView());

  // User actions.
  void Start(Output& out, crypto::Random& random, uint64_t now);
  void End(Output& out, crypto::Random& random, uint64_t now);
  void Send(std::string_view text, Output& out, crypto::Random& random, uint64_t now);
  void StartSmp(std::string_view secret, std::optional<std::string_view> question, Output& out,
                crypto::Random& random, uint64_t now);
  void RespondSmp(std::string_view secret, Output& out, crypto::Random& random, uint64_t now);
  void AbortSmp(Output& out, crypto::Random& random, uint64_t now);
  // Sends TLV 8 and reports the extra symmetric key (kBadState unless ENCRYPTED).
  Status UseExtraSymmetricKey(uint32_t use, ByteView use_data, Output& out, crypto::Random& random,
                              uint64_t now);

  MessageState message_state() const { return message_state_; }
  AuthState auth_state() const { return ake_.state(); }
  otr::smp::SmpState smp_state() const;
  // An SMP message 1 of the peer waits for the user's secret.
  bool smp_awaiting_secret() const { return smp_ && smp_->executor.awaiting_secret(); }
  wire::InstanceTag their_tag() const { return their_tag_; }
  // A D-H Key from this instance answers a D-H Commit that `master` sent to
  // every instance: copy that exchange (libotr's otrl_auth_copy_on_key).
  void AdoptAkeFrom(const Conversation& master) { ake_.AdoptExchange(master.ake_); }
  // The master's exchange was completed by an instance: forget it.
  void AbandonAke(crypto::Random& random) { ake_.Abandon(random); }
  // The message the user typed while REQUIRE_ENCRYPTION held it back, moved
  // out of this conversation (the session gives it to one conversation only).
  std::optional<HeldMessage> TakeHeldMessage();
  Version version() const { return fields_.version; }
  const std::optional<store::Fingerprint>& their_fingerprint() const {
    return fields_.their_fingerprint;
  }
  const std::array<uint8_t, 8>& ssid() const { return fields_.ssid; }
  bool we_sent_reveal_signature() const { return fields_.we_sent_reveal; }
  const KeyState* keys() const { return keys_.get(); }

 private:
  struct Input;  // what the current message-table event carries
  // What a row's actions may change besides the three machines: staged as a
  // whole, committed when the row succeeds.
  struct Fields {
    bool plaintext_received = false;  // since last entering PLAINTEXT
    // Sent encrypted; resent if the peer could not read it. Never changed
    // once stored, only replaced: shared, so that staging the Fields for a
    // row (RunMessage) copies a pointer, not the text.
    std::shared_ptr<const crypto::SecretBytes> stored;
    bool may_retransmit = false;
    uint64_t stored_at = 0;
    std::optional<HeldMessage> held;
    uint64_t last_sent = 0;
    Version version = Version::kV3;
    // Their long-term key is not kept: its fingerprint is what is shown,
    // checked for trust and bound into SMP.
    std::optional<store::Fingerprint> their_fingerprint;
    std::array<uint8_t, 8> ssid{};
    bool we_sent_reveal = false;
  };

  void RunMessage(MessageEvent event, Input& in);
  bool Holds(MessageGuard guard, Input& in);
  Status Perform(MessageAction action, Input& in);

  // Sends what the AKE produced to `out`; a completed AKE raises kAkeSucceeded.
  Status RunAke(const Result<AkeOutput>& result, Input& in, Output& out);
  Status DeliverData(Input& in);
  // Runs one SMP-table event: prepares the step, sends its messages (each in
  // its own Data Message) and commits; all or nothing.
  void RunSmp(otr::smp::SmpEvent event, const otr::smp::Input& smp_in, Input& in);
  void RunQueuedSmp(QueuedSmp& queued, Input& in);

  // Outbound helpers: append to `out` (a row's staged output).
  void SendTransport(std::string text, Output& out);
  void SendEncoded(const Message& m, Output& out);
  // `binary` is the encoding of a message with `header` (nullptr: v1).
  void SendBinary(ByteView binary, const Header* header, Output& out);
  Status SendData(KeyState& keys, ByteView message, const std::vector<TlvRecord>& tlvs,
                  uint8_t flags, crypto::Random& random, Output& out);
  Header OutHeader() const;
  wire::VersionSet AllowedVersions() const;
  template <typename T>
  void Emit(Input& in, T event);  // one of otr::events, for this instance

  ConversationConfig config_;
  wire::InstanceTag their_tag_;
  store::Fingerprint our_fingerprint_;

  // SMP's machine and group, made by the first SMP event (most sessions
  // never run SMP), the group bound to the session's fingerprints and ssid.
  struct Smp {
    explicit Smp(const crypto::Backend& backend) : group(backend) {}
    otr::smp::Executor executor;
    smp::ModpGroup group;
  };
  // Our SMP state, made and bound if there is none.
  Smp& SmpParts();

  // Large parts are boxed (docs/decisions/0032): an idle conversation (the
  // master once a peer instance has its own) holds none of them, an
  // established one its keys but no exchange.
  MessageState message_state_ = MessageState::kPlaintext;
  Ake ake_;
  Box<KeyState> keys_;
  Box<Smp> smp_;
  Fields fields_;
};

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_ENGINE_CONVERSATION_H_
