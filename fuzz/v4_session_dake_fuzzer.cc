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
// many messages of the real DAKE are delivered first. Then records:
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
#include <deque>
#include <string>
#include <variant>
#include <vector>

#include "fuzz/support/harness.h"
#include "fuzz/support/mutator.h"
#include "fuzz/support/v4_harness.h"
#include "protocol/session/testing.h"
#include "protocol/wire/armor.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

constexpr uint8_t kOpCount = 8;

struct World {
  World(uint8_t config, uint64_t seed)
      : alice(0, V4PolicyFromBits(config), ~seed), bob(1, V4PolicyFromBits(config >> 2), seed) {}

  void Take(Output out, bool from_alice) {
    for (std::string& s : out.to_send) in_flight.push_back({s, !from_alice});
  }
  void DeliverNext() {
    if (in_flight.empty()) return;
    InFlight next = std::move(in_flight.front());
    in_flight.pop_front();
    transcript.push_back(next.text);
    V4Party& receiver = next.to_alice ? alice : bob;
    Take(receiver.session->Receive(receiver.clock.NowSeconds(), next.text), next.to_alice);
  }
  bool KnownText(const std::string& text) const {
    for (const std::string& t : transcript) {
      if (t == text) return true;
    }
    for (const InFlight& f : in_flight) {
      if (f.text == text) return true;
    }
    return false;
  }

  V4Party alice, bob;
  std::deque<InFlight> in_flight;
  std::vector<std::string> transcript;
};

void Check(const World& w, const V4Snapshot& before, bool from_bob) {
  CheckV4Session(*w.alice.session);
  CheckV4Session(*w.bob.session);
  // Only the owner of H can sign Auth-R or Auth-I ("Interactive DAKE").
  CheckOnlyPeerEncrypts(*w.alice.session, *w.bob.session);
  if (!from_bob && before.encrypted && !(SnapshotV4(*w.alice.session, kBobTag) == before)) {
    OTR_FUZZ_FAIL();
  }
}

std::string Text(ByteView bytes) { return std::string(bytes.begin(), bytes.end()); }

void Run(World& w, const Record& record) {
  ByteSource in(record.payload);
  const V4Snapshot before = SnapshotV4(*w.alice.session, kBobTag);
  bool from_bob = false;
  switch (record.op % kOpCount) {
    case 0:
    case 1: {
      const std::string text =
          record.op % kOpCount == 0 ? Text(record.payload) : wire::EncodeArmor(record.payload);
      from_bob = w.KnownText(text);
      w.Take(w.alice.session->Receive(w.alice.clock.NowSeconds(), text), true);
      break;
    }
    case 2: {
      if (w.transcript.empty()) break;
      const std::string& original = w.transcript[in.Next() % w.transcript.size()];
      auto changed = ChangeV4Message(original, in);
      if (!changed) break;
      from_bob = w.KnownText(changed->text) || changed->same_maced_part;
      w.Take(w.alice.session->Receive(w.alice.clock.NowSeconds(), changed->text), true);
      break;
    }
    case 3:
      from_bob = true;  // the real protocol going on
      w.DeliverNext();
      break;
    case 4:
    case 5: {
      V4Party& who = record.op % kOpCount == 4 ? w.alice : w.bob;
      const bool by_alice = &who == &w.alice;
      from_bob = true;  // a user action, not inbound data
      switch (in.Next() % 4) {
        case 0:
          w.Take(who.session->StartOtr(who.clock.NowSeconds()), by_alice);
          break;
        case 1:
          w.Take(who.session->Send(who.clock.NowSeconds(), Text(in.Rest())), by_alice);
          break;
        case 2:
          w.Take(who.session->EndOtr(who.clock.NowSeconds()), by_alice);
          break;
        default:
          who.clock.now += in.Next() * 10;  // heartbeats, stored messages, expiry
          w.Take(who.session->HandleTimeout(who.clock.NowSeconds()), by_alice);
          break;
      }
      break;
    }
    case 6: {
      if (w.transcript.empty()) break;
      from_bob = true;  // a real message of this run
      const std::string text = w.transcript[in.Next() % w.transcript.size()];
      w.Take(w.alice.session->Receive(w.alice.clock.NowSeconds(), text), true);
      break;
    }
    default:
      if (!w.in_flight.empty()) w.in_flight.pop_front();
      from_bob = true;
      break;
  }
  Check(w, before, from_bob);
}

PayloadShape ShapeOfOp(uint8_t op) {
  return op % kOpCount == 1 ? PayloadShape{PayloadKind::kV4Message, 0} : PayloadShape{};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Input input = ParseInput(data, size);
  World w(input.header[0], InputSeed(data, size));
  const bool alice_starts = (input.header[0] & 0x10) != 0;
  V4Party& starter = alice_starts ? w.alice : w.bob;
  w.Take(starter.session->StartOtr(starter.clock.NowSeconds()), alice_starts);
  const size_t prefix = input.header[1] % 8;
  for (size_t i = 0; i < prefix; ++i) w.DeliverNext();
  Check(w, SnapshotV4(*w.alice.session, kBobTag), true);
  for (size_t i = 0; i < input.records.size() && i < 64; ++i) Run(w, input.records[i]);
  // Whatever happened, the honest traffic still in flight is delivered, and
  // the honest peer can still talk to alice.
  for (size_t i = 0; i < 64 && !w.in_flight.empty(); ++i) w.DeliverNext();
  Check(w, SnapshotV4(*w.alice.session, kBobTag), true);
  CheckLiveness(w.alice, w.bob);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return MutateStatefulInput(data, size, max_size, seed, ShapeOfOp, kOpCount);
}
