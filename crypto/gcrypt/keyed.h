// Keyed contexts for messages that reuse one key (backend.h, KeyedHmac and
// KeyedAes128Ctr) over long-lived libgcrypt handles. Opening a handle is
// what costs (about 2 us: libgcrypt's fast entropy poll runs on every
// gcry_md_open and gcry_cipher_open once its generator is in use); a
// keyed object opens its handle once and resets it per message.
#ifndef OTR_CRYPTO_GCRYPT_KEYED_H_
#define OTR_CRYPTO_GCRYPT_KEYED_H_

#include <memory>

#include "crypto/backend.h"

namespace otr::crypto::gcrypt_internal {

std::unique_ptr<KeyedHmac> NewGcryptKeyedHmac(HashAlgorithm alg, const SecretBytes& key);
Result<std::unique_ptr<KeyedAes128Ctr>> NewGcryptKeyedAes128Ctr(const SecretBytes& key);

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_KEYED_H_
