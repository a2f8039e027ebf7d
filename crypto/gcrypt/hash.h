// SHA-1, SHA-256, their HMACs and SHAKE-256 over libgcrypt's gcry_md.
#ifndef OTR_CRYPTO_GCRYPT_HASH_H_
#define OTR_CRYPTO_GCRYPT_HASH_H_

#include <memory>

#include "crypto/backend.h"

namespace otr::crypto::gcrypt_internal {

std::unique_ptr<HashContext> NewGcryptHash(HashAlgorithm alg);
std::unique_ptr<HashContext> NewGcryptHmac(HashAlgorithm alg, ByteView key);
std::unique_ptr<XofContext> NewGcryptShake256();

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_HASH_H_
