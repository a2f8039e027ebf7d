// The registry of crypto backends. Both are linked into every binary; callers
// choose one by name at run time ("openssl" or "gcrypt").
#ifndef OTR_CRYPTO_BACKENDS_H_
#define OTR_CRYPTO_BACKENDS_H_

#include <span>
#include <string_view>

#include "base/result.h"
#include "crypto/backend.h"

namespace otr::crypto {

// Every backend, in a fixed order (openssl first).
std::span<const Backend* const> AllBackends();

// kUnknownBackend when no backend has that name.
Result<const Backend*> FindBackend(std::string_view name);

// The backend used when the caller does not choose: openssl.
const Backend& DefaultBackend();

}  // namespace otr::crypto

#endif  // OTR_CRYPTO_BACKENDS_H_
