// EdDSA over Ed448 with an empty context (RFC 8032 section 5.2), signing and
// verifying through libgcrypt's gcry_pk interface.
#ifndef OTR_CRYPTO_GCRYPT_EDDSA_H_
#define OTR_CRYPTO_GCRYPT_EDDSA_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::gcrypt_internal {

Result<Bytes> GcryptEd448DerivePublicKey(const SecretBytes& seed);
Result<Bytes> GcryptEd448Sign(const SecretBytes& seed, ByteView message);
Status GcryptEd448Verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_EDDSA_H_
