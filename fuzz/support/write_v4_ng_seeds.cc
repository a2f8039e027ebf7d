// Writes the seed corpus of v4_session_libotr_ng_fuzzer (record format of
// harness.h, ops of the fuzzer's header comment): for every world (who
// starts the variant's DAKE, the policies), scripted runs of talking in and
// out of order, replays, changed messages, SMP with the variant's secret
// (right, wrong, with a question, started by either, aborted), the extra
// symmetric key, expiry, an end and a new DAKE. Deterministic: the same
// files on every run.
//
//   bazel run //fuzz:write_v4_ng_seeds -- $PWD/fuzz/corpus
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/support/harness.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

// The fuzzer's ops.
enum : uint8_t {
  kRawText = 0,
  kBinary = 1,
  kBobSends = 2,
  kBobHolds = 3,
  kDeliverHeld = 4,
  kChangeHeld = 5,
  kAliceSends = 6,
  kSmpStart = 7,
  kSmpRespond = 8,
  kSmpAbort = 9,
  kTimePasses = 10,
  kBobEnds = 11,
  kBobStarts = 12,
  kExtraKey = 13,
  kReplayDisplayed = 14,
};

Record Op(uint8_t op, std::string_view text = {}) {
  return Record{op, Bytes(text.begin(), text.end())};
}
Record Op(uint8_t op, std::initializer_list<uint8_t> bytes, std::string_view rest = {}) {
  Record r{op, Bytes(bytes)};
  r.payload.insert(r.payload.end(), rest.begin(), rest.end());
  return r;
}

void Write(const std::filesystem::path& dir, const std::string& name, const Input& input) {
  std::filesystem::create_directories(dir);
  const Bytes bytes = SerializeInput(input);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

struct Script {
  const char* name;
  std::vector<Record> records;
};

std::vector<Script> Scripts() {
  std::vector<Script> s;
  s.push_back({"talk",
               {Op(kBobSends, "hello"), Op(kAliceSends, "hi"), Op(kBobSends, "how are you"),
                Op(kBobSends, ""), Op(kAliceSends, "fine"), Op(kReplayDisplayed, {0})}});
  // "Deletion of Stored Message Keys": skipped keys, then each once.
  s.push_back({"out_of_order",
               {Op(kBobHolds, "one"), Op(kBobHolds, "two"), Op(kBobHolds, "three"),
                Op(kDeliverHeld, {2}), Op(kDeliverHeld, {0}), Op(kDeliverHeld, {1}),
                Op(kDeliverHeld, {1}), Op(kAliceSends, "got them"), Op(kBobHolds, "four"),
                Op(kAliceSends, "a new chain"), Op(kBobSends, "five"), Op(kDeliverHeld, {3})}});
  s.push_back({"changed",
               {Op(kBobHolds, "to change"), Op(kChangeHeld, {0, 0, 20, 0, 1}),
                Op(kChangeHeld, {0, 1, 60, 0, 0x80, 70, 0, 4}), Op(kChangeHeld, {0, 0, 11, 0, 2}),
                Op(kChangeHeld, {0, 0, 0xf0, 0, 0x10}), Op(kDeliverHeld, {0}),
                Op(kBinary, {0, 4, 3, 0x10, 0, 0x0b, 0x0b, 0x10, 0, 0xa1, 0x1c}),
                Op(kRawText, "?OTR:AAQD"), Op(kRawText, "?OTRv4?")}});
  s.push_back({"smp_right",
               {Op(kSmpStart, {0, 0}, "secret"), Op(kSmpRespond, {1}), Op(kBobSends, "after")}});
  s.push_back({"smp_wrong_question",
               {Op(kSmpStart, {1, 1}, "ours"), Op(kSmpRespond, {0}, "theirs"),
                Op(kSmpStart, {0, 1}, ""), Op(kSmpRespond, {1})}});
  s.push_back({"smp_abort",
               {Op(kSmpStart, {0, 0}, "s"), Op(kSmpAbort, {1}), Op(kSmpRespond, {1}),
                Op(kSmpStart, {1, 0}, "s"), Op(kSmpAbort, {0}), Op(kSmpAbort, {1})}});
  s.push_back({"extra_key",
               {Op(kExtraKey, {1, 0, 0, 0, 1}, "file"), Op(kExtraKey, {0, 0, 0, 0, 2}),
                Op(kBobSends, "and text")}});
  // "Session Expiration", heartbeats; then the honest ends and restarts.
  s.push_back({"expiry",
               {Op(kBobHolds, "late"), Op(kTimePasses, {30, 0}), Op(kDeliverHeld, {0}),
                Op(kTimePasses, {129, 0}), Op(kBobSends, "after expiry"), Op(kBobStarts)}});
  s.push_back({"end_restart",
               {Op(kBobHolds, "before the end"), Op(kBobEnds), Op(kDeliverHeld, {0}),
                Op(kAliceSends, "still there?"), Op(kBobStarts), Op(kBobSends, "back"),
                Op(kBobStarts), Op(kSmpStart, {1, 0}, "x"), Op(kSmpRespond, {1})}});
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_v4_ng_seeds CORPUS_ROOT\n");
    return 2;
  }
  const std::filesystem::path dir = std::filesystem::path(argv[1]) / "v4_session_libotr_ng_fuzzer";
  int written = 0;
  // Every world for the first scripts; the rest in the two most common.
  const std::vector<Script> scripts = Scripts();
  for (uint8_t config = 0; config < 8; ++config) {
    for (size_t i = 0; i < scripts.size(); ++i) {
      if (i >= 5 && config >= 2) continue;
      Input input;
      input.header = {config, 0};
      input.records = scripts[i].records;
      Write(dir, "seed_" + std::to_string(config) + "_" + scripts[i].name, input);
      ++written;
    }
  }
  std::printf("%d seeds in %s\n", written, dir.c_str());
  return 0;
}
