#include "tools/prekey_server/sqlite_storage.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string_view>
#include <utility>

#include "tools/prekey_server/schema.h"

namespace otr::prekey_server {
namespace {

// One prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return rc_ == SQLITE_OK && stmt_ != nullptr; }
  // Binds are checked through the first failing code, kept until Step.
  Statement& Int(int index, int64_t value) {
    Keep(sqlite3_bind_int64(stmt_, index, value));
    return *this;
  }
  Statement& Blob(int index, ByteView value) {
    // An empty blob must still be a blob, not NULL: pass a non-null pointer.
    static const uint8_t kEmpty = 0;
    const void* data = value.empty() ? &kEmpty : value.data();
    Keep(sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& Blob(int index, std::string_view value) { return Blob(index, AsBytes(value)); }
  // Makes the statement ready to run again with new bindings.
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_rc_ = SQLITE_OK;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() {
    if (bind_rc_ != SQLITE_OK) return bind_rc_;
    return sqlite3_step(stmt_);
  }
  int64_t ColumnInt(int col) { return sqlite3_column_int64(stmt_, col); }
  std::string ColumnText(int col) {
    const auto* text = sqlite3_column_text(stmt_, col);
    return text ? std::string(reinterpret_cast<const char*>(text)) : std::string();
  }
  Bytes ColumnBlob(int col) {
    const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, col));
    int size = sqlite3_column_bytes(stmt_, col);
    if (data == nullptr || size <= 0) return {};
    return Bytes(data, data + size);
  }

 private:
  void Keep(int rc) {
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
  int bind_rc_ = SQLITE_OK;
};

// Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  int Begin() {
    int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    open_ = rc == SQLITE_OK;
    return rc;
  }
  int Commit() {
    int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) open_ = false;
    return rc;
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

// The condition under which the prekey messages of instance row `i` have
// expired (storage.h: a stored profile of their tag has expired).
constexpr std::string_view kMessagesExpired =
    "((i.client_profile IS NOT NULL AND i.client_profile_expires <= ?2) OR"
    " (i.prekey_profile IS NOT NULL AND i.prekey_profile_expires <= ?2))";

}  // namespace

SqliteStorage::~SqliteStorage() { sqlite3_close_v2(db_); }

std::string SqliteStorage::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

Error SqliteStorage::Fail(std::string_view context) {
  last_error_ = db_ ? sqlite3_errmsg(db_) : "out of memory";
  return MakeError(ErrorCode::kBackendFailure, context);
}

Result<std::unique_ptr<SqliteStorage>> SqliteStorage::Open(const SqliteOptions& options) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(options.path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<SqliteStorage> storage(new SqliteStorage(db, options.limits));
  if (rc != SQLITE_OK) return storage->Fail("sqlite: cannot open the database");
  sqlite3_extended_result_codes(db, 1);
  // The busy timeout first: the pragmas below may already wait for a lock.
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  {
    // journal_mode answers with the mode in force: WAL must have stuck.
    Statement wal(db, "PRAGMA journal_mode=WAL");
    if (!wal.prepared() || wal.Step() != SQLITE_ROW || wal.ColumnText(0) != "wal") {
      return storage->Fail("sqlite: cannot switch to WAL");
    }
  }
  // FULL: a commit is synced to disk before Publish returns Ok (in WAL
  // mode NORMAL could lose the last commits on a power failure).
  if (sqlite3_exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", nullptr, nullptr,
                   nullptr) != SQLITE_OK) {
    return storage->Fail("sqlite: cannot set pragmas");
  }
  {
    Statement fk(db, "PRAGMA foreign_keys");
    if (!fk.prepared() || fk.Step() != SQLITE_ROW || fk.ColumnInt(0) != 1) {
      return storage->Fail("sqlite: foreign keys unavailable");
    }
  }
  int target = options.migrate_to_version >= 0 ? options.migrate_to_version : kSchemaVersion;
  OTR_RETURN_IF_ERROR(storage->Migrate(target));
  return storage;
}

Status SqliteStorage::Migrate(int target) {
  std::lock_guard<std::mutex> lock(mu_);
  // The version table itself, in a transaction of its own (idempotent).
  {
    Transaction txn(db_);
    if (txn.Begin() != SQLITE_OK) return Fail("sqlite: migrate: begin");
    if (sqlite3_exec(db_,
                     "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);"
                     "INSERT INTO schema_version (version)"
                     " SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)",
                     nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Fail("sqlite: migrate: schema_version");
    }
    if (txn.Commit() != SQLITE_OK) return Fail("sqlite: migrate: commit");
  }
  for (const Migration& m : Migrations(Dialect::kSqlite)) {
    if (m.version > target) break;
    Transaction txn(db_);
    if (txn.Begin() != SQLITE_OK) return Fail("sqlite: migrate: begin");
    // Read under the write lock: another process may have migrated first.
    Statement read(db_, "SELECT version FROM schema_version");
    if (!read.prepared() || read.Step() != SQLITE_ROW) return Fail("sqlite: migrate: version");
    int64_t current = read.ColumnInt(0);
    if (current > kSchemaVersion) {
      return MakeError(ErrorCode::kUnsupportedVersion,
                       "sqlite: the database schema is newer than this program");
    }
    if (current >= m.version) continue;
    if (current != m.version - 1) return Fail("sqlite: migrate: version out of sequence");
    for (std::string_view sql : m.statements) {
      Statement step(db_, sql);
      if (!step.prepared() || step.Step() != SQLITE_DONE) return Fail("sqlite: migrate: step");
    }
    Statement bump(db_, "UPDATE schema_version SET version = ?1");
    if (!bump.prepared() || bump.Int(1, m.version).Step() != SQLITE_DONE) {
      return Fail("sqlite: migrate: bump");
    }
    if (txn.Commit() != SQLITE_OK) return Fail("sqlite: migrate: commit");
  }
  return Status::Ok();
}

Result<int> SqliteStorage::SchemaVersion() {
  std::lock_guard<std::mutex> lock(mu_);
  Statement read(db_, "SELECT version FROM schema_version");
  if (!read.prepared() || read.Step() != SQLITE_ROW) return Fail("sqlite: schema version");
  return static_cast<int>(read.ColumnInt(0));
}

Status SqliteStorage::Publish(const prekey::Publication& p, int64_t /*now*/) {
  OTR_RETURN_IF_ERROR(CheckPublicationSizes(p, limits_));
  std::set<uint32_t> ids;
  for (const auto& m : p.prekey_messages) {
    if (!ids.insert(m.first).second) {
      return MakeError(ErrorCode::kInvalidEncoding, "prekey message id repeated in publication");
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  Transaction txn(db_);
  if (txn.Begin() != SQLITE_OK) return Fail("sqlite: publish: begin");

  int64_t instance = -1;
  {
    Statement find(db_, "SELECT id FROM instances WHERE owner = ?1 AND instance_tag = ?2");
    if (!find.prepared()) return Fail("sqlite: publish: prepare");
    int rc = find.Blob(1, p.owner).Int(2, p.instance_tag).Step();
    if (rc == SQLITE_ROW) {
      instance = find.ColumnInt(0);
    } else if (rc != SQLITE_DONE) {
      return Fail("sqlite: publish: find instance");
    }
  }
  if (instance < 0) {
    Statement count(db_, "SELECT COUNT(*) FROM instances WHERE owner = ?1");
    if (!count.prepared() || count.Blob(1, p.owner).Step() != SQLITE_ROW) {
      return Fail("sqlite: publish: count instances");
    }
    if (static_cast<uint64_t>(count.ColumnInt(0)) >= limits_.max_instances_per_owner) {
      return MakeError(ErrorCode::kTooLarge, "publication: too many instance tags for the owner");
    }
    Statement insert(db_, "INSERT INTO instances (owner, instance_tag) VALUES (?1, ?2)");
    if (!insert.prepared() ||
        insert.Blob(1, p.owner).Int(2, p.instance_tag).Step() != SQLITE_DONE) {
      return Fail("sqlite: publish: insert instance");
    }
    instance = sqlite3_last_insert_rowid(db_);
  }
  // A published profile replaces the stored one, whatever its expiry (storage.h).
  if (p.client_profile) {
    Statement set(db_,
                  "UPDATE instances SET client_profile = ?1, client_profile_expires = ?2"
                  " WHERE id = ?3");
    if (!set.prepared() ||
        set.Blob(1, *p.client_profile).Int(2, p.client_profile_expires).Int(3, instance).Step() !=
            SQLITE_DONE) {
      return Fail("sqlite: publish: client profile");
    }
  }
  if (p.prekey_profile) {
    Statement set(db_,
                  "UPDATE instances SET prekey_profile = ?1, prekey_profile_expires = ?2"
                  " WHERE id = ?3");
    if (!set.prepared() ||
        set.Blob(1, *p.prekey_profile).Int(2, p.prekey_profile_expires).Int(3, instance).Step() !=
            SQLITE_DONE) {
      return Fail("sqlite: publish: prekey profile");
    }
  }
  if (!p.prekey_messages.empty()) {
    // Rows are inserted in publication order: ascending id = oldest first.
    Statement insert(db_,
                     "INSERT INTO prekey_messages (instance_id, message_id, message)"
                     " VALUES (?1, ?2, ?3)");
    if (!insert.prepared()) return Fail("sqlite: publish: prepare message");
    for (const auto& [id, message] : p.prekey_messages) {
      insert.Reset();
      int rc = insert.Int(1, instance).Int(2, id).Blob(3, message).Step();
      if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        return MakeError(ErrorCode::kInvalidEncoding, "prekey message id already stored");
      }
      if (rc != SQLITE_DONE) return Fail("sqlite: publish: insert message");
    }
    Statement count(db_, "SELECT COUNT(*) FROM prekey_messages WHERE instance_id = ?1");
    if (!count.prepared() || count.Int(1, instance).Step() != SQLITE_ROW) {
      return Fail("sqlite: publish: count messages");
    }
    if (static_cast<uint64_t>(count.ColumnInt(0)) > limits_.max_prekey_messages_per_instance) {
      return MakeError(ErrorCode::kTooLarge, "publication: too many prekey messages stored");
    }
  }
  if (txn.Commit() != SQLITE_OK) return Fail("sqlite: publish: commit");
  return Status::Ok();
}

Result<uint32_t> SqliteStorage::CountPrekeyMessages(std::string_view owner, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  Statement count(db_, std::string("SELECT COUNT(*) FROM prekey_messages m"
                                   " JOIN instances i ON m.instance_id = i.id"
                                   " WHERE i.owner = ?1 AND NOT ") +
                           std::string(kMessagesExpired));
  if (!count.prepared() || count.Blob(1, owner).Int(2, now).Step() != SQLITE_ROW) {
    return Fail("sqlite: count");
  }
  int64_t n = count.ColumnInt(0);
  return static_cast<uint32_t>(std::min<int64_t>(n, UINT32_MAX));
}

Result<uint32_t> SqliteStorage::CountPrekeyMessagesOf(std::string_view owner, uint32_t instance_tag,
                                                      int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  Statement count(db_, std::string("SELECT COUNT(*) FROM prekey_messages m"
                                   " JOIN instances i ON m.instance_id = i.id"
                                   " WHERE i.owner = ?1 AND i.instance_tag = ?3 AND NOT ") +
                           std::string(kMessagesExpired));
  if (!count.prepared() ||
      count.Blob(1, owner).Int(2, now).Int(3, instance_tag).Step() != SQLITE_ROW) {
    return Fail("sqlite: count");
  }
  int64_t n = count.ColumnInt(0);
  return static_cast<uint32_t>(std::min<int64_t>(n, UINT32_MAX));
}

Result<std::vector<prekey::StoredEnsemble>> SqliteStorage::TakeEnsembles(std::string_view owner,
                                                                         int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  // IMMEDIATE: the write lock is held from the first read, so no other
  // connection reads the message between our SELECT and our DELETE.
  Transaction txn(db_);
  if (txn.Begin() != SQLITE_OK) return Fail("sqlite: take: begin");
  struct Candidate {
    int64_t id;
    prekey::StoredEnsemble ensemble;
  };
  std::vector<Candidate> candidates;
  {
    Statement select(db_,
                     "SELECT id, instance_tag, client_profile, prekey_profile FROM instances"
                     " WHERE owner = ?1"
                     " AND client_profile IS NOT NULL AND client_profile_expires > ?2"
                     " AND prekey_profile IS NOT NULL AND prekey_profile_expires > ?2"
                     " ORDER BY instance_tag");
    if (!select.prepared()) return Fail("sqlite: take: prepare");
    select.Blob(1, owner).Int(2, now);
    int rc;
    while ((rc = select.Step()) == SQLITE_ROW) {
      candidates.push_back(Candidate{
          select.ColumnInt(0), prekey::StoredEnsemble{static_cast<uint32_t>(select.ColumnInt(1)),
                                                      select.ColumnBlob(2),
                                                      select.ColumnBlob(3),
                                                      {}}});
    }
    if (rc != SQLITE_DONE) return Fail("sqlite: take: select");
  }
  std::vector<prekey::StoredEnsemble> out;
  for (Candidate& c : candidates) {
    // The oldest message of the instance, deleted and returned in one step.
    Statement take(db_,
                   "DELETE FROM prekey_messages WHERE id ="
                   " (SELECT id FROM prekey_messages WHERE instance_id = ?1 ORDER BY id LIMIT 1)"
                   " RETURNING message");
    if (!take.prepared()) return Fail("sqlite: take: prepare delete");
    int rc = take.Int(1, c.id).Step();
    if (rc == SQLITE_DONE) continue;  // no message left for this tag
    if (rc != SQLITE_ROW) return Fail("sqlite: take: delete");
    c.ensemble.prekey_message = take.ColumnBlob(0);
    if (take.Step() != SQLITE_DONE) return Fail("sqlite: take: delete");
    out.push_back(std::move(c.ensemble));
  }
  if (txn.Commit() != SQLITE_OK) return Fail("sqlite: take: commit");
  return out;
}

Result<uint64_t> SqliteStorage::PurgeExpired(int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  Transaction txn(db_);
  if (txn.Begin() != SQLITE_OK) return Fail("sqlite: purge: begin");
  uint64_t deleted = 0;
  // Order matters: messages first, while the expired profiles that make
  // them unusable are still there to say so.
  const std::string statements[] = {
      std::string("DELETE FROM prekey_messages WHERE instance_id IN"
                  " (SELECT i.id FROM instances i WHERE ") +
          std::string(kMessagesExpired) + ")",
      "UPDATE instances SET client_profile = NULL, client_profile_expires = 0"
      " WHERE client_profile IS NOT NULL AND client_profile_expires <= ?2",
      "UPDATE instances SET prekey_profile = NULL, prekey_profile_expires = 0"
      " WHERE prekey_profile IS NOT NULL AND prekey_profile_expires <= ?2",
  };
  for (const std::string& sql : statements) {
    Statement step(db_, sql);
    if (!step.prepared() || step.Int(2, now).Step() != SQLITE_DONE) {
      return Fail("sqlite: purge");
    }
    deleted += static_cast<uint64_t>(sqlite3_changes(db_));
  }
  // Instances with nothing left are dropped (not counted: they held nothing).
  if (sqlite3_exec(
          db_,
          "DELETE FROM instances WHERE client_profile IS NULL AND prekey_profile IS NULL"
          " AND NOT EXISTS (SELECT 1 FROM prekey_messages m WHERE m.instance_id = instances.id)",
          nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Fail("sqlite: purge: instances");
  }
  if (txn.Commit() != SQLITE_OK) return Fail("sqlite: purge: commit");
  return deleted;
}

}  // namespace otr::prekey_server
