// Fixed-base exponentiation g^x for g = 2 in the RFC 3526 1536-bit group
// with an exponent of at most 320 bits: the v2/v3 D-H key generation
// (otr v3 spec, "Diffie-Hellman key exchange": x at least 320 random bits);
// or of at most 1536 bits: SMP's g1 powers (v3 "SMP", 1536-bit exponents).
// A table of g^(j * 16^i) (j < 16, one row per 4-bit window of x; 80 rows,
// or 384 for the second) is built once per process, on first use; g^x is then one Montgomery
// multiplication per window and no squaring, about a quarter of BN_mod_exp_mont_consttime's work.
// It is constant time in x: every window reads the whole row (masked selection), and the
// multiplications run on full-width operands. Full width needs blinding (issue 14): unblinded,
// entry 0 of a row is R mod p (1473 bits), which loads as 23 words and sends BN_mod_mul_montgomery
// off bn_mul_mont, faster, for every zero window. As in crypto/gcrypt/fixed_base.cc, row i is
// multiplied by a random unit B_i (redrawn until all 16 entries have a nonzero top word) and the
// product is multiplied once by (B_0 ... B_last)^-1 at the end. Residual: the running product is
// reloaded with its top trimmed, short with probability 2^-64.
#ifndef OTR_CRYPTO_OPENSSL_FIXED_BASE_H_
#define OTR_CRYPTO_OPENSSL_FIXED_BASE_H_

#include "base/bytes.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::openssl {

// 2^exponent mod p, when IsModp1536GeneratorPower (crypto/modp_group.h).
SecretBytes Modp1536GeneratorPower(const SecretBytes& exponent);

// For tests (issue 14, finding 2): how many entries of the table (built on
// first use) would load as a BIGNUM shorter than the modulus (fewer than
// 24 words). A short operand takes BN_mod_mul_montgomery off its
// constant-time bn_mul_mont path, so this must be 0.
size_t Modp1536TableShortEntries();

// The same in RFC 3526's 3072-bit group (OTRv4's dh_p, g3 = 2) for
// exponents of at most kFixedBaseMaxV4ExponentBytes (v4's generateDH:
// 80-byte r), when IsModp3072GeneratorPower: 160 rows of 16 entries,
// 983 KB, built on first use (decision 0033).
SecretBytes Modp3072GeneratorPower(const SecretBytes& exponent);
size_t Modp3072TableShortEntries();

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_FIXED_BASE_H_
