// Two double ratchets started as the DAKEs would start them, for the tests of
// protocol/v4/ratchet: the DAKE itself is simulated (its shared secret K and
// brace key are random; the first ephemeral keys are real), each side on a
// backend of its own and with a random source of its own, so the messages
// do not depend on how the two sides interleave.
#ifndef OTR_TESTS_V4_RATCHET_PAIR_H_
#define OTR_TESTS_V4_RATCHET_PAIR_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/ratchet/ratchet.h"

namespace otr::v4::ratchet::testing {

enum class Dake { kInteractive, kNonInteractive };

struct Side {
  const crypto::Backend* backend;
  std::unique_ptr<crypto::testing::DeterministicRandom> random;
  std::optional<Ratchet> ratchet;
};

struct Pair {
  // alice: receives Auth-I (interactive) or sends Non-Interactive-Auth;
  // bob: sends Auth-I or receives Non-Interactive-Auth.
  Side alice, bob;
};

// Starts both ratchets; `seed` fixes all randomness.
Pair StartPair(const crypto::Backend& alice_backend, const crypto::Backend& bob_backend, Dake dake,
               uint64_t seed, const Limits& limits = Limits{});

// Sends `text` from `from` at time `now` (header: tags 0x100/0x101).
Result<SentMessage> SendText(Side& from, std::string_view text, uint64_t now = 1000);
// Receives and returns the plaintext as a string.
Result<std::string> ReceiveText(Side& to, const DataMessage& message, uint64_t now = 1000);

// Every variable of the two ratchets equal (secrets compared in constant
// time, points through the backend's encoding): the "no state change" check.
bool SameState(const crypto::Backend& backend, const Ratchet& a, const Ratchet& b);

}  // namespace otr::v4::ratchet::testing

#endif  // OTR_TESTS_V4_RATCHET_PAIR_H_
