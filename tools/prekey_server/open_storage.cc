#include "tools/prekey_server/open_storage.h"

#include <string>

#include "protocol/prekey/server/memory_storage.h"
#include "tools/prekey_server/postgres_storage.h"
#include "tools/prekey_server/sqlite_storage.h"

namespace otr::prekey_server {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Result<std::unique_ptr<prekey::Storage>> OpenStorage(std::string_view spec,
                                                     const StorageLimits& limits) {
  if (StartsWith(spec, "sqlite:")) {
    SqliteOptions options;
    options.path = std::string(spec.substr(7));
    options.limits = limits;
    if (options.path.empty()) return MakeError(ErrorCode::kInvalidEncoding, "storage: no path");
    OTR_ASSIGN_OR_RETURN(auto storage, SqliteStorage::Open(options));
    return std::unique_ptr<prekey::Storage>(std::move(storage));
  }
  if (StartsWith(spec, "postgresql:")) {
    PostgresOptions options;
    // A URI goes to libpq whole; otherwise what follows the scheme.
    options.conninfo = std::string(StartsWith(spec, "postgresql://") ? spec : spec.substr(11));
    options.limits = limits;
    OTR_ASSIGN_OR_RETURN(auto storage, PostgresStorage::Open(options));
    return std::unique_ptr<prekey::Storage>(std::move(storage));
  }
  if (spec == "memory:") return std::unique_ptr<prekey::Storage>(new prekey::MemoryStorage());
  return MakeError(ErrorCode::kInvalidEncoding,
                   "storage: expected sqlite:<path>, postgresql:<conninfo> or memory:");
}

}  // namespace otr::prekey_server
