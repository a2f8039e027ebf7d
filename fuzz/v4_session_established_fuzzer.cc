// Feeds fuzzed input to an established OTRv4 conversation ("alice") whose
// peer ("bob") the fuzzer owns, secrets included (fixed long-term keys,
// deterministic randomness, fuzz/support/v4_harness.h): bob's real double
// ratchet seals any plaintext, so fuzzed payloads and TLVs get past the
// Authenticator and reach decryption, TLV parsing and the ratchet
// (otrv4.md, "Data Exchange", "When you receive a Data Message"); a sealed
// message with one field changed is re-MACed with bob's MKmac, so the change
// reaches the key derivation instead of stopping at the MAC; bob's messages
// can be held back and delivered out of order or again (skipped keys,
// "Deletion of Stored Message Keys", "Revealing MAC Keys"), and time passes
// (HandleTimeout: heartbeats, key deletion, "Session Expiration").
//
// Input (fuzz/support/harness.h records): header byte 0 bits 0-2 the world
// (who started the DAKE, the policies: v4_harness.h); then records:
//   op 0:  raw transport text to alice
//   op 1:  a binary OTRv4 message, armoured, to alice (custom mutator: fields)
//   op 2:  [flags] then a plaintext bob seals validly (custom mutator:
//          message text, TLV list, SMP bodies) and alice receives
//   op 3:  [flags][length] plaintext; bob seals it, one field is changed
//          (choices from the rest of the payload), and if the first choice
//          is odd the message is re-MACed with bob's MKmac
//   op 4:  [flags] then a plaintext bob seals and holds back
//   op 5:  [index] deliver a held message (again: a replay)
//   op 6:  bob sends text the ordinary way; op 7: alice sends text to bob
//   op 8:  [minutes lo][minutes hi] time passes (up to about 2 hours) for
//          both, then HandleTimeout on both
//   op 9:  [index] replay to alice a message she already displayed
//   op 10: bob ends the conversation; op 11: bob starts a new DAKE
// Invariants after every record: every state is a state of the tables and
// within its bounds (instances, stored message keys, MAC keys to reveal:
// CheckV4Session); input that is not a valid message from bob (ops 0, 1, 9,
// op 3 when a key field changed or the MAC no longer fits, op 5 the second
// time) leaves alice's conversation with bob exactly as it was (encrypted,
// SSID, fingerprint, a hash over every secret its ratchet holds) and shows
// nothing as encrypted; a replay is never shown again; alice leaves
// ENCRYPTED_MESSAGES only through bob's TLV 1, his end, or expiry. After
// the last record, bob can still talk to alice (CheckLiveness).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fuzz/support/harness.h"
#include "fuzz/support/mutator.h"
#include "fuzz/support/v4_harness.h"
#include "fuzz/support/v4_mutator.h"
#include "protocol/v4/messages/tlv.h"
#include "protocol/wire/armor.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

constexpr uint8_t kOpCount = 12;
constexpr size_t kMaxHeld = 32;

struct Held {
  std::string text;
  bool delivered = false;
};

struct World {
  V4World w;
  std::vector<Held> held;
  std::vector<std::string> displayed;  // data messages alice showed as encrypted
};

std::string Text(ByteView bytes) { return std::string(bytes.begin(), bytes.end()); }

bool CarriesDisconnect(ByteView plaintext) {
  const v4::DataPayload payload = v4::DecodeDataPayload(plaintext);
  for (const v4::TlvRecord& r : payload.tlvs) {
    if (r.type == static_cast<uint16_t>(v4::TlvType::kDisconnected)) return true;
  }
  return false;
}

// Alice receives `text`; her replies go to bob only after the checks.
Output ToAlice(World& world, const std::string& text) {
  V4Party& alice = world.w.alice;
  Output out = alice.session->Receive(alice.clock.NowSeconds(), text);
  if (AnyEncryptedDisplay(out.display)) world.displayed.push_back(text);
  return out;
}

void CheckBoth(World& world) {
  CheckV4Session(*world.w.alice.session);
  CheckV4Session(*world.w.bob.session);
}

void Run(World& world, const RecordView& record) {
  V4Party& alice = world.w.alice;
  V4Party& bob = world.w.bob;
  ByteSource in(record.payload);
  const V4Snapshot before = SnapshotV4(*alice.session, kBobTag);
  bool valid = false;    // a message bob made: alice's keys may change
  bool may_end = false;  // ... and it may end the conversation
  Output out;
  switch (record.op % kOpCount) {
    case 0:
      out = ToAlice(world, Text(record.payload));
      break;
    case 1:
      out = ToAlice(world, wire::EncodeArmor(record.payload));
      break;
    case 2: {
      const uint8_t flags = in.Next();
      const ByteView plaintext = in.Rest();
      auto sealed = SealAsBob(bob, flags, plaintext);
      if (!sealed) break;
      valid = true;
      may_end = CarriesDisconnect(plaintext);
      out = ToAlice(world, ArmorV4(sealed->message));
      break;
    }
    case 3: {
      const uint8_t flags = in.Next();
      const size_t length = in.Next() % 64;
      Bytes plaintext;
      for (size_t i = 0; i < length; ++i) plaintext.push_back(in.Next());
      auto sealed = SealAsBob(bob, flags, plaintext);
      if (!sealed) break;
      v4::Message message = sealed->message;
      InputChoices choices(in);
      const bool remac = choices.Next() % 2 == 1 && sealed->mk_mac.has_value();
      MutateV4Message(message, choices);
      if (remac) ReMac(std::get<v4::DataMessage>(message), *sealed->mk_mac);
      const std::string armored = ArmorV4(message);
      // The message as alice decodes it: a changed field may hold a value
      // that encodes like another (a Public DH Key of one zero byte is the
      // empty MPI), and what counts is what she receives.
      const std::optional<v4::Message> received = DearmorV4(armored);
      const auto* changed = received ? std::get_if<v4::DataMessage>(&*received) : nullptr;
      if (changed == nullptr) {
        valid = false;
      } else if (remac) {
        // Bob's key made the MAC: the message is his unless it names
        // another message key (then it cannot verify).
        valid = changed->ratchet_id == sealed->message.ratchet_id &&
                changed->message_id == sealed->message.message_id;
      } else {
        valid = changed->authenticator == sealed->message.authenticator &&
                v4::DataMessageMacInput(*changed) == v4::DataMessageMacInput(sealed->message);
      }
      // What alice will read, not what bob sealed: a changed ciphertext
      // under bob's re-made MAC is bob's message, and its flipped bytes
      // may make a Disconnected TLV (ChaCha20 flips what it flips).
      if (valid) {
        auto read = PeekPlaintextV4(alice, *changed);
        may_end = read && CarriesDisconnect(*read);
      }
      out = ToAlice(world, armored);
      break;
    }
    case 4: {
      const uint8_t flags = in.Next();
      if (world.held.size() >= kMaxHeld) break;
      auto sealed = SealAsBob(bob, flags, in.Rest());
      if (!sealed) break;
      // Bob's ratchet moved: nothing of alice's changed yet.
      world.held.push_back({ArmorV4(sealed->message), false});
      break;
    }
    case 5: {
      if (world.held.empty()) break;
      Held& h = world.held[in.Next() % world.held.size()];
      const bool first = !h.delivered;
      h.delivered = true;
      valid = first;
      if (first) {
        auto message = DearmorV4(h.text);
        const auto* data = message ? std::get_if<v4::DataMessage>(&*message) : nullptr;
        auto plaintext = data ? PeekPlaintextV4(alice, *data) : std::nullopt;
        may_end = plaintext && CarriesDisconnect(*plaintext);
      }
      out = ToAlice(world, h.text);
      if (!first && AnyEncryptedDisplay(out.display)) OTR_FUZZ_FAIL();  // shown twice
      break;
    }
    case 6: {
      Output sent = bob.session->Send(bob.clock.NowSeconds(), Text(in.Rest()));
      valid = true;
      for (const std::string& s : sent.to_send) {
        Output o = ToAlice(world, s);
        out.display.insert(out.display.end(), o.display.begin(), o.display.end());
        out.to_send.insert(out.to_send.end(), o.to_send.begin(), o.to_send.end());
      }
      break;
    }
    case 7:
      // Alice's own sending changes her ratchet legitimately.
      PumpV4(alice, bob, alice.session->Send(alice.clock.NowSeconds(), Text(in.Rest())), true);
      CheckBoth(world);
      return;
    case 8: {
      const uint64_t minutes = (in.Next() | uint64_t{in.Next()} << 8) % 130;
      alice.clock.now += minutes * 60;
      bob.clock.now += minutes * 60;
      PumpV4(alice, bob, bob.session->HandleTimeout(bob.clock.NowSeconds()), false);
      PumpV4(alice, bob, alice.session->HandleTimeout(alice.clock.NowSeconds()), true);
      CheckBoth(world);
      return;
    }
    case 9: {
      if (world.displayed.empty()) break;
      const std::string text = world.displayed[in.Next() % world.displayed.size()];
      out = ToAlice(world, text);
      // "If the message ... has already been received ... discard it": a
      // replay is never shown again.
      if (AnyEncryptedDisplay(out.display)) OTR_FUZZ_FAIL();
      break;
    }
    case 10:
      valid = may_end = true;
      PumpV4(alice, bob, bob.session->EndOtr(bob.clock.NowSeconds()), false);
      break;
    default:
      // A new DAKE with the honest peer: the keys switch when it completes.
      valid = true;
      PumpV4(alice, bob, bob.session->StartOtr(bob.clock.NowSeconds()), false);
      break;
  }
  CheckBoth(world);
  const V4Snapshot after = SnapshotV4(*alice.session, kBobTag);
  if (!valid) {
    if (!(after == before)) OTR_FUZZ_FAIL();
    if (AnyEncryptedDisplay(out.display)) OTR_FUZZ_FAIL();
  }
  if (before.encrypted && !after.encrypted && !may_end) OTR_FUZZ_FAIL();
  Output replies;
  replies.to_send = std::move(out.to_send);
  PumpV4(alice, bob, std::move(replies), true);
  CheckBoth(world);
}

PayloadShape ShapeOfOp(uint8_t op) {
  switch (op % kOpCount) {
    case 1:
      return {PayloadKind::kV4Message, 0};
    case 2:
    case 4:
      return {PayloadKind::kV4Plaintext, 1};
    default:
      return {};
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const InputView input = ViewInput(data, size);
  World world{EstablishedV4World(input.header[0], InputSeed(data, size)), {}, {}};
  for (size_t i = 0; i < input.records.size() && i < 64; ++i) Run(world, input.records[i]);
  CheckLiveness(world.w.alice, world.w.bob);
  CheckBoth(world);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return MutateStatefulInput(data, size, max_size, seed, ShapeOfOp, kOpCount);
}
