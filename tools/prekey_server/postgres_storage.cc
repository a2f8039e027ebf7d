#include "tools/prekey_server/postgres_storage.h"

#include <postgresql/libpq-fe.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/prekey_server/schema.h"

namespace otr::prekey_server {
namespace {

// Type OIDs of the parameters we send (pg_type.dat).
constexpr Oid kInt8Oid = 20;
constexpr Oid kByteaOid = 17;

// Serialises the migrations of every process on one database.
constexpr int64_t kMigrationLock = 0x4f54'5231'3870;  // "OTR18p"

// Parameters, all sent in binary: int8 big-endian, bytea as its bytes.
class Params {
 public:
  Params& Int(int64_t v) {
    Bytes b(8);
    for (int i = 0; i < 8; ++i)
      b[i] = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (56 - 8 * i));
    values_.push_back(std::move(b));
    types_.push_back(kInt8Oid);
    return *this;
  }
  Params& Bytea(ByteView v) {
    values_.emplace_back(v.begin(), v.end());
    types_.push_back(kByteaOid);
    return *this;
  }
  Params& Bytea(std::string_view v) { return Bytea(AsBytes(v)); }

  int size() const { return static_cast<int>(values_.size()); }
  const Oid* types() const { return types_.data(); }
  const std::vector<Bytes>& values() const { return values_; }

 private:
  std::vector<Bytes> values_;
  std::vector<Oid> types_;
};

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// The binary value of column `col` of `row` (int2/int4/int8 big-endian).
int64_t GetInt(const PGresult* r, int row, int col) {
  const auto* p = reinterpret_cast<const uint8_t*>(PQgetvalue(r, row, col));
  int len = PQgetlength(r, row, col);
  if (len != 2 && len != 4 && len != 8) return 0;
  uint64_t v = 0;
  for (int i = 0; i < len; ++i) v = (v << 8) | p[i];
  if (len < 8 && (p[0] & 0x80) != 0) v |= ~uint64_t{0} << (8 * len);  // sign-extend
  return static_cast<int64_t>(v);
}

Bytes GetBytes(const PGresult* r, int row, int col) {
  const auto* p = reinterpret_cast<const uint8_t*>(PQgetvalue(r, row, col));
  int len = PQgetlength(r, row, col);
  if (p == nullptr || len <= 0) return {};
  return Bytes(p, p + len);
}

uint64_t Affected(const PGresult* r) {
  const char* text = PQcmdTuples(const_cast<PGresult*>(r));
  uint64_t n = 0;
  for (; text != nullptr && *text >= '0' && *text <= '9'; ++text) n = n * 10 + (*text - '0');
  return n;
}

void IgnoreNotice(void*, const char*) {}

// The condition under which the prekey messages of instance row `i` have
// expired (storage.h: a stored profile of their tag has expired); $2 is now.
#define OTR_MESSAGES_EXPIRED                                              \
  "((i.client_profile IS NOT NULL AND i.client_profile_expires <= $2) OR" \
  " (i.prekey_profile IS NOT NULL AND i.prekey_profile_expires <= $2))"

}  // namespace

class PostgresStorage::Connection {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  PGconn* get() { return conn_; }

  // Runs `sql`; the result on success, null (error recorded) on failure.
  PgResult Run(const char* sql, const Params& params = Params()) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats(static_cast<size_t>(params.size()), 1);
    for (const Bytes& v : params.values()) {
      values.push_back(v.empty() ? "" : reinterpret_cast<const char*>(v.data()));
      lengths.push_back(static_cast<int>(v.size()));
    }
    PgResult r(PQexecParams(conn_, sql, params.size(), params.types(), values.data(),
                            lengths.data(), formats.data(), /*resultFormat=*/1));
    ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      sqlstate_.clear();
      return r;
    }
    error_ = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_);
    const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    sqlstate_ = state ? state : "";
    return nullptr;
  }
  bool Command(const char* sql) { return Run(sql) != nullptr; }

  Error Fail(std::string_view context) {
    if (error_.empty()) error_ = PQerrorMessage(conn_);
    return MakeError(ErrorCode::kBackendFailure, context);
  }
  // A failure that a new attempt of the whole transaction may not meet.
  bool Retryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }
  bool UniqueViolation() const { return sqlstate_ == "23505"; }
  const std::string& error() const { return error_; }
  void set_error(std::string e) { error_ = std::move(e); }

  // Reconnects a connection the server dropped.
  void EnsureConnected() {
    if (PQstatus(conn_) != CONNECTION_OK) PQreset(conn_);
  }

 private:
  PGconn* conn_;
  std::string error_;
  std::string sqlstate_;
};

namespace {

// Runs body() inside BEGIN ... COMMIT, retried on serialization failure and
// deadlock; rolled back on any failure.
template <typename T, typename Body>
Result<T> InTransaction(PostgresStorage::Connection& c, int max_attempts, Body body) {
  c.EnsureConnected();
  for (int attempt = 1;; ++attempt) {
    if (!c.Command("BEGIN")) return c.Fail("postgres: begin");
    Result<T> r = body();
    if (r.ok()) {
      if (c.Command("COMMIT")) return r;
    }
    bool retry = c.Retryable() && (r.ok() || r.code() == ErrorCode::kBackendFailure);
    if (PQtransactionStatus(c.get()) != PQTRANS_IDLE) {
      std::string error = c.error();
      c.Command("ROLLBACK");
      c.set_error(error);
    }
    if (!retry || attempt >= max_attempts) {
      return r.ok() ? Result<T>(c.Fail("postgres: commit")) : r;
    }
  }
}

}  // namespace

PostgresStorage::PostgresStorage(std::unique_ptr<Connection> conn, const PostgresOptions& options)
    : conn_(std::move(conn)), limits_(options.limits), max_attempts_(options.max_attempts) {}

PostgresStorage::~PostgresStorage() = default;

std::string PostgresStorage::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return conn_->error();
}

Result<std::unique_ptr<PostgresStorage>> PostgresStorage::Open(const PostgresOptions& options) {
  auto conn = std::make_unique<Connection>(PQconnectdb(options.conninfo.c_str()));
  std::unique_ptr<PostgresStorage> storage(new PostgresStorage(std::move(conn), options));
  Connection& c = *storage->conn_;
  if (c.get() == nullptr) return MakeError(ErrorCode::kBackendFailure, "postgres: out of memory");
  if (PQstatus(c.get()) != CONNECTION_OK) return c.Fail("postgres: cannot connect");
  PQsetNoticeProcessor(c.get(), IgnoreNotice, nullptr);
  // ON CONFLICT and SKIP LOCKED: PostgreSQL 9.5.
  if (PQserverVersion(c.get()) < 90500) {
    return MakeError(ErrorCode::kUnsupportedVersion, "postgres: server older than 9.5");
  }
  // Publish returns Ok only once the commit is on the server's disk.
  if (!c.Command("SET synchronous_commit = on")) return c.Fail("postgres: synchronous_commit");
  int target = options.migrate_to_version >= 0 ? options.migrate_to_version : kSchemaVersion;
  OTR_RETURN_IF_ERROR(storage->Migrate(target));
  return storage;
}

Status PostgresStorage::Migrate(int target) {
  std::lock_guard<std::mutex> lock(mu_);
  Connection& c = *conn_;
  auto lock_all = [&c]() -> Status {
    if (!c.Run("SELECT pg_advisory_xact_lock($1)", Params().Int(kMigrationLock))) {
      return c.Fail("postgres: migrate: lock");
    }
    return Status::Ok();
  };
  auto created = InTransaction<bool>(c, max_attempts_, [&]() -> Result<bool> {
    OTR_RETURN_IF_ERROR(lock_all());
    if (!c.Command("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)") ||
        !c.Command("INSERT INTO schema_version (version)"
                   " SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)")) {
      return c.Fail("postgres: migrate: schema_version");
    }
    return true;
  });
  if (!created.ok()) return created.error();
  for (const Migration& m : Migrations(Dialect::kPostgres)) {
    if (m.version > target) break;
    auto step = InTransaction<bool>(c, max_attempts_, [&]() -> Result<bool> {
      OTR_RETURN_IF_ERROR(lock_all());
      PgResult r = c.Run("SELECT version FROM schema_version");
      if (!r || PQntuples(r.get()) != 1) return c.Fail("postgres: migrate: version");
      int64_t current = GetInt(r.get(), 0, 0);
      if (current > kSchemaVersion) {
        return MakeError(ErrorCode::kUnsupportedVersion,
                         "postgres: the database schema is newer than this program");
      }
      if (current >= m.version) return true;
      if (current != m.version - 1) return c.Fail("postgres: migrate: version out of sequence");
      for (std::string_view sql : m.statements) {
        if (!c.Command(std::string(sql).c_str())) return c.Fail("postgres: migrate: step");
      }
      if (!c.Run("UPDATE schema_version SET version = $1", Params().Int(m.version))) {
        return c.Fail("postgres: migrate: bump");
      }
      return true;
    });
    if (!step.ok()) return step.error();
  }
  return Status::Ok();
}

Result<int> PostgresStorage::SchemaVersion() {
  std::lock_guard<std::mutex> lock(mu_);
  conn_->EnsureConnected();
  PgResult r = conn_->Run("SELECT version FROM schema_version");
  if (!r || PQntuples(r.get()) != 1) return conn_->Fail("postgres: schema version");
  return static_cast<int>(GetInt(r.get(), 0, 0));
}

Status PostgresStorage::Publish(const prekey::Publication& p, int64_t /*now*/) {
  OTR_RETURN_IF_ERROR(CheckPublicationSizes(p, limits_));
  std::set<uint32_t> ids;
  for (const auto& m : p.prekey_messages) {
    if (!ids.insert(m.first).second) {
      return MakeError(ErrorCode::kInvalidEncoding, "prekey message id repeated in publication");
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  Connection& c = *conn_;
  auto done = InTransaction<bool>(c, max_attempts_, [&]() -> Result<bool> {
    int64_t instance = -1;
    {
      // FOR UPDATE: a concurrent purge cannot delete the row under us.
      PgResult r =
          c.Run("SELECT id FROM instances WHERE owner = $1 AND instance_tag = $2 FOR UPDATE",
                Params().Bytea(p.owner).Int(p.instance_tag));
      if (!r) return c.Fail("postgres: publish: find instance");
      if (PQntuples(r.get()) == 1) instance = GetInt(r.get(), 0, 0);
    }
    if (instance < 0) {
      PgResult count =
          c.Run("SELECT COUNT(*) FROM instances WHERE owner = $1", Params().Bytea(p.owner));
      if (!count || PQntuples(count.get()) != 1) return c.Fail("postgres: publish: count");
      if (static_cast<uint64_t>(GetInt(count.get(), 0, 0)) >= limits_.max_instances_per_owner) {
        return MakeError(ErrorCode::kTooLarge, "publication: too many instance tags for the owner");
      }
      // ON CONFLICT: another process may insert the same row meanwhile; the
      // no-op update locks and returns it.
      PgResult r = c.Run(
          "INSERT INTO instances (owner, instance_tag) VALUES ($1, $2)"
          " ON CONFLICT (owner, instance_tag) DO UPDATE SET owner = EXCLUDED.owner"
          " RETURNING id",
          Params().Bytea(p.owner).Int(p.instance_tag));
      if (!r || PQntuples(r.get()) != 1) return c.Fail("postgres: publish: insert instance");
      instance = GetInt(r.get(), 0, 0);
    }
    // A published profile replaces the stored one, whatever its expiry (storage.h).
    if (p.client_profile &&
        !c.Run("UPDATE instances SET client_profile = $1, client_profile_expires = $2"
               " WHERE id = $3",
               Params().Bytea(*p.client_profile).Int(p.client_profile_expires).Int(instance))) {
      return c.Fail("postgres: publish: client profile");
    }
    if (p.prekey_profile &&
        !c.Run("UPDATE instances SET prekey_profile = $1, prekey_profile_expires = $2"
               " WHERE id = $3",
               Params().Bytea(*p.prekey_profile).Int(p.prekey_profile_expires).Int(instance))) {
      return c.Fail("postgres: publish: prekey profile");
    }
    // Rows are inserted in publication order: ascending id = oldest first.
    for (const auto& [id, message] : p.prekey_messages) {
      if (!c.Run("INSERT INTO prekey_messages (instance_id, message_id, message)"
                 " VALUES ($1, $2, $3)",
                 Params().Int(instance).Int(id).Bytea(message))) {
        if (c.UniqueViolation()) {
          return MakeError(ErrorCode::kInvalidEncoding, "prekey message id already stored");
        }
        return c.Fail("postgres: publish: insert message");
      }
    }
    if (!p.prekey_messages.empty()) {
      PgResult count = c.Run("SELECT COUNT(*) FROM prekey_messages WHERE instance_id = $1",
                             Params().Int(instance));
      if (!count || PQntuples(count.get()) != 1) return c.Fail("postgres: publish: count");
      if (static_cast<uint64_t>(GetInt(count.get(), 0, 0)) >
          limits_.max_prekey_messages_per_instance) {
        return MakeError(ErrorCode::kTooLarge, "publication: too many prekey messages stored");
      }
    }
    return true;
  });
  if (!done.ok()) return done.error();
  return Status::Ok();
}

Result<uint32_t> PostgresStorage::CountPrekeyMessages(std::string_view owner, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  conn_->EnsureConnected();
  PgResult r = conn_->Run(
      "SELECT COUNT(*) FROM prekey_messages m JOIN instances i ON m.instance_id = i.id"
      " WHERE i.owner = $1 AND NOT " OTR_MESSAGES_EXPIRED,
      Params().Bytea(owner).Int(now));
  if (!r || PQntuples(r.get()) != 1) return conn_->Fail("postgres: count");
  return static_cast<uint32_t>(std::min<int64_t>(GetInt(r.get(), 0, 0), UINT32_MAX));
}

Result<uint32_t> PostgresStorage::CountPrekeyMessagesOf(std::string_view owner,
                                                        uint32_t instance_tag, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  conn_->EnsureConnected();
  PgResult r = conn_->Run(
      "SELECT COUNT(*) FROM prekey_messages m JOIN instances i ON m.instance_id = i.id"
      " WHERE i.owner = $1 AND i.instance_tag = $3 AND NOT " OTR_MESSAGES_EXPIRED,
      Params().Bytea(owner).Int(now).Int(instance_tag));
  if (!r || PQntuples(r.get()) != 1) return conn_->Fail("postgres: count");
  return static_cast<uint32_t>(std::min<int64_t>(GetInt(r.get(), 0, 0), UINT32_MAX));
}

Result<std::vector<prekey::StoredEnsemble>> PostgresStorage::TakeEnsembles(std::string_view owner,
                                                                           int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  Connection& c = *conn_;
  using Ensembles = std::vector<prekey::StoredEnsemble>;
  return InTransaction<Ensembles>(c, max_attempts_, [&]() -> Result<Ensembles> {
    PgResult instances = c.Run(
        "SELECT id, instance_tag, client_profile, prekey_profile FROM instances"
        " WHERE owner = $1"
        " AND client_profile IS NOT NULL AND client_profile_expires > $2"
        " AND prekey_profile IS NOT NULL AND prekey_profile_expires > $2"
        " ORDER BY instance_tag",
        Params().Bytea(owner).Int(now));
    if (!instances) return c.Fail("postgres: take: select");
    Ensembles out;
    for (int row = 0; row < PQntuples(instances.get()); ++row) {
      // The oldest message of the instance nobody else is taking, removed
      // in this transaction: handed out at most once.
      PgResult taken = c.Run(
          "DELETE FROM prekey_messages WHERE id ="
          " (SELECT id FROM prekey_messages WHERE instance_id = $1"
          "  ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
          " RETURNING message",
          Params().Int(GetInt(instances.get(), row, 0)));
      if (!taken) return c.Fail("postgres: take: delete");
      if (PQntuples(taken.get()) != 1) continue;  // none left (or all being taken)
      out.push_back(prekey::StoredEnsemble{
          static_cast<uint32_t>(GetInt(instances.get(), row, 1)), GetBytes(instances.get(), row, 2),
          GetBytes(instances.get(), row, 3), GetBytes(taken.get(), 0, 0)});
    }
    return out;
  });
}

Result<uint64_t> PostgresStorage::PurgeExpired(int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  Connection& c = *conn_;
  return InTransaction<uint64_t>(c, max_attempts_, [&]() -> Result<uint64_t> {
    uint64_t deleted = 0;
    // Messages first, while the expired profiles that make them unusable
    // are still there to say so. ($1 is unused; $2 is now, as in the
    // condition shared with CountPrekeyMessages.)
    const char* statements[] = {
        "DELETE FROM prekey_messages m USING instances i"
        " WHERE m.instance_id = i.id AND $1::int8 IS NOT NULL AND " OTR_MESSAGES_EXPIRED,
        "UPDATE instances SET client_profile = NULL, client_profile_expires = 0"
        " WHERE $1::int8 IS NOT NULL AND client_profile IS NOT NULL"
        " AND client_profile_expires <= $2",
        "UPDATE instances SET prekey_profile = NULL, prekey_profile_expires = 0"
        " WHERE $1::int8 IS NOT NULL AND prekey_profile IS NOT NULL"
        " AND prekey_profile_expires <= $2",
    };
    for (const char* sql : statements) {
      PgResult r = c.Run(sql, Params().Int(0).Int(now));
      if (!r) return c.Fail("postgres: purge");
      deleted += Affected(r.get());
    }
    // Instances with nothing left are dropped (not counted: they held nothing).
    if (!c.Command("DELETE FROM instances i WHERE client_profile IS NULL"
                   " AND prekey_profile IS NULL AND NOT EXISTS"
                   " (SELECT 1 FROM prekey_messages m WHERE m.instance_id = i.id)")) {
      return c.Fail("postgres: purge: instances");
    }
    return deleted;
  });
}

}  // namespace otr::prekey_server
