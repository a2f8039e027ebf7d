// Feeds fuzzed messages to an established v2 or v3 Session ("alice") whose
// peer ("bob") the fuzzer owns, secrets included (fixed keys, deterministic
// randomness): besides raw and structure-mutated input it can have bob seal
// any plaintext with his real keys, so fuzzed payloads and TLVs reach the
// logic behind the MAC check (otr v3 spec, "Data Exchange").
//
// Input (fuzz/support/harness.h): header byte 0 bit 0 picks v2 (else v3),
// bits 1-2 how many messages each side sends first (key rotation); then
// records:
//   op 0: raw transport text to alice
//   op 1: a binary OTR message, armoured, to alice (custom mutator: fields)
//   op 2: [flags][header choice] then a plaintext that bob seals validly
//         (custom mutator: message text and TLV list) and alice receives
//   op 3: [flags] then a plaintext bob seals; then one field of the sealed
//         message is changed (choices from the end of the payload)
//   op 4: bob sends text the ordinary way; op 5: alice sends text to bob
//   op 6: replay to alice a data message she already displayed
//   op 7: bob ends the conversation (a legitimate end)
// Invariants after every record: every state is a state of the tables;
// input that is not a valid message from bob (anything but ops 2, 4, 7 and
// op 3 changing only revealed MAC keys) leaves alice's keys (keyids and a
// hash of every secret held) and message state exactly as they were and
// displays nothing as encrypted; a replay is never displayed twice; alice
// leaves ENCRYPTED only through bob's TLV 1.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "fuzz/support/harness.h"
#include "fuzz/support/mutator.h"
#include "protocol/v3/tlv.h"
#include "protocol/wire/armor.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

constexpr uint8_t kOpCount = 8;

struct World {
  World(bool v2, uint64_t bob_seed)
      : alice(0, v2 ? Policy{.allow_v2 = true} : Policy::Manual(), ~bob_seed),
        bob(1, v2 ? Policy{.allow_v2 = true} : Policy::Manual(), bob_seed) {}
  Party alice, bob;
  std::vector<std::string> displayed;  // data messages alice displayed
};

std::string Text(ByteView bytes) { return std::string(bytes.begin(), bytes.end()); }

bool CarriesDisconnect(ByteView plaintext) {
  auto payload = v3::DecodeDataPayload(plaintext);
  if (!payload.ok()) return false;
  for (const v3::TlvRecord& r : payload->tlvs) {
    if (r.type == static_cast<uint16_t>(v3::TlvType::kDisconnected)) return true;
  }
  return false;
}

// Alice receives `text`. Her replies go to bob only after the checks: a
// fuzzed query may legitimately start a new AKE that bob completes.
Output ToAlice(World& w, const std::string& text) {
  Output out = w.alice.session->Receive(w.alice.clock.NowSeconds(), text);
  if (HasEncryptedDisplay(out)) w.displayed.push_back(text);
  return out;
}

void Run(World& w, const RecordView& record) {
  ByteSource in(record.payload);
  const KeySnapshot before = Snapshot(*SelectedV3ForTesting(*w.alice.session));
  // What the input is: not from bob (must change nothing), a valid message
  // from bob, or one that may also end the conversation.
  bool valid = false;
  bool may_end = false;
  Output out;
  switch (record.op % kOpCount) {
    case 0:
      out = ToAlice(w, Text(record.payload));
      break;
    case 1:
      out = ToAlice(w, wire::EncodeArmor(record.payload));
      break;
    case 2: {
      const uint8_t flags = in.Next();
      v3::Header header = HeaderFrom(*w.bob.session, *w.alice.session);
      const uint8_t choice = in.Next();
      if (choice % 8 == 1 && header.version == v3::Version::kV3) {
        header.receiver_instance = 0x1234;  // another instance of alice
      }
      const ByteView plaintext = in.Rest();
      auto sealed = SealAsPeer(*w.bob.session, header, flags, plaintext, w.bob.random);
      if (!sealed) break;
      valid = true;
      may_end = CarriesDisconnect(plaintext);
      out = ToAlice(w, Armor(*sealed));
      break;
    }
    case 3: {
      const uint8_t flags = in.Next();
      const size_t length = in.Next() % 64;
      Bytes plaintext;
      for (size_t i = 0; i < length; ++i) plaintext.push_back(in.Next());
      auto sealed = SealAsPeer(*w.bob.session, HeaderFrom(*w.bob.session, *w.alice.session), flags,
                               plaintext, w.bob.random);
      if (!sealed) break;
      v3::Message message = *sealed;
      InputChoices choices(in);
      MutateMessage(message, choices);
      const auto* changed = std::get_if<v3::DataMessage>(&message);
      valid = changed->mac == sealed->mac &&
              v3::EncodeDataMessageMacInput(*changed) == v3::EncodeDataMessageMacInput(*sealed);
      may_end = valid && CarriesDisconnect(plaintext);
      out = ToAlice(w, Armor(message));
      break;
    }
    case 4: {
      Output sent = w.bob.session->Send(w.bob.clock.NowSeconds(), Text(in.Rest()));
      valid = true;
      for (const std::string& s : sent.to_send) {
        Output o = ToAlice(w, s);
        out.display.insert(out.display.end(), o.display.begin(), o.display.end());
        out.to_send.insert(out.to_send.end(), o.to_send.begin(), o.to_send.end());
      }
      break;
    }
    case 5: {
      // Alice's own sending changes her keys legitimately: no key check.
      Pump(w.alice, w.bob, w.alice.session->Send(w.alice.clock.NowSeconds(), Text(in.Rest())),
           true);
      CheckStates(*w.alice.session);
      CheckStates(*w.bob.session);
      return;
    }
    case 6: {
      if (w.displayed.empty()) break;
      out = ToAlice(w, w.displayed[in.Next() % w.displayed.size()]);
      // "the counter ... must be larger than the last one received": a
      // replay is never shown again.
      if (HasEncryptedDisplay(out)) OTR_FUZZ_FAIL();
      break;
    }
    default: {
      valid = may_end = true;
      Pump(w.alice, w.bob, w.bob.session->EndOtr(w.bob.clock.NowSeconds()), false);
      break;
    }
  }
  CheckStates(*w.alice.session);
  CheckStates(*w.bob.session);
  const KeySnapshot after = Snapshot(*SelectedV3ForTesting(*w.alice.session));
  if (!valid) {
    if (!(after == before)) OTR_FUZZ_FAIL();
    if (HasEncryptedDisplay(out)) OTR_FUZZ_FAIL();
  }
  if (before.message_state == v3::MessageState::kEncrypted &&
      after.message_state != v3::MessageState::kEncrypted && !may_end) {
    OTR_FUZZ_FAIL();
  }
  Output replies;
  replies.to_send = std::move(out.to_send);
  Pump(w.alice, w.bob, std::move(replies), true);
  CheckStates(*w.alice.session);
  CheckStates(*w.bob.session);
}

PayloadShape ShapeOfOp(uint8_t op) {
  switch (op % kOpCount) {
    case 1:
      return {PayloadKind::kMessage, 0};
    case 2:
      return {PayloadKind::kPlaintext, 2};
    default:
      return {};
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const InputView input = ViewInput(data, size);
  World w((input.header[0] & 1) != 0, InputSeed(data, size));
  Pump(w.alice, w.bob, w.bob.session->StartOtr(w.bob.clock.NowSeconds()), false);
  if (w.alice.session->state() != ConversationState::kEncrypted ||
      w.bob.session->state() != ConversationState::kEncrypted) {
    OTR_FUZZ_FAIL();  // the real AKE between fixed parties must succeed
  }
  const size_t warmup = (input.header[0] >> 1) % 4;
  for (size_t i = 0; i < warmup; ++i) {
    Pump(w.alice, w.bob, w.bob.session->Send(w.bob.clock.NowSeconds(), "warm up"), false);
    Pump(w.alice, w.bob, w.alice.session->Send(w.alice.clock.NowSeconds(), "warm up"), true);
  }
  for (size_t i = 0; i < input.records.size() && i < 64; ++i) Run(w, input.records[i]);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return MutateStatefulInput(data, size, max_size, seed, ShapeOfOp, kOpCount);
}
