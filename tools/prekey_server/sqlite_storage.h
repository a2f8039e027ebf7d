// Prekey server storage in one SQLite file (the default backend): WAL
// journal, a busy timeout, foreign keys on, synchronous=FULL so a Publish
// that returned Ok survives a crash of the process or the machine. The
// schema is migrated to kSchemaVersion when opened (schema.h).
//
// Each operation is one transaction: Publish and PurgeExpired as
// BEGIN IMMEDIATE (the write lock taken first, so two writers never deadlock
// on a lock upgrade), TakeEnsembles as BEGIN IMMEDIATE too, so a prekey
// message read is deleted before any other connection, in this or another
// process, can read it. One object may be shared by threads (a mutex
// serialises its connection); processes each open their own.
#ifndef OTR_TOOLS_PREKEY_SERVER_SQLITE_STORAGE_H_
#define OTR_TOOLS_PREKEY_SERVER_SQLITE_STORAGE_H_

#include <memory>
#include <mutex>
#include <string>

#include "base/result.h"
#include "protocol/prekey/server/storage.h"
#include "tools/prekey_server/storage_limits.h"

struct sqlite3;

namespace otr::prekey_server {

struct SqliteOptions {
  std::string path;             // the database file (created if missing)
  int busy_timeout_ms = 10000;  // how long a writer waits for another's lock
  StorageLimits limits;
  // Tests only: stop migrating at this version (to build an old database).
  int migrate_to_version = -1;
};

class SqliteStorage final : public prekey::Storage {
 public:
  // Opens (creating if needed) and migrates the database.
  static Result<std::unique_ptr<SqliteStorage>> Open(const SqliteOptions& options);
  ~SqliteStorage() override;
  SqliteStorage(const SqliteStorage&) = delete;
  SqliteStorage& operator=(const SqliteStorage&) = delete;

  Status Publish(const prekey::Publication& p, int64_t now) override;
  Result<uint32_t> CountPrekeyMessages(std::string_view owner, int64_t now) override;
  Result<uint32_t> CountPrekeyMessagesOf(std::string_view owner, uint32_t instance_tag,
                                         int64_t now) override;
  Result<std::vector<prekey::StoredEnsemble>> TakeEnsembles(std::string_view owner,
                                                            int64_t now) override;
  Result<uint64_t> PurgeExpired(int64_t now) override;

  // The schema version of the open database.
  Result<int> SchemaVersion();
  // SQLite's message for the last failure (for logs; never holds key material:
  // SQLite reports statements and constraint names, not bound values).
  std::string last_error() const;

 private:
  SqliteStorage(sqlite3* db, StorageLimits limits) : db_(db), limits_(limits) {}
  Status Migrate(int target);
  // Records SQLite's message and returns kBackendFailure with `context`.
  Error Fail(std::string_view context);

  mutable std::mutex mu_;
  sqlite3* db_;
  StorageLimits limits_;
  std::string last_error_;
};

}  // namespace otr::prekey_server

#endif  // OTR_TOOLS_PREKEY_SERVER_SQLITE_STORAGE_H_
