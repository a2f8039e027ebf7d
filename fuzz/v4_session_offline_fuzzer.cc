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
// messages she writes after the Non-Interactive-Auth. Then records:
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
#include <deque>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "fuzz/support/harness.h"
#include "fuzz/support/mutator.h"
#include "fuzz/support/v4_harness.h"
#include "fuzz/support/v4_offline.h"
#include "protocol/session/testing.h"
#include "protocol/wire/armor.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

constexpr uint8_t kOpCount = 8;

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

std::vector<v4::dake::PrekeyEnsembleValues> Ensembles(uint8_t choice) {
  const auto& all = FixedBobPrekeys().ensembles;
  if (choice % 4 == 3) return all;
  return {all[choice % 4 % all.size()]};
}

std::string Text(ByteView bytes) { return std::string(bytes.begin(), bytes.end()); }

struct World {
  World(const Input& input, uint64_t seed)
      : store(FixedBobPrekeys().store),
        alice(0, V4PolicyFromBits(input.header[0] >> 2), ~seed),
        bob(1, V4PolicyFromBits(input.header[0]), seed, &store),
        interactive_only_bob(input.header[0] % 4 == 2) {}

  void Take(Output out, bool from_alice) {
    for (std::string& s : out.to_send) in_flight.push_back({s, !from_alice});
  }
  // Alice writes while bob is away: an offline start and `count` messages.
  void AliceWrites(uint8_t ensembles, size_t count) {
    Take(alice.session->StartOffline(alice.clock.NowSeconds(), Ensembles(ensembles)), true);
    for (size_t i = 0; i < count; ++i) {
      Take(alice.session->Send(alice.clock.NowSeconds(), "offline " + std::to_string(i)), true);
    }
  }
  // Everything that reaches bob goes through here.
  void ToBob(const std::string& text) {
    const size_t before = store.prekey_count();
    const auto message = DearmorV4(text);
    const auto* auth = message ? std::get_if<v4::NonInteractiveAuth>(&*message) : nullptr;
    const V4Snapshot snapshot = SnapshotV4(*bob.session, kAliceTag);
    if (auth != nullptr) ++stats.received;
    Take(bob.session->Receive(bob.clock.NowSeconds(), text), false);
    const size_t after = store.prekey_count();
    if (after > before) OTR_FUZZ_FAIL();
    if (after < before) {
      // One prekey per message, only an interactive-capable bob, only the
      // prekey the message names, and only into a conversation with alice.
      if (before - after != 1 || interactive_only_bob || auth == nullptr) OTR_FUZZ_FAIL();
      const uint32_t id = auth->prekey_message_identifier;
      if (used.count(id) != 0 || store.FindPrekey(id, kBobTag, 0) != nullptr) OTR_FUZZ_FAIL();
      const v4::Conversation* c = V4ConversationForTesting(*bob.session, kAliceTag);
      if (c == nullptr || !c->encrypted() ||
          !(c->their_fingerprint() == alice.session->our_v4_fingerprint())) {
        OTR_FUZZ_FAIL();
      }
      used.insert(id);
      ++stats.accepted;
    } else if (auth != nullptr) {
      // Nothing was erased: then nothing was opened either (a prekey's
      // secrets go when a Non-Interactive-Auth naming them is accepted), and
      // in particular a used prekey opens nothing.
      const V4Snapshot now = SnapshotV4(*bob.session, kAliceTag);
      if (now.encrypted && !(now == snapshot)) OTR_FUZZ_FAIL();
      if (used.count(auth->prekey_message_identifier) != 0 && !(now == snapshot)) OTR_FUZZ_FAIL();
    }
  }
  void DeliverNext() {
    if (in_flight.empty()) return;
    InFlight next = std::move(in_flight.front());
    in_flight.pop_front();
    if (next.to_alice) {
      Take(alice.session->Receive(alice.clock.NowSeconds(), next.text), true);
    } else {
      sent_by_alice.push_back(next.text);
      ToBob(next.text);
    }
  }
  bool KnownText(const std::string& text) const {
    for (const std::string& t : sent_by_alice) {
      if (t == text) return true;
    }
    for (const InFlight& f : in_flight) {
      if (f.text == text) return true;
    }
    return false;
  }

  v4::InMemoryPrekeyStore store;  // before bob, who keeps a pointer to it
  V4Party alice, bob;
  const bool interactive_only_bob;
  std::deque<InFlight> in_flight;
  std::vector<std::string> sent_by_alice;  // delivered to bob
  std::set<uint32_t> used;                 // prekey identifiers bob accepted
};

void Check(const World& w, const V4Snapshot& before, bool from_alice) {
  CheckV4Session(*w.alice.session);
  CheckV4Session(*w.bob.session);
  // Only the holder of sk_ha, y or bob's forging secret can sign the ring
  // {F_b, H_a, Y} as alice; the fuzzer has none of bob's.
  CheckOnlyPeerEncrypts(*w.bob.session, *w.alice.session);
  if (!from_alice && before.encrypted && !(SnapshotV4(*w.bob.session, kAliceTag) == before)) {
    OTR_FUZZ_FAIL();
  }
}

void Act(World& w, V4Party& who, ByteSource& in) {
  const bool by_alice = &who == &w.alice;
  switch (in.Next() % 4) {
    case 0:
      if (by_alice) {
        w.Take(who.session->StartOffline(who.clock.NowSeconds(), Ensembles(in.Next())), true);
      } else {
        w.Take(who.session->StartOtr(who.clock.NowSeconds()), false);
      }
      break;
    case 1:
      w.Take(who.session->Send(who.clock.NowSeconds(), Text(in.Rest())), by_alice);
      break;
    case 2:
      w.Take(who.session->EndOtr(who.clock.NowSeconds()), by_alice);
      break;
    default:
      who.clock.now += uint64_t{in.Next()} * 60;  // bob comes back later; expiry
      w.Take(who.session->HandleTimeout(who.clock.NowSeconds()), by_alice);
      break;
  }
}

void Run(World& w, const Record& record) {
  ByteSource in(record.payload);
  const V4Snapshot before = SnapshotV4(*w.bob.session, kAliceTag);
  bool from_alice = false;
  switch (record.op % kOpCount) {
    case 0:
    case 1: {
      const std::string text =
          record.op % kOpCount == 0 ? Text(record.payload) : wire::EncodeArmor(record.payload);
      from_alice = w.KnownText(text);
      w.ToBob(text);
      break;
    }
    case 2: {
      if (w.sent_by_alice.empty()) break;
      const std::string& original = w.sent_by_alice[in.Next() % w.sent_by_alice.size()];
      auto changed = ChangeV4Message(original, in);
      if (!changed) break;
      from_alice = w.KnownText(changed->text) || changed->same_maced_part;
      w.ToBob(changed->text);
      break;
    }
    case 3:
      from_alice = true;  // the real protocol going on
      w.DeliverNext();
      break;
    case 4:
    case 5:
      from_alice = true;  // a user action, not inbound data
      Act(w, record.op % kOpCount == 4 ? w.bob : w.alice, in);
      break;
    case 6: {
      if (w.sent_by_alice.empty()) break;
      from_alice = true;  // a real message of this run
      w.ToBob(w.sent_by_alice[in.Next() % w.sent_by_alice.size()]);
      break;
    }
    default:
      if (!w.in_flight.empty()) w.in_flight.pop_front();
      from_alice = true;
      break;
  }
  Check(w, before, from_alice);
}

PayloadShape ShapeOfOp(uint8_t op) {
  return op % kOpCount == 1 ? PayloadShape{PayloadKind::kV4Message, 0} : PayloadShape{};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Input input = ParseInput(data, size);
  World w(input, InputSeed(data, size));
  w.AliceWrites(input.header[1], (input.header[1] >> 2) % 4);
  Check(w, SnapshotV4(*w.bob.session, kAliceTag), true);
  for (size_t i = 0; i < input.records.size() && i < 64; ++i) Run(w, input.records[i]);
  // Whatever happened, the honest traffic still in flight is delivered, and
  // the two can still talk.
  for (size_t i = 0; i < 64 && !w.in_flight.empty(); ++i) w.DeliverNext();
  Check(w, SnapshotV4(*w.bob.session, kAliceTag), true);
  CheckLiveness(w.alice, w.bob);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return MutateStatefulInput(data, size, max_size, seed, ShapeOfOp, kOpCount);
}
