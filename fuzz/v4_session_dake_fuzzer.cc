// Drives a v4 Session ("alice") through the interactive DAKE (otrv4.md,
// "Interactive DAKE", "The Protocol State Machine") with fuzzed inbound
// input in every state: START, WAITING_AUTH_R, WAITING_AUTH_I,
// ENCRYPTED_MESSAGES (and its new-DAKE-beside states), FINISHED;
// interleaved with the real messages of an honest peer ("bob": fixed
// long-term keys, deterministic randomness, fuzz/support/v4_harness.h).
//
// Input (fuzz/support/harness.h records): header byte 0 bits 0-1 alice's
// policy, bits 2-3 bob's (v3-compatible, v4-standalone, interactive-only,
// opportunistic: V4PolicyFromBits), bit 4 who starts; header byte 1 how
// many messages of the real DAKE are delivered first. Then records, run by
// V4OpLoop (fuzz/support/v4_harness.h) with alice the target, bob the peer
// and a transcript of what reached either:
//   op 0: raw transport text to alice (queries, tagged plaintext, errors)
//   op 1: a binary OTRv4 message, armoured, to alice (custom mutator:
//         fields of Identity, Auth-R, Auth-I, Non-Interactive-Auth, Data)
//   op 2: a message of the real transcript so far with 1-3 fields changed
//         (choices from the payload), to alice
//   op 3: deliver the next message in flight (the DAKE goes on)
//   op 4: an action of alice (start, send, end, time passes); op 5: of bob
//   op 6: a message of the transcript replayed unchanged to alice
//   op 7: drop the next message in flight
// Invariants after every record: every state is a state of the tables and
// within its bounds (CheckV4Session); every encrypted conversation of alice
// has bob's fingerprint (only bob can sign a DAKE as bob; v3 conversations:
// bob's key or alice's own, as in session_ake_fuzzer); an established
// alice keeps her keys, SSID and peer through input that did not come from
// bob. After the last record the traffic in flight is delivered and bob can
// still talk to alice (CheckLiveness).
#include <cstddef>
#include <cstdint>

#include "fuzz/support/harness.h"
#include "fuzz/support/v4_harness.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

struct World {
  World(uint8_t config, uint64_t seed)
      : alice(0, V4PolicyFromBits(config), ~seed),
        bob(1, V4PolicyFromBits(config >> 2), seed),
        loop(alice, bob, /*transcribe_both_ways=*/true, /*time_step=*/10) {}

  V4Party alice, bob;
  V4OpLoop loop;  // the records' dispatch (fuzz/support/v4_harness.h)
};

void Check(const World& w, const V4Snapshot& before, bool from_bob) {
  CheckV4Session(*w.alice.session);
  CheckV4Session(*w.bob.session);
  // Only the owner of H can sign Auth-R or Auth-I ("Interactive DAKE").
  CheckOnlyPeerEncrypts(*w.alice.session, w.bob);
  if (!from_bob && before.encrypted && !(SnapshotV4(*w.alice.session, kBobTag) == before)) {
    OTR_FUZZ_FAIL();
  }
}

void Run(World& w, const RecordView& record) {
  const V4Snapshot before = SnapshotV4(*w.alice.session, kBobTag);
  Check(w, before, w.loop.Run(record));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const InputView input = ViewInput(data, size);
  World w(input.header[0], InputSeed(data, size));
  const bool alice_starts = (input.header[0] & 0x10) != 0;
  V4Party& starter = alice_starts ? w.alice : w.bob;
  w.loop.Take(starter.session->StartOtr(starter.clock.NowSeconds()), starter);
  const size_t prefix = input.header[1] % 8;
  for (size_t i = 0; i < prefix; ++i) w.loop.DeliverNext();
  Check(w, SnapshotV4(*w.alice.session, kBobTag), true);
  for (size_t i = 0; i < input.records.size() && i < 64; ++i) Run(w, input.records[i]);
  // Whatever happened, the honest traffic still in flight is delivered, and
  // the honest peer can still talk to alice.
  w.loop.Drain();
  Check(w, SnapshotV4(*w.alice.session, kBobTag), true);
  CheckLiveness(w.alice, w.bob);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return MutateStatefulInput(data, size, max_size, seed, V4OpLoop::ShapeOfOp, V4OpLoop::kOpCount);
}
