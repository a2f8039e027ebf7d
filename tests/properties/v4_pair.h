// Two OTRv4 double ratchets started by an interactive DAKE, each side on a
// crypto backend of its own with a random source of its own, and a
// transcript of every Data Message that crossed the wire (issue 17,
// "Security properties"). The properties that judge keys (deniability,
// forward secrecy, post-compromise security) run here, where the keys are
// in reach; the Session-level properties are in v4_session_*.
#ifndef OTR_TESTS_PROPERTIES_V4_PAIR_H_
#define OTR_TESTS_PROPERTIES_V4_PAIR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/ratchet/ratchet.h"
#include "protocol/wire/instance_tag.h"

namespace otr::properties::v4p {

// The time every ratchet of a property run is given (frozen unless a
// property moves it on purpose).
inline constexpr uint64_t kV4Now = 1000;
// The time the DAKE validates the Client Profiles at.
inline constexpr int64_t kDakeNow = 1'700'000'000;

// One party's long-lived v4 keys: H, the forging key F (with its secret,
// for the forging property) and the signed Client Profile.
struct V4Identity {
  v4::Ed448KeyPair long_term;
  v4::Ed448KeyPair forging;
  v4::ClientProfile client_profile;
  wire::InstanceTag instance_tag = wire::kMinInstanceTag;
};
Result<V4Identity> MakeV4Identity(const crypto::Backend& backend, crypto::Random& random,
                                  wire::InstanceTag tag);

struct V4Party {
  const crypto::Backend* backend = nullptr;
  V4Identity identity;
  std::unique_ptr<crypto::testing::DeterministicRandom> random;
  std::optional<v4::ratchet::Ratchet> ratchet;
};

// One Data Message as it crossed the wire.
struct V4Sent {
  int from = 0;  // 0: Alice (Auth-R sender), 1: Bob (Identity and Auth-I sender)
  v4::DataMessage message;
  std::string text;  // its plaintext (the whole of it: no TLVs here)
};

// The DAKE that started the ratchets as a third party saw it: its three
// messages, phi', and every ECDH and DH public key in them.
struct DakePublics {
  v4::IdentityMessage identity;
  v4::AuthR auth_r;
  v4::AuthI auth_i;
  Bytes phi_prime;
  std::vector<crypto::Ed448Encoding> ecdh;
  std::vector<Bytes> dh;
};

class V4Pair {
 public:
  // Runs the interactive DAKE (protocol/v4/dake) between Alice (on
  // `alice_backend`, the Auth-R sender) and Bob (on `bob_backend`, the
  // Identity and Auth-I sender), each message crossing as bytes, and starts
  // both ratchets from its results; `seed` fixes all randomness. No secret
  // of the DAKE outlives it but what the ratchets hold.
  static Result<V4Pair> Start(const crypto::Backend& alice_backend,
                              const crypto::Backend& bob_backend, uint64_t seed,
                              const v4::ratchet::Limits& limits = {});

  V4Party& party(int who) { return party_[who]; }
  v4::ratchet::Ratchet& ratchet(int who) { return *party_[who].ratchet; }
  const crypto::Backend& backend(int who) const { return *party_[who].backend; }

  // `who` sends `text`; the message joins the transcript and waits in
  // flight. Returns its transcript index.
  Result<size_t> Send(int who, const std::string& text, uint64_t now = kV4Now);
  // Delivers transcript entry `index` to the other party (through the
  // receiver's Ratchet::Receive) and returns the plaintext read.
  Result<std::string> Deliver(size_t index, uint64_t now = kV4Now);
  // Delivers every message still in flight, oldest first.
  Status Flush(uint64_t now = kV4Now);
  // Alice sends, everything is delivered, Bob sends, everything is
  // delivered, `rounds` times (each send turns the ratchet).
  Status PingPong(int rounds, uint64_t now = kV4Now);

  // Keep a copy of the receiver's ratchet taken just before each message's
  // first delivery (the deniability property's judge). Off by default: the
  // erasure and forward-secrecy properties must not see test-held copies.
  void KeepSnapshots(bool on) { keep_snapshots_ = on; }
  const std::optional<v4::ratchet::Ratchet>& snapshot(size_t index) const {
    return snapshots_.at(index);
  }

  const std::vector<V4Sent>& transcript() const { return transcript_; }
  const std::vector<bool>& delivered() const { return delivered_; }
  // Transcript indices not yet delivered.
  std::vector<size_t> InFlight() const;
  const DakePublics& dake_publics() const { return dake_publics_; }

 private:
  V4Party party_[2];
  std::vector<V4Sent> transcript_;
  std::vector<bool> delivered_;
  bool keep_snapshots_ = false;
  std::vector<std::optional<v4::ratchet::Ratchet>> snapshots_;
  DakePublics dake_publics_;
};

// Hand-made random scripts for the properties: `steps` random actions of
// sending (1..64 printable bytes), delivering a random message in flight,
// and delivering everything; drawn with rapidcheck inside a property.
Status RunRandomScript(V4Pair& pair, int steps);

}  // namespace otr::properties::v4p

#endif  // OTR_TESTS_PROPERTIES_V4_PAIR_H_
