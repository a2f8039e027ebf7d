// Writes the seed corpora of the stateful fuzzers (record format of
// harness.h): scripted protocol runs that the fuzzers' ops replay, plus the
// binary messages of such runs as samples for the structure-aware mutator
// (the fuzzers seed their parties from the whole input, so these messages
// are well-formed but not valid in the fuzzed run).
//
//   bazel run //fuzz:write_stateful_seeds -- $PWD/fuzz/corpus
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz/support/harness.h"
#include "protocol/v3/tlv.h"
#include "protocol/wire/armor.h"

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

// The AKE between the fixed parties, as session_ake_fuzzer runs it.
std::vector<std::string> AkeTranscript(uint8_t config) {
  Party alice(0, PolicyFromBits(config), 1), bob(1, PolicyFromBits(config >> 2), 2);
  std::deque<InFlight> queue;
  const bool alice_starts = (config & 0x10) != 0;
  auto take = [&](Output out, bool from_alice) {
    for (std::string& s : out.to_send) queue.push_back({s, !from_alice});
  };
  take((alice_starts ? alice : bob)
           .session->StartOtr((alice_starts ? alice : bob).clock.NowSeconds()),
       alice_starts);
  std::vector<std::string> transcript;
  while (!queue.empty() && transcript.size() < 16) {
    InFlight next = queue.front();
    queue.pop_front();
    transcript.push_back(next.text);
    take((next.to_alice ? alice : bob)
             .session->Receive((next.to_alice ? alice : bob).clock.NowSeconds(), next.text),
         next.to_alice);
  }
  return transcript;
}

void AkeSeeds() {
  const std::string name = "session_ake_fuzzer";
  for (uint8_t config : {0x00, 0x10, 0x05, 0x15, 0x0a, 0x1a, 0x0f, 0x1f, 0x01, 0x06}) {
    for (uint8_t prefix = 0; prefix < 8; ++prefix) {
      Input run;
      run.header = {config, prefix};
      for (int i = 0; i < 6; ++i) run.records.push_back(Op(3));
      run.records.push_back(Op(5, "\x01hello"));
      run.records.push_back(Op(3));
      run.records.push_back(Op(6, {0}));
      Write(name, "run_" + std::to_string(config) + "_" + std::to_string(prefix), run);
    }
    // Every real message of the run as a binary record for the mutator,
    // and as a transcript mutation, at each depth.
    const std::vector<std::string> transcript = AkeTranscript(config);
    for (size_t i = 0; i < transcript.size(); ++i) {
      auto bytes = wire::DecodeArmor(transcript[i]);
      for (uint8_t prefix : {1, 2, 3, 4}) {
        Input input;
        input.header = {config, prefix};
        if (bytes.ok()) input.records.push_back(Op(1, *bytes));
        input.records.push_back(Op(2, {static_cast<uint8_t>(i), 1, 2, 3, 4, 5, 6, 7, 8}));
        input.records.push_back(Op(3));
        input.records.push_back(Op(0, transcript[i]));
        Write(name,
              "msg_" + std::to_string(config) + "_" + std::to_string(i) + "_" +
                  std::to_string(prefix),
              input);
      }
    }
  }
  Input text;
  text.header = {0x0f, 0};
  for (std::string_view t :
       {"?OTR?v23?", "?OTRv3?", "?OTR?", "?OTR Error: nope",
        "hi \t  \t\t\t\t \t \t \t    \t\t  \t   \t\t  \t\t", "?OTR:AAMC.", "?OTR|1|2|3,1,2,x,"}) {
    text.records.push_back(Op(0, t));
  }
  text.records.push_back(Op(4, {0}));
  text.records.push_back(Op(3));
  text.records.push_back(Op(5, {2}));
  Write(name, "texts", text);
}

Bytes Plaintext(std::string_view message, const std::vector<v3::TlvRecord>& tlvs) {
  auto encoded = v3::EncodeDataPayload(
      v3::DataPayload{Bytes(message.begin(), message.end()), !tlvs.empty(), tlvs});
  return encoded.ok() ? *encoded : Bytes();
}

v3::TlvRecord Tlv(const v3::Tlv& tlv) {
  auto r = v3::EncodeTlv(tlv);
  return r.ok() ? *r : v3::TlvRecord{};
}

Bytes Prefixed(std::initializer_list<uint8_t> prefix, const Bytes& rest) {
  Bytes out(prefix);
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

std::vector<Bytes> SamplePlaintexts() {
  v3::Smp1 smp1{{2}, {3}, {4}, {5}, {6}, {7}};
  v3::Smp2 smp2{{2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}};
  v3::Smp3 smp3{{2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}};
  v3::Smp4 smp4{{2}, {3}, {4}};
  return {
      Plaintext("hello", {}),
      Plaintext("", {Tlv(v3::Padding{Bytes(16, 0)})}),
      Plaintext("bye", {Tlv(v3::Disconnected{})}),
      Plaintext("", {Tlv(smp1)}),
      Plaintext("", {Tlv(v3::Smp1Q{Bytes{'q', '?'}, smp1})}),
      Plaintext("", {Tlv(smp2)}),
      Plaintext("", {Tlv(smp3)}),
      Plaintext("", {Tlv(smp4)}),
      Plaintext("", {Tlv(v3::SmpAbort{})}),
      Plaintext("k", {Tlv(v3::ExtraSymmetricKey{1, Bytes{'f'}})}),
      Plaintext("x", {v3::TlvRecord{0x1234, Bytes{1, 2}}, Tlv(v3::Padding{})}),
  };
}

void EstablishedSeeds() {
  const std::string name = "session_established_fuzzer";
  const std::vector<Bytes> plaintexts = SamplePlaintexts();
  for (uint8_t config : {0, 1, 2, 3, 6, 7}) {
    // A real data message of bob's for the binary op.
    Party alice(0, (config & 1) ? Policy{.allow_v2 = true} : Policy::Manual(), 3);
    Party bob(1, (config & 1) ? Policy{.allow_v2 = true} : Policy::Manual(), 4);
    Pump(alice, bob, bob.session->StartOtr(bob.clock.NowSeconds()), false);
    Output sent = bob.session->Send(bob.clock.NowSeconds(), "a real message");
    Bytes real;
    if (!sent.to_send.empty()) {
      auto bytes = wire::DecodeArmor(sent.to_send[0]);
      if (bytes.ok()) real = *bytes;
    }
    Input chat;
    chat.header = {config, 0};
    chat.records = {Op(4, "hi"), Op(5, "hello"),    Op(4, "how"),           Op(6, {0}),
                    Op(1, real), Op(0, "?OTR?v3?"), Op(0, "?OTR Error: x"), Op(0, "plain"),
                    Op(7)};
    Write(name, "chat_" + std::to_string(config), chat);
    for (size_t i = 0; i < plaintexts.size(); ++i) {
      Input input;
      input.header = {config, 0};
      input.records = {Op(2, Prefixed({0, 0}, plaintexts[i])),
                       Op(3, Prefixed({0, 8, 'a', 'b', 0, 0, 1, 0, 0, 0}, {1, 2, 3, 4, 5, 6, 7})),
                       Op(4, "x"),
                       Op(6, {0}),
                       Op(5, "y"),
                       Op(1, real)};
      Write(name, "sealed_" + std::to_string(config) + "_" + std::to_string(i), input);
    }
    for (uint8_t field = 0; field < 16; ++field) {
      Input input;
      input.header = {config, 0};
      input.records = {Op(3, {1, 4, 'a', 'b', 'c', 'd', 0, 0, 0, field, 0, 0, 0, 3, 0, 0, 0, 5}),
                       Op(4, "after")};
      Write(name, "field_" + std::to_string(config) + "_" + std::to_string(field), input);
    }
  }
}

void SmpSeeds() {
  const std::string name = "smp_fuzzer";
  const std::vector<Bytes> plaintexts = SamplePlaintexts();
  // op 5 payload: [direction: 0 to alice, 1 to bob][index][how]
  const Record to_bob = Op(5, {1, 0, 0}), to_alice = Op(5, {0, 0, 0});
  for (uint8_t v2 : {0, 1}) {
    for (uint8_t secrets : {0, 1}) {
      Input run;
      run.header = {v2, 0};
      run.records = {Op(0, {0, 0}), to_bob, Op(3, {secrets}), to_alice, to_bob, to_alice};
      Write(name, "alice_starts_" + std::to_string(v2) + "_" + std::to_string(secrets), run);
      run.records = {Op(1, {0}), to_alice, Op(2, {secrets}), to_bob, to_alice, to_bob};
      Write(name, "bob_starts_" + std::to_string(v2) + "_" + std::to_string(secrets), run);
      run.records = {Op(0, {0, 1}), to_bob, Op(3, {secrets}), Op(4, {1}), to_alice, to_alice};
      Write(name, "abort_" + std::to_string(v2) + "_" + std::to_string(secrets), run);
      run.records = {Op(0, {0, 0}), Op(1, {0}), to_bob, to_alice, to_bob, to_alice};
      Write(name, "both_start_" + std::to_string(v2) + "_" + std::to_string(secrets), run);
      // Bob's real SMP messages changed before he seals them.
      run.records = {Op(1, {secrets}), Op(7, {0, 1, 2, 3, 4, 5, 6, 7, 8}), Op(2, {0}),
                     to_bob,           Op(7, {0, 9, 9, 9, 9, 9}),          to_alice};
      Write(name, "mutated_" + std::to_string(v2) + "_" + std::to_string(secrets), run);
    }
    for (size_t i = 0; i < plaintexts.size(); ++i) {
      Input input;
      input.header = {v2, 0};
      input.records = {Op(6, plaintexts[i]), Op(2, {0}), to_bob, to_alice, Op(0, {1, 0}), to_bob};
      Write(name, "inject_" + std::to_string(v2) + "_" + std::to_string(i), input);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_ROOT (fuzz/corpus)\n", argv[0]);
    return 2;
  }
  root = argv[1];
  AkeSeeds();
  EstablishedSeeds();
  SmpSeeds();
  return 0;
}
