// The `gcrypt` crypto backend: every primitive of crypto/backend.h on
// libgcrypt 1.10 alone, Ed448 included (through its EC API).
#ifndef OTR_CRYPTO_GCRYPT_GCRYPT_BACKEND_H_
#define OTR_CRYPTO_GCRYPT_GCRYPT_BACKEND_H_

#include "crypto/backend.h"

namespace otr::crypto {

// The process-wide instance (name() == "gcrypt"); initialises libgcrypt on
// first use.
const Backend& GcryptBackend();

}  // namespace otr::crypto

#endif  // OTR_CRYPTO_GCRYPT_GCRYPT_BACKEND_H_
