#include "crypto/backends.h"

#include <array>

#include "crypto/gcrypt/gcrypt_backend.h"
#include "crypto/openssl/openssl_backend.h"

namespace otr::crypto {

std::span<const Backend* const> AllBackends() {
  static const std::array<const Backend*, 2> backends = {&OpensslBackend(), &GcryptBackend()};
  return backends;
}

Result<const Backend*> FindBackend(std::string_view name) {
  for (const Backend* backend : AllBackends()) {
    if (backend->name() == name) return backend;
  }
  return MakeError(ErrorCode::kUnknownBackend, "FindBackend: expected openssl or gcrypt");
}

const Backend& DefaultBackend() { return OpensslBackend(); }

}  // namespace otr::crypto
