// The v2/v3 AKE as a state machine that executes auth_table.h: it finds the
// row for (authstate, event), evaluates guards only through the table, runs
// the row's actions and moves to the row's next state. Sans-I/O: messages
// in, messages out.
#ifndef OTR_PROTOCOL_V3_AKE_AKE_H_
#define OTR_PROTOCOL_V3_AKE_AKE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/box.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "protocol/v3/ake/ake_crypto.h"
#include "protocol/v3/keys/ake_keys.h"
#include "protocol/v3/messages.h"
#include "protocol/v3/state/auth_table.h"

namespace otr::v3 {

// The keyid of the D-H key pair each side uses in the AKE ("When starting a
// private conversation ... set our_keyid = 2 ... send ... our_dh[our_keyid-1]").
inline constexpr uint32_t kAkeKeyId = 1;

struct AkePolicy {
  bool allow_v2 = true;
  bool allow_v3 = true;
};

// What a completed AKE hands to the message state machine.
struct AkeResult {
  Version version = Version::kV3;
  crypto::DhKeyPair our_dh;  // our D-H key pair used in the AKE
  uint32_t our_keyid = kAkeKeyId;
  Bytes their_dh;            // their D-H public key
  uint32_t their_keyid = 0;  // keyid from their signed X
  crypto::DsaPublicKey their_long_term_key;
  std::array<uint8_t, 8> ssid{};
  bool we_sent_reveal_signature = false;  // decides which ssid half is bold
};

struct AkeOutput {
  const AuthRow* row = nullptr;  // the row executed
  std::vector<Message> to_send;
  std::optional<AkeResult> authenticated;
  bool refused_v1 = false;
};

class Ake {
 public:
  Ake(const crypto::Backend& backend, const crypto::DsaPrivateKey& our_long_term_key,
      AkePolicy policy);

  AuthState state() const { return state_; }

  // Takes over another Ake's exchange in progress (same keys and policy):
  // a D-H Key from a peer instance answers the D-H Commit our master
  // conversation sent to every instance (libotr's otrl_auth_copy_on_key;
  // docs/decisions/0005 and 0006). The state copied was reached by a row.
  void AdoptExchange(const Ake& other);
  // Runs kAbandon: the exchange was completed by another instance's
  // conversation; forget its secrets.
  void Abandon(crypto::Random& random);

  // Starts an AKE of `version` (the caller chose it from a query or tag).
  Result<AkeOutput> Start(crypto::Random& random, Version version, wire::InstanceTag our_tag,
                          wire::InstanceTag their_tag);

  // Handles an AKE message (D-H Commit, D-H Key, Reveal Signature,
  // Signature, or a v1 message). Data Messages are not the AKE's.
  Result<AkeOutput> Receive(crypto::Random& random, const Message& message,
                            wire::InstanceTag our_tag);

 private:
  struct Verified;  // results of a guard that verified a message
  struct Context;

  // Everything an exchange holds. A row's actions change a copy, which
  // replaces this one only when every action succeeded (atomic rows). Held
  // on the heap only while it holds something (docs/decisions/0032): an
  // established conversation's AKE is a few pointers.
  struct Exchange {
    bool empty() const;

    // Bob's side: our commitment, their g^y, the keys, our Reveal Signature.
    std::optional<Commitment> commitment;
    std::optional<DhCommit> our_commit_message;
    Bytes their_gy;
    std::optional<AkeKeys> keys;
    std::optional<RevealSignature> our_reveal_message;
    // Alice's side: their commitment, our y and D-H Key message.
    std::optional<DhCommit> their_commit;
    std::optional<crypto::DhKeyPair> our_y;
    std::optional<DhKey> our_dh_key_message;
  };

  Result<AkeOutput> Run(Context& ctx);
  bool Holds(AuthGuard guard, Context& ctx) const;
  Status Perform(AuthAction action, Context& ctx, Exchange& x, AkeOutput& out) const;
  Header OutHeader(const Context& ctx) const;
  // The exchange in progress (an empty one when none is held).
  const Exchange& exchange() const;

  const crypto::Backend* backend_;
  const crypto::DsaPrivateKey* our_key_;
  AkePolicy policy_;
  AuthState state_ = AuthState::kNone;
  Box<Exchange> x_;
};

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_AKE_AKE_H_
