#include "tests/prekey_server/storage_process_checks.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace otr::prekey_server::testing {

prekey::Publication SmallPublication(const std::string& owner, uint32_t tag, uint32_t first,
                                     uint32_t n) {
  prekey::Publication p;
  p.owner = owner;
  p.instance_tag = tag;
  p.client_profile = ToBytes("cp");
  p.client_profile_expires = kHarnessNow + 100;
  p.prekey_profile = ToBytes("pp");
  p.prekey_profile_expires = kHarnessNow + 100;
  for (uint32_t i = 0; i < n; ++i) p.prekey_messages.emplace_back(first + i, ToBytes("m"));
  return p;
}

void CheckConcurrentTakes(const char* backend, const Opener& open, const std::string& dir) {
  auto r = RunConcurrentTakes(open, dir, /*children=*/20, /*tags=*/1, /*per_tag=*/1000);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.published, 1000u);
  EXPECT_EQ(r.taken, 1000u);
  EXPECT_EQ(r.distinct, 1000u);
  EXPECT_EQ(r.left, 0u);
  std::string split;
  for (uint64_t n : r.per_child) split += " " + std::to_string(n);
  std::printf(
      "%s concurrent takes: 20 processes, 1000 retrievals of one instance tag, taken per "
      "process:%s; %.1f s\n",
      backend, split.c_str(), r.seconds);
}

void CheckKilledDuringPublish(const char* backend, const Opener& open, const std::string& dir) {
  auto r = RunCrashDuringPublish(open, dir, /*rounds=*/8, /*messages=*/20, /*seed=*/18);
  ASSERT_EQ(r.error, "");
  EXPECT_GT(r.acknowledged, 0u);
  EXPECT_EQ(r.lost, 0u);
  EXPECT_EQ(r.partial, 0u);
  EXPECT_GE(r.found_whole, r.acknowledged);
  std::printf("%s publish crash: %d kills, %llu acknowledged, %llu whole, %llu partial\n", backend,
              r.kills, static_cast<unsigned long long>(r.acknowledged),
              static_cast<unsigned long long>(r.found_whole),
              static_cast<unsigned long long>(r.partial));
}

void CheckKilledDuringTake(const char* backend, const Opener& open, const std::string& dir) {
  auto r = RunCrashDuringTake(open, dir, /*rounds=*/6, /*tags=*/4, /*per_tag=*/100, /*seed=*/18);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.duplicates, 0u);
  // Each killed child can have committed at most one take it did not log.
  EXPECT_LE(r.unaccounted, static_cast<uint64_t>(r.kills) * 4);
  std::printf(
      "%s take crash: %d kills, %llu published, %llu taken and logged, %llu left, %llu cut by a "
      "kill, %llu twice\n",
      backend, r.kills, static_cast<unsigned long long>(r.published),
      static_cast<unsigned long long>(r.acknowledged), static_cast<unsigned long long>(r.left),
      static_cast<unsigned long long>(r.unaccounted),
      static_cast<unsigned long long>(r.duplicates));
}

}  // namespace otr::prekey_server::testing
