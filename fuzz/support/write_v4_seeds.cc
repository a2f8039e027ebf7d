// Writes the seed corpora of the stateful OTRv4 fuzzers (record format of
// harness.h, worlds of v4_harness.h): scripted runs that the fuzzers' ops
// replay, plus the binary messages of such runs as samples for the
// structure-aware mutator (the parties are seeded from the whole input, so
// those messages are well-formed but, beyond the DAKE's replays, not valid
// in the fuzzed run).
//
//   bazel run //fuzz:write_v4_stateful_seeds -- $PWD/fuzz/corpus
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "fuzz/support/harness.h"
#include "fuzz/support/v4_harness.h"
#include "fuzz/support/v4_offline.h"
#include "protocol/v4/messages/smp.h"
#include "protocol/v4/messages/tlv.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/whitespace_tag.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

std::filesystem::path root;

void Write(const std::string& fuzzer, const std::string& name, const Input& input) {
  const std::filesystem::path dir = root / fuzzer;
  std::filesystem::create_directories(dir);
  const Bytes bytes = SerializeInput(input);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

Record Op(uint8_t op, ByteView payload = {}) {
  return Record{op, Bytes(payload.begin(), payload.end())};
}
Record Op(uint8_t op, std::string_view text) { return Record{op, Bytes(text.begin(), text.end())}; }
Record Op(uint8_t op, std::initializer_list<uint8_t> bytes) { return Record{op, Bytes(bytes)}; }
Record Op(uint8_t op, uint8_t prefix, ByteView rest) {
  Record r{op, Bytes{prefix}};
  r.payload.insert(r.payload.end(), rest.begin(), rest.end());
  return r;
}

// A Data Message plaintext: message, NUL, the TLVs.
Bytes Plaintext(std::string_view message, const std::vector<v4::TlvRecord>& tlvs) {
  v4::DataPayload payload;
  payload.message.assign(message.begin(), message.end());
  payload.has_tlv_part = !tlvs.empty();
  payload.tlvs = tlvs;
  auto encoded = v4::EncodeDataPayload(payload);
  return encoded.ok() ? *encoded : Bytes();
}

v4::TlvRecord Tlv(v4::TlvType type, Bytes value = {}) {
  return v4::TlvRecord{static_cast<uint16_t>(type), std::move(value)};
}

// One TLV of every type (SMP bodies all zero: they fail the Ed448Group
// checks first; the mutator and the SMP seeds' real bodies go further).
std::vector<std::vector<v4::TlvRecord>> TlvSamples() {
  std::vector<std::vector<v4::TlvRecord>> out;
  out.push_back({Tlv(v4::TlvType::kPadding, Bytes(17, 0))});
  out.push_back({Tlv(v4::TlvType::kDisconnected)});
  out.push_back({Tlv(v4::TlvType::kDisconnected, Bytes(64, 7))});
  out.push_back({Tlv(v4::TlvType::kSmp1, v4::EncodeSmpMessage1({}))});
  out.push_back({Tlv(v4::TlvType::kSmp2, v4::EncodeSmpMessage2({}))});
  out.push_back({Tlv(v4::TlvType::kSmp3, v4::EncodeSmpMessage3({}))});
  out.push_back({Tlv(v4::TlvType::kSmp4, v4::EncodeSmpMessage4({}))});
  out.push_back({Tlv(v4::TlvType::kSmpAbort)});
  out.push_back({Tlv(v4::TlvType::kExtraSymmetricKey, Bytes{0, 0, 0, 1, 'u', 's', 'e'})});
  out.push_back({Tlv(static_cast<v4::TlvType>(42), Bytes{1, 2, 3})});
  out.push_back({Tlv(v4::TlvType::kPadding), Tlv(v4::TlvType::kSmpAbort),
                 Tlv(v4::TlvType::kExtraSymmetricKey, Bytes{0, 0, 0, 2})});
  return out;
}

// The interactive DAKE as v4_session_dake_fuzzer runs it (its messages).
std::vector<std::string> DakeTranscript(uint8_t config) {
  V4Party alice(0, V4PolicyFromBits(config), 1), bob(1, V4PolicyFromBits(config >> 2), 2);
  std::deque<InFlight> queue;
  const bool alice_starts = (config & 0x10) != 0;
  auto take = [&](Output out, bool from_alice) {
    for (std::string& s : out.to_send) queue.push_back({s, !from_alice});
  };
  V4Party& starter = alice_starts ? alice : bob;
  take(starter.session->StartOtr(starter.clock.NowSeconds()), alice_starts);
  std::vector<std::string> transcript;
  while (!queue.empty() && transcript.size() < 16) {
    InFlight next = queue.front();
    queue.pop_front();
    transcript.push_back(next.text);
    V4Party& receiver = next.to_alice ? alice : bob;
    take(receiver.session->Receive(receiver.clock.NowSeconds(), next.text), next.to_alice);
  }
  // And one Data Message each way.
  take(bob.session->Send(bob.clock.NowSeconds(), "data"), false);
  take(alice.session->Send(alice.clock.NowSeconds(), "data"), true);
  for (InFlight& f : queue) transcript.push_back(f.text);
  return transcript;
}

void DakeSeeds() {
  const std::string name = "v4_session_dake_fuzzer";
  // Policies: v3-compatible, standalone, interactive-only, opportunistic
  // for each side, either starter; every depth of the real DAKE.
  for (uint8_t config : {0x00, 0x10, 0x05, 0x1a, 0x0f, 0x12}) {
    for (uint8_t prefix = 0; prefix < 6; ++prefix) {
      Input run;
      run.header = {config, prefix};
      for (int i = 0; i < 5; ++i) run.records.push_back(Op(3));
      run.records.push_back(Op(5, "\x01hello"));
      run.records.push_back(Op(3));
      run.records.push_back(Op(6, {0}));
      run.records.push_back(Op(6, {1}));
      run.records.push_back(Op(4, "\x01hi"));
      run.records.push_back(Op(3));
      Write(name, "run_" + std::to_string(config) + "_" + std::to_string(prefix), run);
    }
    // Every real message of the run as a binary sample for the mutator (at
    // the depth where it was sent), and changed in the transcript.
    const std::vector<std::string> transcript = DakeTranscript(config);
    for (size_t i = 0; i < transcript.size(); ++i) {
      auto bytes = wire::DecodeArmor(transcript[i]);
      if (!bytes.ok()) continue;
      const uint8_t depth = static_cast<uint8_t>(i);
      Input sample;
      sample.header = {config, depth};
      sample.records.push_back(Op(1, *bytes));
      sample.records.push_back(Op(3));
      Write(name, "msg_" + std::to_string(config) + "_" + std::to_string(i), sample);
      Input mutated;
      mutated.header = {config, static_cast<uint8_t>(depth + 1)};
      for (uint8_t what = 0; what < 6; ++what) {
        mutated.records.push_back(Op(2, {static_cast<uint8_t>(i), 0, 0, 0, what, 0, 0, 0,
                                         static_cast<uint8_t>(what * 3), 0}));
      }
      mutated.records.push_back(Op(3));
      mutated.records.push_back(Op(3));
      Write(name, "mut_" + std::to_string(config) + "_" + std::to_string(i), mutated);
    }
  }
  // The text layer in every state: queries, tagged plaintext, errors, plain
  // text, an end in the middle, time passing.
  const std::string texts[] = {"?OTRv4?",
                               "?OTRv43?",
                               "?OTRv3?",
                               "?OTR?v2?",
                               "?OTRv?",
                               "hi" + wire::WhitespaceTag({4}),
                               "hi" + wire::WhitespaceTag({3, 4}),
                               "?OTR Error: ERROR_2",
                               "?OTR Error: ERROR_1",
                               "plain text"};
  for (uint8_t prefix = 0; prefix < 4; ++prefix) {
    for (size_t t = prefix % 2; t < std::size(texts); t += 2) {
      Input run;
      run.header = {static_cast<uint8_t>(prefix % 2 == 0 ? 0x00 : 0x15), prefix};
      run.records.push_back(Op(0, texts[t]));
      run.records.push_back(Op(3));
      run.records.push_back(Op(3));
      Write(name, "text_" + std::to_string(prefix) + "_" + std::to_string(t), run);
    }
    Input ends;
    ends.header = {0x00, prefix};
    ends.records.push_back(Op(4, {2}));
    ends.records.push_back(Op(3));
    ends.records.push_back(Op(5, {3, 200}));
    ends.records.push_back(Op(4, {3, 250}));
    ends.records.push_back(Op(7));
    ends.records.push_back(Op(3));
    Write(name, "end_" + std::to_string(prefix), ends);
  }
}

void EstablishedSeeds() {
  const std::string name = "v4_session_established_fuzzer";
  const auto tlvs = TlvSamples();
  for (uint8_t config = 0; config < 8; ++config) {
    Input chat;
    chat.header = {config, 0};
    for (int i = 0; i < 4; ++i) {
      chat.records.push_back(Op(6, "hello alice"));
      chat.records.push_back(Op(7, "hello bob"));
    }
    chat.records.push_back(Op(9, {0}));
    Write(name, "chat_" + std::to_string(config), chat);
  }
  for (size_t t = 0; t < tlvs.size(); ++t) {
    Input sealed;
    sealed.header = {static_cast<uint8_t>(t % 8), 0};
    sealed.records.push_back(Op(2, 0, Plaintext("text", tlvs[t])));
    sealed.records.push_back(Op(2, v4::kFlagIgnoreUnreadable, Plaintext("", tlvs[t])));
    sealed.records.push_back(Op(6, "after"));
    Write(name, "tlv_" + std::to_string(t), sealed);
    Input held;
    held.header = {static_cast<uint8_t>(t % 8), 0};
    held.records.push_back(Op(4, 0, Plaintext("held", tlvs[t])));
    Write(name, "held_tlv_" + std::to_string(t), held);
  }
  // Out of order, skipped keys across ratchets, replays.
  for (uint8_t config : {0, 3, 6}) {
    Input ooo;
    ooo.header = {config, 0};
    for (int i = 0; i < 3; ++i) ooo.records.push_back(Op(4, 0, Plaintext("first chain", {})));
    ooo.records.push_back(Op(5, {2}));
    ooo.records.push_back(Op(7, "turn"));
    for (int i = 0; i < 3; ++i) ooo.records.push_back(Op(4, 0, Plaintext("second chain", {})));
    ooo.records.push_back(Op(5, {4}));
    ooo.records.push_back(Op(5, {0}));
    ooo.records.push_back(Op(5, {1}));
    ooo.records.push_back(Op(5, {1}));
    ooo.records.push_back(Op(5, {3}));
    ooo.records.push_back(Op(5, {5}));
    ooo.records.push_back(Op(9, {1}));
    Write(name, "out_of_order_" + std::to_string(config), ooo);
  }
  // Time: heartbeats, stored key deletion (an hour), session expiry (2 h).
  for (uint8_t minutes : {2, 61, 125}) {
    Input time;
    time.header = {1, 0};
    time.records.push_back(Op(4, 0, Plaintext("skipped", {})));
    time.records.push_back(Op(4, 0, Plaintext("late", {})));
    time.records.push_back(Op(5, {1}));
    time.records.push_back(Op(6, "x"));
    time.records.push_back(Op(8, {minutes, 0}));
    time.records.push_back(Op(5, {0}));
    time.records.push_back(Op(7, "still here"));
    time.records.push_back(Op(8, {minutes, 0}));
    time.records.push_back(Op(6, "and you?"));
    Write(name, "time_" + std::to_string(minutes), time);
  }
  // A field changed after sealing, re-MACed (odd first choice) or not, for
  // each of the mutator's Data Message fields.
  for (uint8_t field = 0; field < 11; ++field) {
    for (uint8_t remac : {0, 1}) {
      Input changed;
      changed.header = {static_cast<uint8_t>(field % 8), 0};
      changed.records.push_back(Op(7, "a new ratchet for bob"));
      changed.records.push_back(Op(6, "bob's chain runs"));
      changed.records.push_back(Op(
          3, {0, 4, 'a', 'b', 'c', 'd', 0, 0, 0, remac, 0, 0, 0, field, 0, 0, 0, 3, 0, 0, 0, 1}));
      changed.records.push_back(Op(6, "after"));
      Write(name, "field_" + std::to_string(field) + "_" + std::to_string(remac), changed);
    }
  }
  Input end;
  end.header = {0, 0};
  end.records.push_back(Op(10));
  end.records.push_back(Op(6, "plain"));
  end.records.push_back(Op(11));
  end.records.push_back(Op(6, "again"));
  Write(name, "end_restart", end);
  // Real messages of a run as binary samples (op 1), and raw text.
  const std::vector<std::string> transcript = DakeTranscript(0);
  for (size_t i = 0; i < transcript.size(); ++i) {
    auto bytes = wire::DecodeArmor(transcript[i]);
    if (!bytes.ok()) continue;
    Input sample;
    sample.header = {0, 0};
    sample.records.push_back(Op(1, *bytes));
    sample.records.push_back(Op(6, "after"));
    Write(name, "msg_" + std::to_string(i), sample);
  }
  Input texts;
  texts.header = {2, 0};
  for (const char* t : {"?OTRv4?", "?OTRv43?", "?OTR Error: ERROR_1", "plain", "?OTR,1,2,3,"}) {
    texts.records.push_back(Op(0, t));
  }
  Write(name, "texts", texts);
}

void SmpSeeds() {
  const std::string name = "v4_session_smp_fuzzer";
  auto run = [&](const std::string& file, uint8_t config, std::vector<Record> records) {
    Input input;
    input.header = {config, 0};
    input.records = std::move(records);
    Write(name, file, input);
  };
  // Op 5 payloads: [direction: 0 to alice, 1 to bob][index][how: 0 deliver].
  const Record to_alice = Op(5, {0, 0, 0}), to_bob = Op(5, {1, 0, 0});
  for (uint8_t config = 0; config < 8; ++config) {
    const std::string c = std::to_string(config);
    run("equal_" + c, config,
        {Op(0, {0, 0}), to_bob, Op(3, {0}), to_alice, to_bob, to_alice, to_bob});
    run("question_" + c, config,
        {Op(0, {0, 1}), to_bob, Op(3, {0}), to_alice, to_bob, to_alice, to_bob});
    run("different_" + c, config,
        {Op(0, {0, 0}), to_bob, Op(3, {1}), to_alice, to_bob, to_alice, to_bob});
    run("bob_starts_" + c, config,
        {Op(1, {0}), to_alice, Op(2, {0}), to_bob, to_alice, to_bob, to_alice});
  }
  run("abort", 0, {Op(0, {0, 0}), to_bob, Op(4, {1}), to_alice, to_alice});
  run("simultaneous", 1, {Op(0, {0, 0}), Op(1, {0}), to_bob, to_alice, to_bob, to_alice});
  run("reorder", 2,
      {Op(0, {0, 0}), to_bob, Op(3, {0}), Op(5, {0, 0, 3}), to_alice, to_alice, to_bob});
  // Bob's real SMP messages with one point or scalar changed (op 7: index,
  // then mutator choices: the TLV-value mutation on record 0).
  for (uint8_t step = 0; step < 4; ++step) {
    for (uint8_t what = 0; what < 8; ++what) {
      std::vector<Record> records = {Op(0, {0, 0}), to_bob, Op(3, {0})};
      if (step >= 2) {
        records.push_back(to_alice);
        records.push_back(to_bob);
      }
      records.push_back(Op(7, {0, 0, 0,    0, 6, 0,    0,
                               0, 0, 0,    0, 0, what, 0,
                               0, 0, step, 0, 0, 0,    static_cast<uint8_t>(what * 7)}));
      records.push_back(to_bob);
      records.push_back(to_alice);
      run("mutated_" + std::to_string(step) + "_" + std::to_string(what), step, records);
    }
  }
  // Sealed SMP TLVs (zero bodies), an abort TLV, a disconnect.
  const auto tlvs = TlvSamples();
  for (size_t t = 0; t < tlvs.size(); ++t) {
    run("inject_" + std::to_string(t), 0,
        {Op(0, {0, 0}), Op(6, Plaintext("", tlvs[t])), to_bob, to_alice});
  }
}

// Alice's offline start from bob's first ensemble and one message, as
// v4_session_offline_fuzzer runs it (alice's policy: bits 2-3 of `config`).
std::vector<std::string> OfflineTranscript(uint8_t config) {
  V4Party alice(0, V4PolicyFromBits(config >> 2), 1);
  Output out =
      alice.session->StartOffline(alice.clock.NowSeconds(), {FixedBobPrekeys().ensembles[0]});
  std::vector<std::string> wire = std::move(out.to_send);
  for (std::string& s : alice.session->Send(alice.clock.NowSeconds(), "data").to_send) {
    wire.push_back(std::move(s));
  }
  return wire;
}

void OfflineSeeds() {
  const std::string name = "v4_session_offline_fuzzer";
  // Header byte 0: bob's policy (bits 0-1), alice's (bits 2-3); byte 1:
  // the ensembles alice gets (bits 0-1), her messages (bits 2-3).
  for (uint8_t config : {0x05, 0x00, 0x0f, 0x04, 0x06, 0x01, 0x0d}) {
    for (uint8_t written : {0x00, 0x05, 0x0e, 0x0b}) {
      Input run;
      run.header = {config, written};
      for (int i = 0; i < 4; ++i) run.records.push_back(Op(3));
      run.records.push_back(Op(6, {0}));            // the Non-Interactive-Auth again
      run.records.push_back(Op(4, {1, 'h', 'i'}));  // bob replies
      run.records.push_back(Op(3));
      run.records.push_back(Op(5, {1, 'y', 'o'}));  // alice goes on
      run.records.push_back(Op(3));
      Write(name, "run_" + std::to_string(config) + "_" + std::to_string(written), run);
    }
  }
  // Bob comes back late (the Prekey Profile's extra validity, expiry), out
  // of order, twice from the same prekey, after a drop, after an end.
  const std::vector<std::vector<Record>> scripts = {
      {Op(4, {3, 255}), Op(4, {3, 255}), Op(3), Op(3), Op(3)},
      {Op(7), Op(3), Op(3), Op(6, {0})},
      {Op(5, {0, 0}), Op(3), Op(3), Op(3), Op(3), Op(5, {1, 'x'}), Op(3)},
      {Op(5, {0, 3}), Op(5, {0, 1}), Op(3), Op(3), Op(3), Op(3), Op(3)},
      {Op(3), Op(4, {2}), Op(3), Op(3), Op(6, {1}), Op(6, {0})},
      {Op(4, {0}), Op(3), Op(3), Op(3), Op(3), Op(3)},
      {Op(5, {2}), Op(3), Op(3), Op(3)},
  };
  for (size_t i = 0; i < scripts.size(); ++i) {
    Input run;
    run.header = {0x05, 0x0b};
    run.records = scripts[i];
    Write(name, "script_" + std::to_string(i), run);
  }
  // Alice's real messages as binary samples (op 1), and changed (op 2: the
  // Non-Interactive-Auth's fields one by one, then the data message's).
  for (uint8_t config : {0x05, 0x00}) {
    const std::vector<std::string> transcript = OfflineTranscript(config);
    for (size_t i = 0; i < transcript.size(); ++i) {
      auto bytes = wire::DecodeArmor(transcript[i]);
      if (!bytes.ok()) continue;
      Input sample;
      sample.header = {config, 0x04};
      sample.records.push_back(Op(1, *bytes));
      sample.records.push_back(Op(3));
      sample.records.push_back(Op(3));
      Write(name, "msg_" + std::to_string(config) + "_" + std::to_string(i), sample);
      Input mutated;
      mutated.header = {config, 0x04};
      mutated.records.push_back(Op(3));
      for (uint8_t what = 0; what < 11; ++what) {
        mutated.records.push_back(Op(2, {static_cast<uint8_t>(i), 0, 0, 0, what, 0, 0, 0,
                                         static_cast<uint8_t>(what * 3), 0}));
      }
      mutated.records.push_back(Op(3));
      Write(name, "mut_" + std::to_string(config) + "_" + std::to_string(i), mutated);
    }
  }
}

// A Session's retrieval of bob's ensembles, as v4_session_prekey_fuzzer runs
// it. Op 3's payload: flags, fragment size, count, (ensemble, change)...
Record AnswerOp(std::initializer_list<uint8_t> bytes) { return Op(3, bytes); }

void PrekeySeeds() {
  const std::string name = "v4_session_prekey_fuzzer";
  const Record deliver_all = Op(7, {2});
  const Record alice_says = Op(7, {3, 'h', 'i'});
  // Every policy pair but alice's interactive-only (header byte 0: alice
  // bits 0-1, bob bits 2-3): ask, one ensemble, deliver, talk.
  for (uint8_t alice : {0, 1, 3}) {
    for (uint8_t bob : {0, 1, 3}) {
      Input run;
      run.header = {static_cast<uint8_t>(alice | bob << 2), 0};
      run.records = {Op(2), AnswerOp({0, 0, 0, 0, 0}), deliver_all, alice_says, deliver_all};
      Write(name, "run_" + std::to_string(alice) + "_" + std::to_string(bob), run);
    }
  }
  // Each change of an ensemble (AnswerEnsemble), alone and beside bob's
  // unchanged second ensemble.
  for (uint8_t change = 0; change < 12; ++change) {
    Input alone;
    alone.header = {0x05, 1};
    alone.records = {AnswerOp({0, 0, 0, 0, change}), deliver_all, alice_says, deliver_all};
    Write(name, "change_" + std::to_string(change), alone);
    Input beside;
    beside.header = {0x05, 1};
    beside.records = {AnswerOp({0, 0, 1, 0, change, 1, 0}), deliver_all, alice_says, deliver_all};
    Write(name, "beside_" + std::to_string(change), beside);
  }
  // Answers: all three ensembles, the same one twice, another receiver tag,
  // another participant, in fragments, twice; No Prekey Ensembles.
  const std::vector<std::pair<std::string, std::vector<Record>>> scripts = {
      {"all_three", {AnswerOp({0, 0, 2, 0, 0, 1, 0, 2, 0}), deliver_all, alice_says}},
      {"duplicate", {AnswerOp({0, 0, 1, 1, 0, 1, 0}), deliver_all}},
      {"other_tag", {AnswerOp({1, 0, 0, 0, 0}), AnswerOp({0, 0, 0, 0, 0}), deliver_all}},
      {"other_participant", {AnswerOp({2, 0, 0, 0, 0}), AnswerOp({0, 0, 0, 0, 0})}},
      {"fragments", {AnswerOp({4, 100, 0, 2, 0, 0, 0, 0, 7}), deliver_all, alice_says}},
      {"small_fragments", {AnswerOp({4, 0, 1, 0, 0, 1, 0, 0, 0, 0, 9})}},
      {"twice", {AnswerOp({8, 0, 0, 0, 0}), deliver_all}},
      {"fragments_twice", {AnswerOp({12, 200, 0, 1, 0, 0, 0, 1, 1}), deliver_all}},
      {"no_ensembles", {Op(4, {0, 0, 'n', 'o', 'n', 'e'})}},
      {"no_ensembles_other", {Op(4, {3, 0, 'x'}), AnswerOp({0, 0, 0, 2, 0}), deliver_all}},
      {"no_ensembles_fragments", {Op(4, {4, 20, 'n', 'o', 't', ' ', 'h', 'e', 'r', 'e'})}},
      // Messages no retrieval awaits, before and after an answer.
      {"storage_status", {Op(5, {0, 1, 2, 3}), AnswerOp({0, 0, 0, 0, 0}), Op(5, {0})}},
      {"success", {Op(5, {1}), AnswerOp({0, 0, 0, 0, 0}), Op(5, {1})}},
      {"failure", {Op(5, {2}), Op(5, {0x82, 0, 0, 0, 9})}},
      {"dake2", {Op(5, {3}), AnswerOp({0, 0, 0, 0, 0})}},
      {"query", {Op(5, {4}), Op(6, {0}), AnswerOp({0, 0, 0, 0, 0})}},
      // Asking again while a query is in flight, after an answer, after an
      // end; the time-out; replays of answers.
      {"ask_twice", {Op(2), AnswerOp({0, 0, 0, 0, 0}), Op(2), AnswerOp({0, 0, 0, 1, 0})}},
      {"time_out", {Op(7, {4, 10}), AnswerOp({0, 0, 0, 0, 0}), Op(2), AnswerOp({0, 0, 0, 0, 0})}},
      {"replay", {AnswerOp({0, 0, 0, 0, 0}), Op(6, {1}), Op(2), Op(6, {1}), deliver_all}},
      {"end_and_again",
       {AnswerOp({0, 0, 0, 0, 0}), deliver_all, Op(7, {5}), deliver_all, Op(2),
        AnswerOp({0, 0, 0, 1, 0}), deliver_all, alice_says, deliver_all}},
      {"dropped", {AnswerOp({0, 0, 0, 0, 0}), Op(7, {1}), alice_says, deliver_all}},
      {"one_by_one", {AnswerOp({0, 0, 0, 0, 0}), Op(7, {3, 'a'}), Op(7, {0}), Op(7, {0})}},
      // Text from the server: garbage, a stray fragment, base64 of nothing.
      {"garbage", {Op(0, "hello."), Op(0, "?OTRP|1|2|3,1,2,abc,"), Op(1, {1, 2, 3})}},
      {"garbage_unasked", {Op(0, "AAQ=."), Op(1, {0, 4, 0x0f})}},
  };
  for (const auto& [label, records] : scripts) {
    Input run;
    run.header = {0x05, 1};
    run.records = records;
    Write(name, label, run);
  }
  // Alice's interactive-only mode (refuses to ask), and v3-compatible.
  for (uint8_t config : {0x06, 0x02, 0x0c}) {
    Input run;
    run.header = {config, 1};
    run.records = {Op(2), AnswerOp({0, 0, 0, 0, 0}), deliver_all};
    Write(name, "mode_" + std::to_string(config), run);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_v4_stateful_seeds <fuzz/corpus directory>\n");
    return 2;
  }
  root = argv[1];
  DakeSeeds();
  EstablishedSeeds();
  SmpSeeds();
  OfflineSeeds();
  PrekeySeeds();
  return 0;
}
