// The backend chosen by a configuration string (tools/prekey_server/open_storage.h).
#include "tools/prekey_server/open_storage.h"

#include <gtest/gtest.h>

#include "tests/prekey_server/process_harness.h"

namespace otr::prekey_server {
namespace {

TEST(OpenStorageTest, SqliteFileIsCreatedAndUsable) {
  std::string dir = testing::MakeTempDir("openstorage");
  ASSERT_FALSE(dir.empty());
  auto storage = OpenStorage("sqlite:" + dir + "/p.db");
  ASSERT_TRUE(storage.ok());
  prekey::Publication p;
  p.owner = "alice";
  p.instance_tag = 0x100;
  p.prekey_messages.emplace_back(1, Bytes{1});
  ASSERT_TRUE((*storage)->Publish(p, 0).ok());
  // A second opener sees what the first stored: the same file.
  auto again = OpenStorage("sqlite:" + dir + "/p.db");
  ASSERT_TRUE(again.ok());
  auto count = (*again)->CountPrekeyMessages("alice", 0);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1u);
}

TEST(OpenStorageTest, MemoryIsEmpty) {
  auto storage = OpenStorage("memory:");
  ASSERT_TRUE(storage.ok());
  auto count = (*storage)->CountPrekeyMessages("alice", 0);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0u);
}

TEST(OpenStorageTest, BadSpecsAreTypedErrors) {
  for (const char* spec : {"", "sqlite:", "mysql://x", "SQLITE:x", "memory:x"}) {
    auto storage = OpenStorage(spec);
    ASSERT_FALSE(storage.ok()) << spec;
    EXPECT_EQ(storage.code(), ErrorCode::kInvalidEncoding) << spec;
  }
  // A scheme we know, a server that is not there: the backend's error.
  auto pg = OpenStorage("postgresql:host=/nonexistent-dir dbname=x connect_timeout=2");
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.code(), ErrorCode::kBackendFailure);
  auto file = OpenStorage("sqlite:/nonexistent-dir/x/p.db");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.code(), ErrorCode::kBackendFailure);
}

}  // namespace
}  // namespace otr::prekey_server
