// The SQLite prekey storage (tools/prekey_server/sqlite_storage.h): the
// storage conformance suite on a fresh file each case, the schema and its
// migrations, the limits, and several processes on one file: concurrent
// takes, and processes killed with SIGKILL during Publish and TakeEnsembles.
#include "tools/prekey_server/sqlite_storage.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <string>

#include "crypto/backends.h"
#include "tests/prekey/storage_conformance.h"
#include "tests/prekey_server/process_harness.h"
#include "tests/prekey_server/server_round_trip.h"
#include "tests/prekey_server/storage_process_checks.h"
#include "tools/prekey_server/schema.h"

namespace otr::prekey_server {
namespace {

using testing::kHarnessNow;
using testing::MakeTempDir;
using testing::SmallPublication;

std::string FreshPath() {
  std::string dir = MakeTempDir("sqlite");
  return dir.empty() ? "" : dir + "/prekeys.db";
}

SqliteOptions At(const std::string& path, int migrate_to_version = -1) {
  SqliteOptions options;
  options.path = path;
  options.migrate_to_version = migrate_to_version;
  return options;
}

std::unique_ptr<SqliteStorage> OpenOrNull(const SqliteOptions& options) {
  auto opened = SqliteStorage::Open(options);
  if (!opened.ok()) {
    ADD_FAILURE() << "cannot open " << options.path << ": " << ErrorCodeName(opened.code()) << " "
                  << opened.error().context;
    return nullptr;
  }
  return std::move(opened).value();
}

std::unique_ptr<prekey::Storage> FreshStorage() { return OpenOrNull(At(FreshPath())); }

}  // namespace
}  // namespace otr::prekey_server

namespace otr::prekey::testing {

INSTANTIATE_TEST_SUITE_P(Sqlite, StorageConformanceTest,
                         ::testing::Values(StorageFactory(otr::prekey_server::FreshStorage)));

}  // namespace otr::prekey::testing

namespace otr::prekey_server {
namespace {

// Runs one query on the file with a separate connection, returning the first
// column of the first row as text.
std::string QueryText(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  std::string out = "<error>";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(stmt, 0);
        out = text ? reinterpret_cast<const char*>(text) : "<null>";
      } else if (rc == SQLITE_DONE) {
        out = "<none>";
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

bool Exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  bool ok = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK &&
            sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

TEST(SqliteStorageTest, FileIsWalWithTheCurrentSchema) {
  std::string path = FreshPath();
  auto storage = OpenOrNull(At(path));
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(QueryText(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryText(path, "SELECT version FROM schema_version"), std::to_string(kSchemaVersion));
  auto version = storage->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, kSchemaVersion);
  // Opening again migrates nothing and keeps one version row.
  storage.reset();
  storage = OpenOrNull(At(path));
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(QueryText(path, "SELECT COUNT(*) FROM schema_version"), "1");
}

TEST(SqliteStorageTest, ForeignKeysDeleteMessagesWithTheirInstance) {
  std::string path = FreshPath();
  auto storage = OpenOrNull(At(path));
  ASSERT_NE(storage, nullptr);
  ASSERT_TRUE(storage->Publish(SmallPublication("alice", 0x100, 1, 3), kHarnessNow).ok());
  // Through the storage's own connection (foreign_keys is per connection):
  // everything expired, purge removes the messages and then the instance.
  auto purged = storage->PurgeExpired(kHarnessNow + 100);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 5u);
  EXPECT_EQ(QueryText(path, "SELECT COUNT(*) FROM instances"), "0");
  EXPECT_EQ(QueryText(path, "SELECT COUNT(*) FROM prekey_messages"), "0");
}

// A database written by version 1 of the schema (no indexes) is migrated to
// the current version when opened, and its content is kept.
TEST(SqliteStorageTest, MigratesAVersion1Database) {
  std::string path = FreshPath();
  {
    auto v1 = OpenOrNull(At(path, 1));
    ASSERT_NE(v1, nullptr);
    ASSERT_TRUE(v1->Publish(SmallPublication("alice@localhost", 0x100, 1, 2), kHarnessNow).ok());
    auto version = v1->SchemaVersion();
    ASSERT_TRUE(version.ok());
    EXPECT_EQ(*version, 1);
  }
  EXPECT_EQ(QueryText(path,
                      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
                      " AND name = 'prekey_messages_oldest'"),
            "0");
  auto storage = OpenOrNull(At(path));
  ASSERT_NE(storage, nullptr);
  auto version = storage->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 2);
  EXPECT_EQ(QueryText(path,
                      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN"
                      " ('prekey_messages_oldest', 'instances_client_profile_expires',"
                      " 'instances_prekey_profile_expires')"),
            "3");
  auto count = storage->CountPrekeyMessages("alice@localhost", kHarnessNow);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2u);
  auto taken = storage->TakeEnsembles("alice@localhost", kHarnessNow);
  ASSERT_TRUE(taken.ok());
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ((*taken)[0].client_profile, ToBytes("cp"));
}

// A migration that fails leaves the database at the version before it.
TEST(SqliteStorageTest, FailedMigrationLeavesThePreviousVersion) {
  std::string path = FreshPath();
  { ASSERT_NE(OpenOrNull(At(path, 1)), nullptr); }
  // Make migration 2 fail halfway: its third index name is taken.
  ASSERT_TRUE(Exec(path, "CREATE TABLE prekey_messages_oldest (x INTEGER)"));
  auto failed = SqliteStorage::Open(At(path));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(QueryText(path, "SELECT version FROM schema_version"), "1");
  EXPECT_EQ(QueryText(path,
                      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
                      " AND name = 'instances_client_profile_expires'"),
            "0");  // the first statement of migration 2 was rolled back
}

TEST(SqliteStorageTest, RefusesADatabaseNewerThanTheProgram) {
  std::string path = FreshPath();
  { ASSERT_NE(OpenOrNull(At(path)), nullptr); }
  ASSERT_TRUE(Exec(path, "UPDATE schema_version SET version = 99"));
  auto opened = SqliteStorage::Open(At(path));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.code(), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(QueryText(path, "SELECT version FROM schema_version"), "99");
}

TEST(SqliteStorageTest, UnopenableFileIsATypedError) {
  auto opened = SqliteStorage::Open(At("/nonexistent-dir/x/prekeys.db"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.code(), ErrorCode::kBackendFailure);
}

TEST(SqliteStorageTest, LimitsRefuseTheWholePublication) {
  StorageLimits limits;
  limits.max_prekey_messages_per_instance = 5;
  limits.max_instances_per_owner = 2;
  limits.max_owner_bytes = 16;
  limits.max_item_bytes = 8;
  SqliteOptions options = At(FreshPath());
  options.limits = limits;
  auto storage = OpenOrNull(options);
  ASSERT_NE(storage, nullptr);
  ASSERT_TRUE(storage->Publish(SmallPublication("alice", 0x100, 1, 4), kHarnessNow).ok());
  // A fifth and sixth message: over the per-instance bound; nothing stored.
  auto over = storage->Publish(SmallPublication("alice", 0x100, 10, 2), kHarnessNow);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.code(), ErrorCode::kTooLarge);
  auto count = storage->CountPrekeyMessages("alice", kHarnessNow);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 4u);
  ASSERT_TRUE(storage->Publish(SmallPublication("alice", 0x200, 1, 1), kHarnessNow).ok());
  auto third_tag = storage->Publish(SmallPublication("alice", 0x300, 1, 1), kHarnessNow);
  EXPECT_EQ(third_tag.code(), ErrorCode::kTooLarge);
  auto long_owner =
      storage->Publish(SmallPublication(std::string(17, 'a'), 0x100, 1, 1), kHarnessNow);
  EXPECT_EQ(long_owner.code(), ErrorCode::kTooLarge);
  prekey::Publication big = SmallPublication("bob", 0x100, 1, 1);
  big.prekey_messages[0].second = Bytes(9, 0);
  EXPECT_EQ(storage->Publish(big, kHarnessNow).code(), ErrorCode::kTooLarge);
  count = storage->CountPrekeyMessages("bob", kHarnessNow);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0u);
}

testing::Opener SharedFile(const std::string& path) {
  return [path]() -> std::unique_ptr<prekey::Storage> {
    SqliteOptions options = At(path);
    options.busy_timeout_ms = 60'000;
    auto opened = SqliteStorage::Open(options);
    if (!opened.ok()) return nullptr;
    return std::move(opened).value();
  };
}

TEST(SqliteStorageProcessTest, ConcurrentTakesFromProcessesHandEachMessageOutOnce) {
  std::string dir = MakeTempDir("sqliteprocs");
  ASSERT_FALSE(dir.empty());
  testing::CheckConcurrentTakes("sqlite", SharedFile(dir + "/prekeys.db"), dir);
}

TEST(SqliteStorageProcessTest, KilledDuringPublishLosesNothingAcknowledged) {
  std::string dir = MakeTempDir("sqlitecrash");
  ASSERT_FALSE(dir.empty());
  testing::CheckKilledDuringPublish("sqlite", SharedFile(dir + "/prekeys.db"), dir);
}

TEST(SqliteStorageProcessTest, KilledDuringTakeHandsNothingOutTwice) {
  std::string dir = MakeTempDir("sqlitecrashtake");
  ASSERT_FALSE(dir.empty());
  testing::CheckKilledDuringTake("sqlite", SharedFile(dir + "/prekeys.db"), dir);
}

// The server core and its clients on this backend, restarted in between.
TEST(SqliteStorageServerTest, PublishedThenServedOnceAfterARestart) {
  for (const crypto::Backend* backend : crypto::AllBackends()) {
    SCOPED_TRACE(backend->name());
    testing::CheckServerRoundTrip(*backend, SharedFile(FreshPath()));
  }
}

}  // namespace
}  // namespace otr::prekey_server
