// Fixed-base exponentiation g^x for g = 2 in the RFC 3526 1536-bit group
// with an exponent of at most 320 bits: the v2/v3 D-H key generation
// (otr v3 spec, "Diffie-Hellman key exchange": x at least 320 random bits).
// A table of g^(j * 16^i) (j < 16, one row per 4-bit window of x) is built
// once per process; g^x is then one Montgomery multiplication per window
// and no squaring, about a quarter of BN_mod_exp_mont_consttime's work. It
// is constant time in x: every window reads the whole row (masked
// selection), and the multiplications run on full-width operands.
#ifndef OTR_CRYPTO_OPENSSL_FIXED_BASE_H_
#define OTR_CRYPTO_OPENSSL_FIXED_BASE_H_

#include "base/bytes.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::openssl {

// 2^exponent mod p, when IsModp1536GeneratorPower (crypto/modp_group.h).
SecretBytes Modp1536GeneratorPower(const SecretBytes& exponent);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_FIXED_BASE_H_
