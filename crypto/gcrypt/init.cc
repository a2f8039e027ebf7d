#include "crypto/gcrypt/init.h"

#include <gcrypt.h>

#include <cstdio>
#include <cstdlib>

namespace otr::crypto::gcrypt_internal {
namespace {

// Size of the locked secure-memory pool. libgcrypt (>= 1.7.4) adds unlocked
// pools when it runs out, so this bounds only what is mlock(2)ed.
constexpr int kSecureMemoryPoolSize = 64 * 1024;

bool Initialize() {
  // gcry_check_version must be called before any other function; it is
  // harmless when another library already called it.
  if (gcry_check_version(GCRYPT_VERSION) == nullptr) return false;
  if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) return true;
  // Secure memory keeps secret MPIs out of swap; without the privilege to
  // lock memory libgcrypt falls back to ordinary memory, which is fine for
  // us, so its warning is silenced.
  gcry_control(GCRYCTL_DISABLE_SECMEM_WARN);
  gcry_control(GCRYCTL_INIT_SECMEM, kSecureMemoryPoolSize, 0);
  gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
  return true;
}

}  // namespace

bool EnsureInitialized() {
  // C++ guarantees a function-local static is initialised exactly once,
  // even when several threads arrive together.
  static const bool initialized = Initialize();
  return initialized;
}

void LibraryInvariantFailed(const char* what) {
  std::fprintf(stderr, "gcrypt backend: libgcrypt failed: %s\n", what);
  std::abort();
}

}  // namespace otr::crypto::gcrypt_internal
