#include "tools/prekey_server/schema.h"

#include <array>

namespace otr::prekey_server {
namespace {

// Version 1: one row per (owner, instance tag) holding its Client Profile and
// Prekey Profile with their expiry (unix seconds), and the Prekey Messages of
// that instance, each deleted with its instance (foreign key, ON DELETE
// CASCADE). The owner is kept as bytes (BLOB, BYTEA): the storage
// interface treats it as an opaque string compared exactly, whatever its
// encoding. otr-v4-prekey-server.md, "Publishing Prekey Ensembles": "The
// Prekey Server stores the Client Profile, Prekey Profile and Prekey Messages
// by associating them with the identity".
constexpr std::string_view kSqliteV1[] = {
    "CREATE TABLE instances ("
    " id INTEGER PRIMARY KEY,"
    " owner BLOB NOT NULL,"
    " instance_tag INTEGER NOT NULL CHECK (instance_tag BETWEEN 0 AND 4294967295),"
    " client_profile BLOB,"
    " client_profile_expires INTEGER NOT NULL DEFAULT 0,"
    " prekey_profile BLOB,"
    " prekey_profile_expires INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (owner, instance_tag))",
    "CREATE TABLE prekey_messages ("
    " id INTEGER PRIMARY KEY,"
    " instance_id INTEGER NOT NULL REFERENCES instances(id) ON DELETE CASCADE,"
    " message_id INTEGER NOT NULL CHECK (message_id BETWEEN 0 AND 4294967295),"
    " message BLOB NOT NULL,"
    " UNIQUE (instance_id, message_id))",
};

constexpr std::string_view kPostgresV1[] = {
    "CREATE TABLE instances ("
    " id BIGSERIAL PRIMARY KEY,"
    " owner BYTEA NOT NULL,"
    " instance_tag BIGINT NOT NULL CHECK (instance_tag BETWEEN 0 AND 4294967295),"
    " client_profile BYTEA,"
    " client_profile_expires BIGINT NOT NULL DEFAULT 0,"
    " prekey_profile BYTEA,"
    " prekey_profile_expires BIGINT NOT NULL DEFAULT 0,"
    " UNIQUE (owner, instance_tag))",
    "CREATE TABLE prekey_messages ("
    " id BIGSERIAL PRIMARY KEY,"
    " instance_id BIGINT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,"
    " message_id BIGINT NOT NULL CHECK (message_id BETWEEN 0 AND 4294967295),"
    " message BYTEA NOT NULL,"
    " UNIQUE (instance_id, message_id))",
};

// Version 2: indexes for the two scans that grew with the data: the purge
// by expiry time, and taking the oldest Prekey Message of an instance
// (instance_id, id) without sorting all of them.
constexpr std::string_view kV2[] = {
    "CREATE INDEX instances_client_profile_expires ON instances (client_profile_expires)",
    "CREATE INDEX instances_prekey_profile_expires ON instances (prekey_profile_expires)",
    "CREATE INDEX prekey_messages_oldest ON prekey_messages (instance_id, id)",
};

constexpr std::array<Migration, 2> kSqlite = {{
    {1, "instances and prekey_messages tables", kSqliteV1},
    {2, "indexes for purge and take", kV2},
}};

constexpr std::array<Migration, 2> kPostgres = {{
    {1, "instances and prekey_messages tables", kPostgresV1},
    {2, "indexes for purge and take", kV2},
}};

static_assert(kSqlite.size() == kSchemaVersion && kPostgres.size() == kSchemaVersion);

}  // namespace

std::span<const Migration> Migrations(Dialect dialect) {
  return dialect == Dialect::kSqlite ? std::span<const Migration>(kSqlite)
                                     : std::span<const Migration>(kPostgres);
}

}  // namespace otr::prekey_server
