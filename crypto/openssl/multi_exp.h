// Products of two powers, b1^e1 * b2^e2 mod m, by simultaneous
// exponentiation (Straus/Shamir): one chain of squarings for both exponents,
// so a product costs about one exponentiation and a half instead of two.
// SMP's proofs are such products (otr v3 spec, "Socialist Millionaires'
// Protocol (SMP)": g1^D5 g2^D6, g3^D5 Pb^cP, ...).
#ifndef OTR_CRYPTO_OPENSSL_MULTI_EXP_H_
#define OTR_CRYPTO_OPENSSL_MULTI_EXP_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::openssl {

// Constant time in the exponents (and bases): 2-bit windows of both
// exponents form a 4-bit index into a 16-entry table; every window costs two
// squarings and one multiplication whatever its value, and every entry of
// the table is read (SelectWords). The exponents' lengths are public.
Result<SecretBytes> ModExp2(ByteView base1, const SecretBytes& exponent1, ByteView base2,
                            const SecretBytes& exponent2, ByteView m);
// Public exponents and bases: OpenSSL's variable-time BN_mod_exp2_mont.
Result<Bytes> ModExp2Public(ByteView base1, ByteView exponent1, ByteView base2, ByteView exponent2,
                            ByteView m);

// out = entry `index` of `table` (`count` entries of out.size() words),
// reading every entry with a mask: no branch or address depends on `index`.
void SelectWords(std::span<const uint64_t> table, size_t count, size_t index,
                 std::span<uint64_t> out);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_MULTI_EXP_H_
