// Shared pieces of the stateful fuzzers (session_ake_fuzzer,
// session_established_fuzzer, smp_fuzzer): two Sessions with fixed keys and
// deterministic randomness (so a fuzz input replays byte for byte), the
// record format of their inputs, state and key snapshots for invariants, and
// the "fuzzer holds both ends" hook that seals arbitrary plaintext with the
// peer's real keys so that fuzzed payloads get past the MAC check.
//
// Invariant violations call __builtin_trap(): libFuzzer reports them as
// crashes, so logic bugs surface like memory errors.
#ifndef OTR_FUZZ_SUPPORT_HARNESS_H_
#define OTR_FUZZ_SUPPORT_HARNESS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "crypto/random.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/api/output.h"
#include "protocol/api/policy.h"
#include "protocol/session/session.h"
#include "protocol/session/testing.h"
#include "protocol/v3/messages.h"

// Reports where an invariant broke, then traps (a libFuzzer crash).
#define OTR_FUZZ_FAIL() ::otr::fuzzing::InvariantViolated(__FILE__, __LINE__)

namespace otr::fuzzing {

[[noreturn]] void InvariantViolated(const char* file, int line);

// --- Input format -------------------------------------------------------
// [header: kHeaderSize bytes] then records [op][len lo][len hi][payload].
// A truncated last record takes what is left. Shared with the custom
// mutator (mutator.h), which edits records and their payloads.
inline constexpr size_t kHeaderSize = 2;

template <typename Payload>
struct BasicRecord {
  uint8_t op = 0;
  Payload payload;
};

template <typename Payload>
struct BasicInput {
  std::array<uint8_t, kHeaderSize> header{};
  std::vector<BasicRecord<Payload>> records;
};

// Records that own their payloads: what the mutator edits and the seed
// writers make.
using Record = BasicRecord<Bytes>;
using Input = BasicInput<Bytes>;
Input ParseInput(const uint8_t* data, size_t size);
Bytes SerializeInput(const Input& input);

// What the fuzzers run: the same records, each payload a view into the
// input (no copy per record), valid while the input is.
using RecordView = BasicRecord<ByteView>;
using InputView = BasicInput<ByteView>;
InputView ViewInput(const uint8_t* data, size_t size);

// Reads payload bytes one at a time, then zeros.
class ByteSource {
 public:
  explicit ByteSource(ByteView bytes) : bytes_(bytes) {}
  uint8_t Next() { return pos_ < bytes_.size() ? bytes_[pos_++] : 0; }
  uint32_t Next32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | Next();
    return v;
  }
  ByteView Rest() const { return pos_ < bytes_.size() ? bytes_.subspan(pos_) : ByteView(); }
  bool empty() const { return pos_ >= bytes_.size(); }

 private:
  ByteView bytes_;
  size_t pos_ = 0;
};

// --- Parties ------------------------------------------------------------
// The time a test gives its sessions (Session calls take it as an argument).
class FixedClock {
 public:
  uint64_t NowSeconds() const { return now; }
  uint64_t now = 1'000'000;
};

// A random source that can be pointed at a new seed, or put back into a
// state it had. A Session keeps a pointer to its Random, and a copied
// Session keeps the original's: so every session of a party (templates and
// their copies, v2/v3 and v4) uses one process-wide source per party,
// PartyRandom(who), re-seeded or restored for each world. One world lives
// at a time (a fuzzer runs one input at a time).
// SHAKE-256 on FuzzBackend() (the stand-in's pooled handles in a fuzzing
// build): the parties' DeterministicRandom draws its blocks with it.
void FuzzShake256(std::span<const ByteView> parts, MutableByteView out);

class ReseedableRandom final : public crypto::Random {
 public:
  ReseedableRandom() : random_(uint64_t{0}, &FuzzShake256) {}
  void Reseed(uint64_t seed) {
    random_ = crypto::testing::DeterministicRandom(seed, &FuzzShake256);
  }
  void Fill(MutableByteView out) override { random_.Fill(out); }
  // Everything the next draws depend on.
  crypto::testing::DeterministicRandom state() const { return random_; }
  void Restore(const crypto::testing::DeterministicRandom& state) { random_ = state; }

 private:
  crypto::testing::DeterministicRandom random_;
};
// who == 0: alice, otherwise bob.
ReseedableRandom& PartyRandom(int who);

// who == 0 is the session under test ("alice"), 1 its peer ("bob"). Making
// one re-seeds PartyRandom(who) with `seed`; a copy (of a template, see
// PairTemplate) has a deep copy of the Session and shares the source.
struct Party {
  Party(int who, Policy policy, uint64_t seed, size_t max_message_size = 0);
  Party(const Party&) = default;
  Party(Party&&) = default;
  Party& operator=(const Party&) = delete;

  crypto::Random& random;  // PartyRandom(who)
  FixedClock clock;
  std::optional<Session> session;
};

// Two parties in a state that is expensive to reach (an AKE: DSA
// signatures, D-H), kept to be copied for every input instead of being
// reached again: the Sessions are copied deeply, and both parties'
// randomness is put back exactly as it was when the template was taken, so
// a copy behaves byte for byte as the original would have (decision 0037).
struct PairTemplate {
  PairTemplate(const Party& alice, const Party& bob);
  // A copy of the two parties, PartyRandom(0) and (1) restored.
  struct Pair {
    Party alice, bob;
  };
  Pair Copy() const;

  Party alice, bob;
  crypto::testing::DeterministicRandom alice_random, bob_random;
};

// A seed for both parties' randomness drawn from the whole input (FNV-1a):
// runs stay reproducible, but no input can carry a genuine future message
// of either party (it would have to predict keys that depend on itself), so
// the harness knows exactly which inputs are valid messages: those it had a
// party produce during the run.
uint64_t InputSeed(const uint8_t* data, size_t size);

// Policies the headers choose from: Manual (v2+v3), v3 only, v2 only,
// Opportunistic.
Policy PolicyFromBits(uint8_t bits);

// A transport message in flight.
struct InFlight {
  std::string text;
  bool to_alice = false;
};

// Delivers the parties' traffic until both are quiet (at most a bounded
// number of messages), starting with `out`, produced by alice if
// `from_alice`, else by bob.
void Pump(Party& alice, Party& bob, Output out, bool from_alice);

// --- Invariants -----------------------------------------------------------
// Every conversation of the session is in a state of the tables, and
// ENCRYPTED has keys. Traps otherwise.
void CheckStates(const Session& session);

// What an established conversation's keys look like from outside: keyids
// and a SHA-256 over every secret KeyState still holds.
struct KeySnapshot {
  bool has_keys = false;
  uint32_t our_keyid = 0;
  uint32_t their_keyid = 0;
  Bytes secrets_hash;
  v3::MessageState message_state = v3::MessageState::kPlaintext;
  friend bool operator==(const KeySnapshot&, const KeySnapshot&) = default;
};
KeySnapshot Snapshot(const v3::Conversation& conversation);

bool HasEncryptedDisplay(const Output& out);

// --- Both ends' secrets -----------------------------------------------------
// Seals `plaintext` (message, NUL, TLVs, or any bytes) as `peer`'s selected
// conversation would, with its real keys: the result passes the receiver's
// MAC check. The peer's KeyState advances exactly as for its own Send.
// std::nullopt unless the peer is ENCRYPTED.
std::optional<v3::DataMessage> SealAsPeer(const Session& peer, const v3::Header& header,
                                          uint8_t flags, ByteView plaintext,
                                          crypto::Random& peer_random);
// The header `sender` puts on its messages to `receiver`.
v3::Header HeaderFrom(const Session& sender, const Session& receiver);
// Decrypts a data message addressed to `receiver` without changing its state
// (KeyState::Verify is const).
std::optional<Bytes> PeekPlaintext(const Session& receiver, const v3::DataMessage& message);

std::string Armor(const v3::Message& message);
std::optional<v3::Message> Dearmor(std::string_view text);

}  // namespace otr::fuzzing

#endif  // OTR_FUZZ_SUPPORT_HARNESS_H_
