// Drives a Session ("alice") through the AKE (otr v3 spec, "Authenticated
// Key Exchange") with fuzzed inbound messages in every authentication state.
//
// Input (fuzz/support/harness.h): header byte 0 picks alice's and the peer
// bob's policies and who starts; header byte 1 how many messages of the real
// AKE between alice and bob (fixed keys, deterministic randomness) are
// delivered first, which puts alice in AUTHSTATE_NONE, AWAITING_DHKEY,
// AWAITING_REVEALSIG, AWAITING_SIG or past the AKE. Then records:
//   op 0: raw transport text to alice
//   op 1: a binary OTR message, armoured, to alice (structure-mutated by the
//         custom mutator)
//   op 2: a message of the real transcript so far, one field changed
//         (choices from the payload), to alice
//   op 3: deliver the next message in flight (the AKE goes on)
//   op 4: an action of alice (start, send, end); op 5: one of bob
//   op 6: a message of the transcript replayed unchanged to alice
// Invariants after every record: every state is a state of the tables,
// ENCRYPTED has keys; alice is ENCRYPTED only with bob's fingerprint or her
// own (no other key can complete the AKE) in a version both allow; an
// established alice keeps its keys through input the harness did not get
// from bob.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <variant>
#include <vector>

#include "fuzz/support/harness.h"
#include "fuzz/support/mutator.h"
#include "protocol/wire/armor.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

constexpr uint8_t kOpCount = 7;

struct World {
  World(uint8_t config, uint64_t bob_seed)
      : alice_policy(PolicyFromBits(config)),
        bob_policy(PolicyFromBits(config >> 2)),
        alice(0, alice_policy, ~bob_seed),
        bob(1, bob_policy, bob_seed) {}

  void Take(Output out, bool from_alice) {
    for (std::string& s : out.to_send) in_flight.push_back({s, !from_alice});
  }
  // Delivers the next message in flight; it joins the transcript.
  void DeliverNext() {
    if (in_flight.empty()) return;
    InFlight next = std::move(in_flight.front());
    in_flight.pop_front();
    transcript.push_back(next.text);
    Party& receiver = next.to_alice ? alice : bob;
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

  Policy alice_policy, bob_policy;
  Party alice, bob;
  std::deque<InFlight> in_flight;
  std::vector<std::string> transcript;
};

bool VersionAllowed(const Policy& p, v3::Version v) {
  return v == v3::Version::kV2 ? p.allow_v2 : p.allow_v3;
}

void Check(const World& w, const KeySnapshot& before, bool from_bob) {
  CheckStates(*w.alice.session);
  CheckStates(*w.bob.session);
  const v3::Conversation& c = *SelectedV3ForTesting(*w.alice.session);
  if (c.message_state() == v3::MessageState::kEncrypted) {
    // Only keys whose owner signed can complete the AKE: bob's, or alice's
    // own when the fuzzer reflects her messages back to her (the spec does
    // not forbid talking to oneself; fuzz/README.md, findings).
    const store::Fingerprint& theirs = *c.their_fingerprint();
    if (theirs != w.bob.session->our_fingerprint() &&
        theirs != w.alice.session->our_fingerprint()) {
      OTR_FUZZ_FAIL();
    }
    if (!VersionAllowed(w.alice_policy, c.version()) ||
        !VersionAllowed(w.bob_policy, c.version())) {
      OTR_FUZZ_FAIL();
    }
  }
  // Only bob (whose key the fuzzer cannot sign with on its own) may change
  // an established alice's keys.
  if (!from_bob && before.has_keys && before.message_state == v3::MessageState::kEncrypted &&
      !(Snapshot(c) == before)) {
    OTR_FUZZ_FAIL();
  }
}

// Revealed MAC keys lie outside a Data Message's MAC: changing only them
// leaves a message as authentic as it was.
bool SameMacedPart(const v3::Message& a, const v3::Message& b) {
  const auto* da = std::get_if<v3::DataMessage>(&a);
  const auto* db = std::get_if<v3::DataMessage>(&b);
  return da != nullptr && db != nullptr && da->mac == db->mac &&
         v3::EncodeDataMessageMacInput(*da) == v3::EncodeDataMessageMacInput(*db);
}

std::string Text(ByteView bytes) { return std::string(bytes.begin(), bytes.end()); }

void Run(World& w, const RecordView& record) {
  ByteSource in(record.payload);
  const KeySnapshot before = Snapshot(*SelectedV3ForTesting(*w.alice.session));
  bool from_bob = false;
  switch (record.op % kOpCount) {
    case 0: {
      const std::string text = Text(record.payload);
      from_bob = w.KnownText(text);
      w.Take(w.alice.session->Receive(w.alice.clock.NowSeconds(), text), true);
      break;
    }
    case 1: {
      const std::string text = wire::EncodeArmor(record.payload);
      from_bob = w.KnownText(text);
      w.Take(w.alice.session->Receive(w.alice.clock.NowSeconds(), text), true);
      break;
    }
    case 2: {
      if (w.transcript.empty()) break;
      const std::string& original = w.transcript[in.Next() % w.transcript.size()];
      auto message = Dearmor(original);
      if (!message) break;
      InputChoices choices(in);
      const size_t changes = 1 + in.Next() % 3;
      for (size_t i = 0; i < changes; ++i) MutateMessage(*message, choices);
      const std::string text = Armor(*message);
      from_bob = w.KnownText(text) || SameMacedPart(*Dearmor(original), *message);
      w.Take(w.alice.session->Receive(w.alice.clock.NowSeconds(), text), true);
      break;
    }
    case 3:
      from_bob = true;  // the real protocol going on
      w.DeliverNext();
      break;
    case 4:
    case 5: {
      Party& who = record.op % kOpCount == 4 ? w.alice : w.bob;
      from_bob = true;  // a user action, not inbound data
      switch (in.Next() % 4) {
        case 0:
          w.Take(who.session->StartOtr(who.clock.NowSeconds()), &who == &w.alice);
          break;
        case 1:
          w.Take(who.session->Send(who.clock.NowSeconds(), Text(in.Rest())), &who == &w.alice);
          break;
        case 2:
          w.Take(who.session->EndOtr(who.clock.NowSeconds()), &who == &w.alice);
          break;
        default:
          who.clock.now += in.Next() * 10;  // heartbeats, stored messages
          w.Take(who.session->Send(who.clock.NowSeconds(), ""), &who == &w.alice);
          break;
      }
      break;
    }
    default: {
      if (w.transcript.empty()) break;
      from_bob = true;  // a real message of this run
      const std::string text = w.transcript[in.Next() % w.transcript.size()];
      w.Take(w.alice.session->Receive(w.alice.clock.NowSeconds(), text), true);
      break;
    }
  }
  Check(w, before, from_bob);
}

PayloadShape ShapeOfOp(uint8_t op) {
  return op % kOpCount == 1 ? PayloadShape{PayloadKind::kMessage, 0} : PayloadShape{};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const InputView input = ViewInput(data, size);
  World w(input.header[0], InputSeed(data, size));
  // Who starts, and how far the real AKE runs before the fuzzed input.
  const bool alice_starts = (input.header[0] & 0x10) != 0;
  Party& starter = alice_starts ? w.alice : w.bob;
  w.Take(starter.session->StartOtr(starter.clock.NowSeconds()), alice_starts);
  const size_t prefix = input.header[1] % 8;
  for (size_t i = 0; i < prefix; ++i) w.DeliverNext();
  Check(w, Snapshot(*SelectedV3ForTesting(*w.alice.session)), true);
  for (size_t i = 0; i < input.records.size() && i < 64; ++i) Run(w, input.records[i]);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return MutateStatefulInput(data, size, max_size, seed, ShapeOfOp, kOpCount);
}
