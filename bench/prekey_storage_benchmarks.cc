#include "bench/prekey_storage_benchmarks.h"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "bench/crypto_benchmarks.h"
#include "tools/prekey_server/sqlite_storage.h"

namespace otr::bench {
namespace {

constexpr int64_t kNow = 1000;
constexpr int64_t kExpires = kNow + 7 * 24 * 3600;
constexpr uint32_t kTag = 0x1234;
constexpr size_t kMessagesPerPublication = 100;
// Encoded sizes of ours (a Client Profile with a forging key and a v3 DSA
// key absent, a Prekey Profile, a Prekey Message).
constexpr size_t kClientProfileSize = 390;
constexpr size_t kPrekeyProfileSize = 190;
constexpr size_t kPrekeyMessageSize = 460;

// A database file of its own in the temporary directory, removed at the end.
struct Database {
  Database() {
    path = "/tmp/otr_bench_prekey_" + std::to_string(getpid()) + "_" + std::to_string(++count) +
           ".sqlite";
    prekey_server::SqliteOptions options;
    options.path = path;
    auto s = prekey_server::SqliteStorage::Open(options);
    if (s.ok()) storage = std::move(s).value();
  }
  ~Database() {
    storage.reset();
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::remove((path + suffix).c_str());
    }
  }
  static inline int count = 0;
  std::string path;
  std::unique_ptr<prekey_server::SqliteStorage> storage;
};

prekey::Publication MakePublication(const std::string& owner, uint32_t first_id, size_t messages,
                                    bool profiles) {
  prekey::Publication p;
  p.owner = owner;
  p.instance_tag = kTag;
  if (profiles) {
    p.client_profile = RandomBytes(kClientProfileSize);
    p.client_profile_expires = kExpires;
    p.prekey_profile = RandomBytes(kPrekeyProfileSize);
    p.prekey_profile_expires = kExpires;
  }
  for (size_t i = 0; i < messages; ++i) {
    p.prekey_messages.emplace_back(first_id + static_cast<uint32_t>(i),
                                   RandomBytes(kPrekeyMessageSize));
  }
  return p;
}

void Publish(benchmark::State& state) {
  Database db;
  if (db.storage == nullptr) {
    state.SkipWithError("cannot open the SQLite database");
    return;
  }
  int64_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const prekey::Publication p =
        MakePublication("owner" + std::to_string(n++) + "@bench", 1, kMessagesPerPublication, true);
    state.ResumeTiming();
    if (!db.storage->Publish(p, kNow).ok()) {
      state.SkipWithError("Publish failed");
      break;
    }
  }
  state.SetItemsProcessed(n * static_cast<int64_t>(kMessagesPerPublication));
}

void Take(benchmark::State& state) {
  Database db;
  if (db.storage == nullptr) {
    state.SkipWithError("cannot open the SQLite database");
    return;
  }
  const std::string owner = "taker@bench";
  uint32_t next_id = 1;
  size_t stock = 0;
  for (auto _ : state) {
    if (stock == 0) {
      state.PauseTiming();
      const bool ok =
          db.storage
              ->Publish(MakePublication(owner, next_id, kMessagesPerPublication, next_id == 1),
                        kNow)
              .ok();
      next_id += kMessagesPerPublication;
      stock = kMessagesPerPublication;
      state.ResumeTiming();
      if (!ok) {
        state.SkipWithError("Publish failed");
        break;
      }
    }
    auto taken = db.storage->TakeEnsembles(owner, kNow);
    if (!taken.ok() || taken->size() != 1) {
      state.SkipWithError("TakeEnsembles did not return one ensemble");
      break;
    }
    --stock;
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

void RegisterPrekeyStorageBenchmarks() {
  benchmark::RegisterBenchmark("BM_PrekeySqlitePublish/msgs:100", Publish)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_PrekeySqliteTake", Take)
      ->Unit(benchmark::kMicrosecond)
      ->UseRealTime();
}

}  // namespace otr::bench
