// A registry of live secret buffers, so tests can check that keys the spec
// says to forget are really gone (issue 7, "Key erasure"). Cheap: a mutex and
// a hash set of pointers; it never stores contents.
// Test-only (issue 14): it lives in the testonly target
// //crypto:secret_registry, which installs itself into SecretBytes through
// crypto/secret_observer.h when linked; release binaries carry none of it.
#ifndef OTR_CRYPTO_SECRET_REGISTRY_H_
#define OTR_CRYPTO_SECRET_REGISTRY_H_

#include <cstddef>
#include <cstdint>
#include <functional>

#include "base/bytes.h"

namespace otr::crypto {

// Number of SecretBytes buffers currently alive in the process.
size_t LiveSecretCount();

// Calls `visit` with each live secret buffer. For tests only: the visitor must
// not store or print the contents.
void ForEachLiveSecret(const std::function<void(ByteView)>& visit);

// Installs `hook` (null uninstalls), called with each registered secret
// buffer as it is released: after SecretBytes wiped it, before the buffer is
// freed or reused. The key-erasure tests check there that inline buffers,
// which never reach operator delete[], were zeroed (decision 0051). The hook
// runs outside the registry's lock and may call the functions above.
void SetReleasedSecretHook(void (*hook)(ByteView released));

}  // namespace otr::crypto

#endif  // OTR_CRYPTO_SECRET_REGISTRY_H_
