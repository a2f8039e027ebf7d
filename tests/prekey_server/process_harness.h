// Multi-process checks of a prekey storage backend that several processes
// share (one SQLite file, one PostgreSQL database): concurrent takes from
// forked processes, and processes killed with SIGKILL at random points during
// Publish and TakeEnsembles. `open` makes a new connection to the shared
// store; it is called in each child after fork (a connection never crosses a
// fork). The results are returned for the test to assert on and to print.
#ifndef OTR_TESTS_PREKEY_SERVER_PROCESS_HARNESS_H_
#define OTR_TESTS_PREKEY_SERVER_PROCESS_HARNESS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "protocol/prekey/server/storage.h"

namespace otr::prekey_server::testing {

using Opener = std::function<std::unique_ptr<prekey::Storage>()>;

inline constexpr int64_t kHarnessNow = 1'700'000'000;

// A fresh directory for one test (under TEST_TMPDIR).
std::string MakeTempDir(const char* prefix);

struct ConcurrentTakeResult {
  std::string error;       // set when the run itself failed
  uint64_t published = 0;  // prekey messages published
  uint64_t taken = 0;      // taken by all children together
  uint64_t distinct = 0;   // distinct among them
  uint64_t left = 0;       // CountPrekeyMessages afterwards
  std::vector<uint64_t> per_child;
  double seconds = 0;  // wall time of the takes (printed, never asserted)
};

// Publishes `tags` instance tags x `per_tag` messages for one owner, then
// `children` processes each take ensembles until none is left.
ConcurrentTakeResult RunConcurrentTakes(const Opener& open, const std::string& dir, int children,
                                        uint32_t tags, uint32_t per_tag);

struct CrashPublishResult {
  std::string error;
  int kills = 0;
  uint64_t acknowledged = 0;  // publications that returned Ok (logged)
  uint64_t found_whole = 0;   // publications found complete afterwards
  uint64_t lost = 0;          // acknowledged but missing or incomplete
  uint64_t partial = 0;       // present but incomplete (acknowledged or not)
};

// `rounds` times: a child publishes publications (own owner each, both
// profiles and `messages` prekey messages) until the parent kills it with
// SIGKILL after a random number of acknowledgements.
CrashPublishResult RunCrashDuringPublish(const Opener& open, const std::string& dir, int rounds,
                                         uint32_t messages, uint32_t seed);

struct CrashTakeResult {
  std::string error;
  int kills = 0;
  uint64_t published = 0;
  uint64_t acknowledged = 0;  // takes logged by children (returned Ok)
  uint64_t duplicates = 0;    // a message logged twice, or logged and still stored
  uint64_t left = 0;          // still stored at the end
  uint64_t unaccounted = 0;   // published - acknowledged - left (takes cut by a kill)
};

// Publishes `tags` x `per_tag` messages, then `rounds` times two children
// take concurrently and are killed with SIGKILL after a random number of
// logged takes.
CrashTakeResult RunCrashDuringTake(const Opener& open, const std::string& dir, int rounds,
                                   uint32_t tags, uint32_t per_tag, uint32_t seed);

}  // namespace otr::prekey_server::testing

#endif  // OTR_TESTS_PREKEY_SERVER_PROCESS_HARNESS_H_
