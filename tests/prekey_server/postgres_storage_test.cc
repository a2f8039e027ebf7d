// The PostgreSQL prekey storage (tools/prekey_server/postgres_storage.h)
// against a throwaway cluster this test starts (pg_cluster.h): the storage
// conformance suite on a fresh database each case, the migrations, and
// several processes on one database: concurrent takes, and processes killed
// with SIGKILL during Publish and TakeEnsembles. Without PostgreSQL every
// case fails with the reason.
#include "tools/prekey_server/postgres_storage.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "crypto/backends.h"
#include "tests/prekey/storage_conformance.h"
#include "tests/prekey_server/pg_cluster.h"
#include "tests/prekey_server/process_harness.h"
#include "tests/prekey_server/server_round_trip.h"
#include "tests/prekey_server/storage_process_checks.h"
#include "tools/prekey_server/schema.h"

namespace otr::prekey_server {
namespace {

using testing::kHarnessNow;
using testing::PgCluster;
using testing::SmallPublication;

PgCluster* cluster = nullptr;
std::string cluster_error = "the cluster was not started";

class PgEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    cluster = new PgCluster();
    cluster_error = cluster->Start();
    if (!cluster_error.empty()) std::fprintf(stderr, "PostgreSQL: %s\n", cluster_error.c_str());
  }
  void TearDown() override {
    delete cluster;
    cluster = nullptr;
  }
};

const bool registered = [] {
  ::testing::AddGlobalTestEnvironment(new PgEnvironment);
  return true;
}();

// A new, empty database: its connection string, or "" after a failure.
std::string FreshDatabase() {
  if (!cluster_error.empty()) {
    ADD_FAILURE() << "no PostgreSQL cluster: " << cluster_error;
    return "";
  }
  static int next = 0;
  std::string name = "prekeys" + std::to_string(next++);
  std::string error = cluster->CreateDatabase(name);
  if (!error.empty()) {
    ADD_FAILURE() << "CREATE DATABASE " << name << ": " << error;
    return "";
  }
  return cluster->ConnInfo(name);
}

PostgresOptions At(const std::string& conninfo, int migrate_to_version = -1) {
  PostgresOptions options;
  options.conninfo = conninfo;
  options.migrate_to_version = migrate_to_version;
  return options;
}

std::unique_ptr<PostgresStorage> OpenOrNull(const PostgresOptions& options) {
  if (options.conninfo.empty()) return nullptr;
  auto opened = PostgresStorage::Open(options);
  if (!opened.ok()) {
    ADD_FAILURE() << "cannot open " << options.conninfo << ": " << ErrorCodeName(opened.code())
                  << " " << opened.error().context;
    return nullptr;
  }
  return std::move(opened).value();
}

std::unique_ptr<prekey::Storage> FreshStorage() { return OpenOrNull(At(FreshDatabase())); }

}  // namespace
}  // namespace otr::prekey_server

namespace otr::prekey::testing {

INSTANTIATE_TEST_SUITE_P(Postgres, StorageConformanceTest,
                         ::testing::Values(StorageFactory(otr::prekey_server::FreshStorage)));

}  // namespace otr::prekey::testing

namespace otr::prekey_server {
namespace {

// The database name inside a connection string made by FreshDatabase.
std::string DatabaseOf(const std::string& conninfo) {
  auto at = conninfo.find("dbname=");
  auto end = conninfo.find(' ', at);
  return conninfo.substr(at + 7, end - at - 7);
}

TEST(PostgresStorageTest, MigratesAVersion1Database) {
  std::string conninfo = FreshDatabase();
  ASSERT_FALSE(conninfo.empty());
  std::string db = DatabaseOf(conninfo);
  {
    auto v1 = OpenOrNull(At(conninfo, 1));
    ASSERT_NE(v1, nullptr);
    ASSERT_TRUE(v1->Publish(SmallPublication("alice@localhost", 0x100, 1, 2), kHarnessNow).ok());
  }
  EXPECT_EQ(cluster->QueryText(db, "SELECT version FROM schema_version"), "1");
  EXPECT_EQ(cluster->QueryText(
                db, "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'prekey_messages_oldest'"),
            "0");
  auto storage = OpenOrNull(At(conninfo));
  ASSERT_NE(storage, nullptr);
  auto version = storage->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, kSchemaVersion);
  EXPECT_EQ(cluster->QueryText(db,
                               "SELECT COUNT(*) FROM pg_indexes WHERE indexname IN"
                               " ('prekey_messages_oldest', 'instances_client_profile_expires',"
                               " 'instances_prekey_profile_expires')"),
            "3");
  auto count = storage->CountPrekeyMessages("alice@localhost", kHarnessNow);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2u);
  auto taken = storage->TakeEnsembles("alice@localhost", kHarnessNow);
  ASSERT_TRUE(taken.ok());
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ((*taken)[0].prekey_profile, ToBytes("pp"));
}

TEST(PostgresStorageTest, FailedMigrationLeavesThePreviousVersion) {
  std::string conninfo = FreshDatabase();
  ASSERT_FALSE(conninfo.empty());
  std::string db = DatabaseOf(conninfo);
  { ASSERT_NE(OpenOrNull(At(conninfo, 1)), nullptr); }
  ASSERT_EQ(cluster->Exec(db, "CREATE TABLE prekey_messages_oldest (x INTEGER)"), "");
  auto failed = PostgresStorage::Open(At(conninfo));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(cluster->QueryText(db, "SELECT version FROM schema_version"), "1");
  EXPECT_EQ(cluster->QueryText(db,
                               "SELECT COUNT(*) FROM pg_indexes"
                               " WHERE indexname = 'instances_client_profile_expires'"),
            "0");
}

TEST(PostgresStorageTest, RefusesADatabaseNewerThanTheProgram) {
  std::string conninfo = FreshDatabase();
  ASSERT_FALSE(conninfo.empty());
  { ASSERT_NE(OpenOrNull(At(conninfo)), nullptr); }
  ASSERT_EQ(cluster->Exec(DatabaseOf(conninfo), "UPDATE schema_version SET version = 99"), "");
  auto opened = PostgresStorage::Open(At(conninfo));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.code(), ErrorCode::kUnsupportedVersion);
}

TEST(PostgresStorageTest, UnreachableServerIsATypedError) {
  auto opened = PostgresStorage::Open(At("host=/nonexistent-dir dbname=x connect_timeout=2"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.code(), ErrorCode::kBackendFailure);
}

TEST(PostgresStorageTest, LimitsRefuseTheWholePublication) {
  PostgresOptions options = At(FreshDatabase());
  options.limits.max_prekey_messages_per_instance = 5;
  options.limits.max_instances_per_owner = 1;
  auto storage = OpenOrNull(options);
  ASSERT_NE(storage, nullptr);
  ASSERT_TRUE(storage->Publish(SmallPublication("alice", 0x100, 1, 4), kHarnessNow).ok());
  auto over = storage->Publish(SmallPublication("alice", 0x100, 10, 2), kHarnessNow);
  EXPECT_EQ(over.code(), ErrorCode::kTooLarge);
  auto second_tag = storage->Publish(SmallPublication("alice", 0x200, 1, 1), kHarnessNow);
  EXPECT_EQ(second_tag.code(), ErrorCode::kTooLarge);
  auto count = storage->CountPrekeyMessages("alice", kHarnessNow);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 4u);
}

testing::Opener SharedDatabase(const std::string& conninfo) {
  return [conninfo]() -> std::unique_ptr<prekey::Storage> {
    auto opened = PostgresStorage::Open(At(conninfo));
    if (!opened.ok()) return nullptr;
    return std::move(opened).value();
  };
}

TEST(PostgresStorageProcessTest, ConcurrentTakesFromProcessesHandEachMessageOutOnce) {
  std::string conninfo = FreshDatabase();
  ASSERT_FALSE(conninfo.empty());
  std::string dir = testing::MakeTempDir("pgprocs");
  ASSERT_FALSE(dir.empty());
  testing::CheckConcurrentTakes("postgres", SharedDatabase(conninfo), dir);
}

TEST(PostgresStorageProcessTest, KilledDuringPublishLosesNothingAcknowledged) {
  std::string conninfo = FreshDatabase();
  ASSERT_FALSE(conninfo.empty());
  std::string dir = testing::MakeTempDir("pgcrash");
  ASSERT_FALSE(dir.empty());
  testing::CheckKilledDuringPublish("postgres", SharedDatabase(conninfo), dir);
}

TEST(PostgresStorageProcessTest, KilledDuringTakeHandsNothingOutTwice) {
  std::string conninfo = FreshDatabase();
  ASSERT_FALSE(conninfo.empty());
  std::string dir = testing::MakeTempDir("pgcrashtake");
  ASSERT_FALSE(dir.empty());
  testing::CheckKilledDuringTake("postgres", SharedDatabase(conninfo), dir);
}

// The server core and its clients on this backend, restarted in between.
TEST(PostgresStorageServerTest, PublishedThenServedOnceAfterARestart) {
  for (const crypto::Backend* backend : crypto::AllBackends()) {
    SCOPED_TRACE(backend->name());
    std::string conninfo = FreshDatabase();
    ASSERT_FALSE(conninfo.empty());
    testing::CheckServerRoundTrip(*backend, SharedDatabase(conninfo));
  }
}

}  // namespace
}  // namespace otr::prekey_server
