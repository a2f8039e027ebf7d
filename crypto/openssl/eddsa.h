// EdDSA over Ed448 with an empty context (RFC 8032 section 5.2), through
// OpenSSL's EVP_PKEY ED448. OpenSSL rather than libdecaf's decaf_ed448_*: the
// signatures then come from code independent of the group arithmetic in
// ed448.cc, so tests that compare Ed448DerivePublicKey with Ed448MulBase
// check the isogeny handling against a second implementation.
#ifndef OTR_CRYPTO_OPENSSL_EDDSA_H_
#define OTR_CRYPTO_OPENSSL_EDDSA_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::openssl {

// kInvalidKey unless the seed is 57 bytes.
Result<Bytes> Ed448DerivePublicKey(const SecretBytes& seed);
Result<Bytes> Ed448Sign(const SecretBytes& seed, ByteView message);
// kInvalidKey for a public key that is not 57 bytes; kBadSignature for a
// signature that is not 114 bytes or does not verify.
Status Ed448Verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_EDDSA_H_
