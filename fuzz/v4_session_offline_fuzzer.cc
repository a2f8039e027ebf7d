// Drives a v4 Session ("bob") that published prekey material (an
// InMemoryPrekeyStore with a Prekey Profile and kOfflinePrekeys Prekey
// Messages, fuzz/support/v4_offline.h) through the non-interactive DAKE
// (otrv4.md, "Offline Conversation Initialization", "Receiving a
// Non-Interactive-Auth Message", "Sending a Data Message to an offline
// participant") with fuzzed inbound input, interleaved with the real
// messages of an honest sender ("alice": fixed long-term keys,
// deterministic randomness) who started from bob's Prekey Ensembles
// (Session::StartOffline) and wrote data messages while bob was away.
//
// Input (fuzz/support/harness.h records): header byte 0 bits 0-1 bob's
// policy, bits 2-3 alice's (v3-compatible, v4-standalone, interactive-only,
// opportunistic: V4PolicyFromBits); header byte 1 bits 0-1 which ensembles
// alice is given (one of the three, or all), bits 2-3 how many data
// messages she writes after the Non-Interactive-Auth. Then records, run by
// V4OpLoop (fuzz/support/v4_harness.h, shared with v4_session_dake_fuzzer)
// with bob the target and alice the peer:
//   op 0: raw transport text to bob
//   op 1: a binary OTRv4 message, armoured, to bob (custom mutator: fields
//         of Non-Interactive-Auth, Identity, Auth-R, Auth-I, Data)
//   op 2: a message alice sent with 1-3 fields changed, to bob
//   op 3: deliver the next message in flight
//   op 4: an action of bob (start, send, end, time passes)
//   op 5: an action of alice (offline start again, send, end, time passes)
//   op 6: a message alice sent replayed unchanged to bob
//   op 7: drop the next message in flight
// Invariants after every record: every state is a state of the tables and
// within its bounds (CheckV4Session); every encrypted conversation of bob
// has alice's fingerprint (only the holder of sk_ha, y or bob's forging
// secret can sign the ring {F_b, H_a, Y}; the fuzzer has only alice's);
// bob's prekey secrets only ever go away, one per message, and only when a
// Non-Interactive-Auth naming them established a conversation with alice,
// and a Non-Interactive-Auth that erased nothing left bob's conversation
// with alice unopened ("one-time use"); one naming an already used prekey
// changes nothing; an interactive-only bob never uses one (otr-v4-modes/);
// an established bob keeps his keys, SSID and peer through input that did
// not come from alice. After the last record the traffic in flight is
// delivered and the two can still talk (CheckLiveness).
//
// OTR_OFFLINE_FUZZ_STATS=1 prints at exit how many Non-Interactive-Auth
// messages reached bob and how many he accepted (the coverage counter of
// fuzz/README.md, "Stateful fuzzers").
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "fuzz/support/harness.h"
#include "fuzz/support/v4_harness.h"
#include "fuzz/support/v4_offline.h"
#include "protocol/session/testing.h"
#include "protocol/v4/messages/header.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/base64.h"
#include "protocol/wire/writer.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

struct Stats {
  ~Stats() {
    if (std::getenv("OTR_OFFLINE_FUZZ_STATS") != nullptr) {
      std::fprintf(stderr, "offline: %zu Non-Interactive-Auth to bob, %zu accepted\n", received,
                   accepted);
    }
  }
  size_t received = 0;
  size_t accepted = 0;
};
Stats stats;

// One of the three ensembles (choice 0-2) or all of them (3).
const std::vector<v4::dake::PrekeyEnsembleValues>& Ensembles(uint8_t choice) {
  static_assert(kOfflinePrekeys == 3);
  return FixedBobPrekeys().choices[choice % 4];
}

// Whether `text` is armoured with the version and type of a
// Non-Interactive-Auth message (otrv4.md "Data Types"): the first three
// bytes, which the first four base64 digits after the prefix hold. Four
// digits hold exactly three bytes, so comparing the digits with those of
// the three bytes judges as decoding them would, without a vector per
// message (the header is written as DecodeMessage reads it).
bool LooksNonInteractiveAuth(std::string_view text) {
  static const std::string kHead = [] {
    wire::Writer writer;
    v4::WriteVersionAndType(writer, v4::MessageType::kNonInteractiveAuth);
    return wire::EncodeBase64(std::move(writer).Finish());
  }();
  return text.starts_with(wire::kArmorPrefix) &&
         text.substr(wire::kArmorPrefix.size(), kHead.size()) == kHead;
}

// The prekey message identifier `text` names, if it decodes as a
// Non-Interactive-Auth message.
std::optional<uint32_t> NamedPrekey(std::string_view text) {
  auto bytes = wire::DecodeArmor(text);
  if (!bytes.ok()) return std::nullopt;
  auto message = v4::DecodeMessage(*bytes);
  if (!message.ok()) return std::nullopt;
  const auto* auth = std::get_if<v4::NonInteractiveAuth>(&*message);
  if (auth == nullptr) return std::nullopt;
  return auth->prekey_message_identifier;
}

// The records' dispatch (V4OpLoop, fuzz/support/v4_harness.h) with bob the
// target, alice the peer, a transcript of what reached bob, and the checks
// around everything that reaches bob.
class OfflineLoop final : public V4OpLoop {
 public:
  OfflineLoop(V4Party& alice, V4Party& bob, v4::InMemoryPrekeyStore& store,
              bool interactive_only_bob)
      : V4OpLoop(bob, alice, /*transcribe_both_ways=*/false, /*time_step=*/60),
        store_(store),
        interactive_only_bob_(interactive_only_bob) {}

 private:
  // Alice starts from bob's ensembles; bob as usual.
  void Start(V4Party& who, ByteSource& in) override {
    if (&who == &peer_) {
      Take(who.session->StartOffline(who.clock.NowSeconds(), Ensembles(in.Next())), who);
    } else {
      V4OpLoop::Start(who, in);
    }
  }

  void ToTarget(const std::string& text) override {
    V4Party& bob = target_;
    V4Party& alice = peer_;
    const size_t before = store_.prekey_count();
    // (Judged below only for what has a Non-Interactive-Auth's type; one
    // that does not decode must change nothing either.)
    const bool auth = LooksNonInteractiveAuth(text);
    const V4Snapshot snapshot = auth ? SnapshotV4(*bob.session, kAliceTag) : V4Snapshot{};
    if (auth) ++stats.received;
    V4OpLoop::ToTarget(text);
    const size_t after = store_.prekey_count();
    if (after > before) OTR_FUZZ_FAIL();
    if (after < before) {
      // One prekey per message, only an interactive-capable bob, only the
      // prekey the message names, and only into a conversation with alice.
      const std::optional<uint32_t> id = auth ? NamedPrekey(text) : std::nullopt;
      if (before - after != 1 || interactive_only_bob_ || !id) OTR_FUZZ_FAIL();
      if (used_.count(*id) != 0 || store_.FindPrekey(*id, kBobTag, 0) != nullptr) OTR_FUZZ_FAIL();
      const v4::Conversation* c = V4ConversationForTesting(*bob.session, kAliceTag);
      if (c == nullptr || !c->encrypted() || !(c->their_fingerprint() == alice.fingerprint)) {
        OTR_FUZZ_FAIL();
      }
      used_.insert(*id);
      ++stats.accepted;
    } else if (auth) {
      // Nothing was erased: then nothing was opened either (a prekey's
      // secrets go when a Non-Interactive-Auth naming them is accepted), and
      // in particular a used prekey opens nothing.
      const V4Snapshot now = SnapshotV4(*bob.session, kAliceTag);
      if (now.encrypted && !(now == snapshot)) OTR_FUZZ_FAIL();
      if (!used_.empty() && !(now == snapshot)) {
        const std::optional<uint32_t> id = NamedPrekey(text);
        if (id && used_.count(*id) != 0) OTR_FUZZ_FAIL();
      }
    }
  }

  v4::InMemoryPrekeyStore& store_;
  const bool interactive_only_bob_;
  std::set<uint32_t> used_;  // prekey identifiers bob accepted
};

struct World {
  World(const InputView& input, uint64_t seed)
      : store(FixedBobPrekeys().store),
        alice(0, V4PolicyFromBits(input.header[0] >> 2), ~seed),
        bob(1, V4PolicyFromBits(input.header[0]), seed, &store),
        loop(alice, bob, store, /*interactive_only_bob=*/input.header[0] % 4 == 2) {}

  // Alice writes while bob is away: an offline start and `count` messages.
  void AliceWrites(uint8_t ensembles, size_t count) {
    loop.Take(alice.session->StartOffline(alice.clock.NowSeconds(), Ensembles(ensembles)), alice);
    for (size_t i = 0; i < count; ++i) {
      loop.Take(alice.session->Send(alice.clock.NowSeconds(), "offline " + std::to_string(i)),
                alice);
    }
  }

  v4::InMemoryPrekeyStore store;  // before bob, who keeps a pointer to it
  V4Party alice, bob;
  OfflineLoop loop;
};

void Check(const World& w, const V4Snapshot& before, bool from_alice) {
  CheckV4Session(*w.alice.session);
  CheckV4Session(*w.bob.session);
  // Only the holder of sk_ha, y or bob's forging secret can sign the ring
  // {F_b, H_a, Y} as alice; the fuzzer has none of bob's.
  CheckOnlyPeerEncrypts(*w.bob.session, w.alice);
  if (!from_alice && before.encrypted && !(SnapshotV4(*w.bob.session, kAliceTag) == before)) {
    OTR_FUZZ_FAIL();
  }
}

void Run(World& w, const RecordView& record) {
  const V4Snapshot before = SnapshotV4(*w.bob.session, kAliceTag);
  Check(w, before, w.loop.Run(record));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const InputView input = ViewInput(data, size);
  World w(input, InputSeed(data, size));
  w.AliceWrites(input.header[1], (input.header[1] >> 2) % 4);
  Check(w, SnapshotV4(*w.bob.session, kAliceTag), true);
  for (size_t i = 0; i < input.records.size() && i < 64; ++i) Run(w, input.records[i]);
  // Whatever happened, the honest traffic still in flight is delivered, and
  // the two can still talk.
  w.loop.Drain();
  Check(w, SnapshotV4(*w.bob.session, kAliceTag), true);
  CheckLiveness(w.alice, w.bob);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return MutateStatefulInput(data, size, max_size, seed, V4OpLoop::ShapeOfOp, V4OpLoop::kOpCount);
}
