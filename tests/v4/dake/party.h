// One participant of a v4 DAKE in tests: its backend, long-term key (H),
// forging key (F, with its secret), Client Profile, instance tag and a
// deterministic random source; and the whole honest DAKE between two.
#ifndef OTR_TESTS_V4_DAKE_PARTY_H_
#define OTR_TESTS_V4_DAKE_PARTY_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "crypto/backend.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/dake/dake.h"
#include "protocol/v4/messages/messages.h"

namespace otr::v4::dake::testing {

inline constexpr int64_t kNow = 1'700'000'000;

struct Party {
  const crypto::Backend* backend = nullptr;
  std::unique_ptr<crypto::testing::DeterministicRandom> random;
  Ed448KeyPair long_term;
  Ed448KeyPair forging;
  ClientProfile client_profile;
  wire::InstanceTag instance_tag = wire::kMinInstanceTag;

  OurLongTermKeys keys() const {
    return OurLongTermKeys{&long_term, &client_profile, instance_tag};
  }
};

// Fails the current test (and returns a party with an empty profile) when
// a key or the profile cannot be made.
Party MakeParty(const crypto::Backend& backend, uint64_t seed, wire::InstanceTag tag);

// Every message and intermediate value of one honest DAKE, Bob (the
// Identity sender) and Alice (the Auth-R sender).
struct Transcript {
  OurDakeKeys bob_keys;
  IdentityMessage identity;
  std::optional<TheirDakeKeys> bob_seen_by_alice;
  std::optional<AuthRSent> auth_r;
  std::optional<AuthRResult> auth_r_result;
  std::optional<AuthISent> auth_i;
  std::optional<DakeResult> alice_result;
};

// The DAKE up to `stop` messages: 1 Identity, 2 Auth-R, 3 Auth-I (and
// Alice's validation of it). Messages cross as bytes (encoded and decoded).
// Fails the current test on any error.
enum class Upto { kIdentity = 1, kAuthR = 2, kAuthI = 3 };
Transcript RunDake(Party& bob, Party& alice, Upto stop = Upto::kAuthI, Bytes phi_prime = {});

}  // namespace otr::v4::dake::testing

#endif  // OTR_TESTS_V4_DAKE_PARTY_H_
