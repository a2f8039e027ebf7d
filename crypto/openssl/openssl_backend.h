// The `openssl` crypto backend: OpenSSL 3 for hashes, MACs, ciphers, big
// integers, DSA and EdDSA; libdecaf for Ed448 group arithmetic.
#ifndef OTR_CRYPTO_OPENSSL_OPENSSL_BACKEND_H_
#define OTR_CRYPTO_OPENSSL_OPENSSL_BACKEND_H_

#include "crypto/backend.h"

namespace otr::crypto {

// The process-wide instance; name() is "openssl".
const Backend& OpensslBackend();

}  // namespace otr::crypto

#endif  // OTR_CRYPTO_OPENSSL_OPENSSL_BACKEND_H_
