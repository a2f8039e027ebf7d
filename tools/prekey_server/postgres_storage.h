// Prekey server storage in PostgreSQL (libpq), for deployments where several
// server processes share one database. Same tables and migrations as SQLite
// (schema.h, Dialect::kPostgres); migrations are serialised between
// processes by an advisory lock.
//
// Each operation is one READ COMMITTED transaction. TakeEnsembles removes
// each prekey message it returns with
//   DELETE FROM prekey_messages WHERE id =
//     (SELECT id ... ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING message
// so a message is handed out at most once however many processes take at
// the same time (a message locked by another taker is skipped, not waited
// for). synchronous_commit is forced on, so a Publish that returned Ok is on
// the server's disk. A transaction that fails with a serialization failure
// or a deadlock (SQLSTATE 40001, 40P01) is retried. One object may be shared
// by threads (a mutex serialises its connection).
#ifndef OTR_TOOLS_PREKEY_SERVER_POSTGRES_STORAGE_H_
#define OTR_TOOLS_PREKEY_SERVER_POSTGRES_STORAGE_H_

#include <memory>
#include <mutex>
#include <string>

#include "base/result.h"
#include "protocol/prekey/server/storage.h"
#include "tools/prekey_server/storage_limits.h"

typedef struct pg_conn PGconn;

namespace otr::prekey_server {

struct PostgresOptions {
  // A libpq connection string, e.g. "host=/run/postgresql dbname=prekeys"
  // or "postgresql://otr@db.example/prekeys".
  std::string conninfo;
  StorageLimits limits;
  int max_attempts = 5;  // per operation, on serialization failure or deadlock
  // Tests only: stop migrating at this version (to build an old database).
  int migrate_to_version = -1;
};

class PostgresStorage final : public prekey::Storage {
 public:
  // Connects and migrates the database.
  static Result<std::unique_ptr<PostgresStorage>> Open(const PostgresOptions& options);
  ~PostgresStorage() override;
  PostgresStorage(const PostgresStorage&) = delete;
  PostgresStorage& operator=(const PostgresStorage&) = delete;

  Status Publish(const prekey::Publication& p, int64_t now) override;
  Result<uint32_t> CountPrekeyMessages(std::string_view owner, int64_t now) override;
  Result<uint32_t> CountPrekeyMessagesOf(std::string_view owner, uint32_t instance_tag,
                                         int64_t now) override;
  Result<std::vector<prekey::StoredEnsemble>> TakeEnsembles(std::string_view owner,
                                                            int64_t now) override;
  Result<uint64_t> PurgeExpired(int64_t now) override;

  Result<int> SchemaVersion();
  // The server's message for the last failure (for logs; libpq reports
  // statements and constraint names, never bound values).
  std::string last_error() const;

  class Connection;  // libpq calls (postgres_storage.cc)

 private:
  PostgresStorage(std::unique_ptr<Connection> conn, const PostgresOptions& options);
  Status Migrate(int target);

  mutable std::mutex mu_;
  std::unique_ptr<Connection> conn_;
  StorageLimits limits_;
  int max_attempts_;
};

}  // namespace otr::prekey_server

#endif  // OTR_TOOLS_PREKEY_SERVER_POSTGRES_STORAGE_H_
