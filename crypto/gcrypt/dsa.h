// DSA key generation and verification (otr v2/v3 spec, "Public keys,
// signatures, and fingerprints") over libgcrypt's gcry_pk interface.
#ifndef OTR_CRYPTO_GCRYPT_DSA_H_
#define OTR_CRYPTO_GCRYPT_DSA_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"

namespace otr::crypto::gcrypt_internal {

Result<DsaPrivateKey> GcryptGenerateDsaKey();
Status GcryptDsaVerify(const DsaPublicKey& key, ByteView message, ByteView signature);

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_DSA_H_
