// Chooses and opens a storage backend from one configuration string, as the
// prekey server's config file and flags give it (tools/README.md, "Prekey
// server storage"):
//   sqlite:<path>           SQLite file <path> (the default backend)
//   postgresql:<conninfo>   PostgreSQL; <conninfo> as libpq takes it
//   postgresql://...        a libpq URI, as is
//   memory:                 in memory, nothing kept (tests, trials)
#ifndef OTR_TOOLS_PREKEY_SERVER_OPEN_STORAGE_H_
#define OTR_TOOLS_PREKEY_SERVER_OPEN_STORAGE_H_

#include <memory>
#include <string_view>

#include "base/result.h"
#include "protocol/prekey/server/storage.h"
#include "tools/prekey_server/storage_limits.h"

namespace otr::prekey_server {

// The default: a file in the server's working directory.
inline constexpr std::string_view kDefaultStorage = "sqlite:prekeys.db";

// kInvalidEncoding for an unknown scheme or an empty path; the backend's
// error when it cannot open.
Result<std::unique_ptr<prekey::Storage>> OpenStorage(std::string_view spec,
                                                     const StorageLimits& limits = {});

}  // namespace otr::prekey_server

#endif  // OTR_TOOLS_PREKEY_SERVER_OPEN_STORAGE_H_
