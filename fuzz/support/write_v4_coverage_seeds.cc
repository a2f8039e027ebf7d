// Writes the seed corpora of the v4 targets added for coverage (issue 21):
//
// v4_session_libotr_ng_fuzzer (record format of harness.h, ops of the
// fuzzer's header comment): for every world (who
// starts the variant's DAKE, the policies), scripted runs of talking in and
// out of order, replays, changed messages, SMP with the variant's secret
// (right, wrong, with a question, started by either, aborted), the extra
// symmetric key, expiry, an end and a new DAKE.
//
// v4_profile_lifecycle_fuzzer (bytes of its header comment): profiles with
// and without a DSA key, good and bad parameters, each change the owner
// re-signs, renewals, valid and expired times, right and wrong senders.
//
// Deterministic: the same files on every run.
//
//   bazel run //fuzz:write_v4_coverage_seeds -- $PWD/fuzz/corpus
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
  // Time to the next timeout (NextTimeout): the expiry of the conversation.
  s.push_back({"next_timeout",
               {Op(kBobHolds, "held"), Op(kTimePasses, {0, 0, 1}), Op(kBobSends, "after"),
                Op(kBobStarts), Op(kTimePasses, {0, 0, 1}), Op(kTimePasses, {0, 0, 1})}});
  return s;
}

int LibotrNgSeeds(const std::filesystem::path& dir) {
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
  return written;
}

void Put16(Bytes& b, int v) {
  b.push_back(static_cast<uint8_t>(v & 0xff));
  b.push_back(static_cast<uint8_t>((v >> 8) & 0xff));
}

int ProfileSeeds(const std::filesystem::path& dir) {
  struct Case {
    uint8_t flags;
    uint32_t tag;
    int expiry_hours;
    std::string versions;
  };
  const std::vector<Case> cases = {
      {0, 0x1000a11c, 24 * 7, "4"}, {1, 0x1000a11c, 24 * 7, "43"},
      {3, 0x10000b0b, 24, "34"},    {3, 0x1234, 24 * 30, "4"},
      {0, 0x50, 24, "4"},           {4, 0x1000a11c, 24, "4"},
      {0, 0x1000a11c, 24, "3"},     {0, 0x1000a11c, 24, "41"},
      {1, 0x1000a11c, 24, "4x3"},   {0, 0x1000a11c, -2, "4"},
      {2, 0x1000a11c, 48, "43"},    {1, 0x100, 1, "4"},
  };
  int written = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    for (uint8_t change = 0; change < 6; ++change) {
      if (i >= 4 && change >= 2) continue;  // every change for the first (valid) cases
      const Case& c = cases[i];
      Bytes b{static_cast<uint8_t>(i % 2), c.flags};
      for (int shift = 24; shift >= 0; shift -= 8)
        b.push_back(static_cast<uint8_t>(c.tag >> shift));
      Put16(b, c.expiry_hours);
      b.push_back(static_cast<uint8_t>(c.versions.size()));
      b.insert(b.end(), c.versions.begin(), c.versions.end());
      Put16(b, change % 2 == 0 ? 1 : 24 * 8);  // validated then
      b.push_back(change % 3 == 2 ? 0 : 1);    // sender: the owner, or not
      b.push_back(static_cast<uint8_t>(change | (i % 2 == 0 ? 0x08 : 0x80)));
      Put16(b, 24 * 14);  // renewed for two weeks
      b.push_back(static_cast<uint8_t>(change % 2 == 0 ? 0x03 : 0x01));
      std::filesystem::create_directories(dir);
      std::ofstream(dir / ("seed_" + std::to_string(i) + "_" + std::to_string(change)),
                    std::ios::binary)
          .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
      ++written;
    }
  }
  return written;
}

// prekey_storage_fuzzer: publications, counts, takes, purges, copies
// (ops of the fuzzer's header comment; expiries in minutes from now).
Bytes Pub(uint8_t owner, uint8_t tag, uint8_t flags, int8_t cp, int8_t pp,
          std::initializer_list<uint8_t> ids) {
  Bytes b{0,
          owner,
          tag,
          flags,
          static_cast<uint8_t>(cp),
          static_cast<uint8_t>(pp),
          static_cast<uint8_t>(ids.size())};
  for (uint8_t id : ids) {
    b.push_back(id);
    b.push_back(static_cast<uint8_t>(id + 0x40));  // the message's byte
  }
  return b;
}
Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

int StorageSeeds(const std::filesystem::path& dir) {
  const Bytes count{1, 0}, count_of{2, 0, 0}, take{3, 0}, purge{4}, copy{6};
  const Bytes wait{5, 200};  // 100 minutes
  const std::vector<Bytes> seeds = {
      // alice publishes both profiles and three messages; takes; counts.
      Cat({Pub(0, 0, 3, 10, 10, {1, 2, 3}), count, take, count_of, take, count}),
      // a repeated id within a publication, then against a stored one.
      Cat({Pub(0, 1, 3, 5, 5, {4, 4}), Pub(0, 1, 3, 5, 5, {4}), Pub(0, 1, 0, 0, 0, {5, 4}), count,
           take}),
      // messages before any profile; the profiles come and expire; purge.
      Cat({Pub(1, 2, 0, 0, 0, {1, 2}), Bytes{1, 1}, Pub(1, 2, 3, 50, 90, {}), Bytes{3, 1}, wait,
           Bytes{1, 1}, purge, Bytes{2, 1, 2}}),
      // two tags of one owner: ensembles in tag order; a copy in between.
      Cat({Pub(0, 2, 3, 50, 50, {6, 7}), Pub(0, 0, 3, 50, 50, {5}), copy, take, take, take}),
      // the prekey profile expires first; purge counts profiles and messages.
      Cat({Pub(2, 0, 3, 100, 2, {1, 2, 3}), Bytes{5, 10}, purge, Bytes{2, 2, 0}, wait, purge,
           copy}),
      // only a client profile: never taken; purged when it expires.
      Cat({Pub(0, 1, 1, 3, 0, {0}), take, Bytes{5, 20}, purge, count}),
  };
  std::filesystem::create_directories(dir);
  int written = 0;
  for (const Bytes& b : seeds) {
    std::ofstream(dir / ("seed_" + std::to_string(written++)), std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  }
  return written;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_v4_coverage_seeds CORPUS_ROOT\n");
    return 2;
  }
  const std::filesystem::path root(argv[1]);
  const int ng = LibotrNgSeeds(root / "v4_session_libotr_ng_fuzzer");
  const int profile = ProfileSeeds(root / "v4_profile_lifecycle_fuzzer");
  const int storage = StorageSeeds(root / "prekey_storage_fuzzer");
  std::printf("%d + %d + %d seeds written\n", ng, profile, storage);
  return 0;
}
