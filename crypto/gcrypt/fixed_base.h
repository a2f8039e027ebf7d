// Fixed-base exponentiation g^x for g = 2 in the RFC 3526 1536-bit group
// with an exponent of at most 320 bits: the v2/v3 D-H key generation
// (otr v3 spec, "Diffie-Hellman key exchange": x at least 320 random bits),
// or of at most 1536 bits (SMP's g1 powers, a second, 384-row table).
// The gcrypt counterpart of crypto/openssl/fixed_base.h: a table of
// g^(j * 16^i) (j < 16, one row per 4-bit window of x), built once per
// process, turns g^x into one multiplication per window and no squaring.
#ifndef OTR_CRYPTO_GCRYPT_FIXED_BASE_H_
#define OTR_CRYPTO_GCRYPT_FIXED_BASE_H_

#include "base/result.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::gcrypt_internal {

// 2^exponent mod p, when IsModp1536GeneratorPower (crypto/modp_group.h).
Result<SecretBytes> Modp1536GeneratorPower(const SecretBytes& exponent);

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_FIXED_BASE_H_
