// The one seam between SecretBytes and the test-only registry of live
// secrets (crypto/secret_registry.h, target //crypto:secret_registry). A
// release binary links no registry: the observer stays null and each
// buffer taken or given back pays one atomic load (issue 14).
#ifndef OTR_CRYPTO_SECRET_OBSERVER_H_
#define OTR_CRYPTO_SECRET_OBSERVER_H_

#include <cstddef>
#include <cstdint>

namespace otr::crypto::internal {

// `allocated`: a buffer got contents (a new[] one, or one inside its
// SecretBytes, decision 0051), at `data`; `released`: that buffer was wiped
// and is about to be freed or reused. An inline buffer moved to another
// SecretBytes is allocated at the destination before the source is released;
// a heap buffer changes owner unseen (its address stays).
struct SecretObserver {
  void (*allocated)(const uint8_t* data, size_t size);
  void (*released)(const uint8_t* data);
};

// Installs `observer` (which must outlive the process); null uninstalls.
void SetSecretObserver(const SecretObserver* observer);

}  // namespace otr::crypto::internal

#endif  // OTR_CRYPTO_SECRET_OBSERVER_H_
