// DSA for the v2/v3 PUBKEY type (1024-bit p, 160-bit q), otr v3 spec
// "Public keys, signatures, and fingerprints". Signing is generic
// (crypto/backend.cc); this file generates keys and verifies.
#ifndef OTR_CRYPTO_OPENSSL_DSA_H_
#define OTR_CRYPTO_OPENSSL_DSA_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"

namespace otr::crypto::openssl {

// FIPS 186-4 domain parameters and key pair from OpenSSL's own generator.
Result<DsaPrivateKey> GenerateDsaKey();

// Verifies r || s over `message` read as a big-endian integer modulo q.
Status DsaVerify(const DsaPublicKey& key, ByteView message, ByteView signature);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_DSA_H_
