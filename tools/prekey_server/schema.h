// The prekey server's database schema and its versioned migrations, one list
// per SQL dialect (SQLite and PostgreSQL hold the same tables).
//
// A database records its version in the one-row table schema_version
// (version 0: empty). Migration N takes version N-1 to N and is applied in
// one transaction together with the version update, so a crash leaves the
// database at N-1 or at N, never between. A database newer than
// kSchemaVersion is refused (an older program must not write to it).
// The tables are described in tools/README.md ("Prekey server storage").
#ifndef OTR_TOOLS_PREKEY_SERVER_SCHEMA_H_
#define OTR_TOOLS_PREKEY_SERVER_SCHEMA_H_

#include <span>
#include <string_view>

namespace otr::prekey_server {

enum class Dialect { kSqlite, kPostgres };

struct Migration {
  int version;                                   // the version it produces
  std::string_view summary;                      // one line, for logs and docs
  std::span<const std::string_view> statements;  // run in order, in one transaction
};

// The version this program writes.
inline constexpr int kSchemaVersion = 2;

// The migrations 1..kSchemaVersion of `dialect`, in order.
std::span<const Migration> Migrations(Dialect dialect);

}  // namespace otr::prekey_server

#endif  // OTR_TOOLS_PREKEY_SERVER_SCHEMA_H_
