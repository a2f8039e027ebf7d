// Modular exponentiation with a secret exponent, built on gcry_mpi_mulm.
#ifndef OTR_CRYPTO_GCRYPT_MODEXP_H_
#define OTR_CRYPTO_GCRYPT_MODEXP_H_

#include <gcrypt.h>

#include "base/result.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::gcrypt_internal {

// base^exponent mod m for an odd m > 1, with a sequence of multiplications
// and memory accesses that does not depend on the exponent (see modexp.cc).
// gcry_mpi_powm is not used: libgcrypt 1.10 computes it with a sliding
// window whose squarings and multiplications follow the exponent's bits,
// whether or not the exponent is in secure memory.
Result<SecretBytes> ConstantTimeModExp(gcry_mpi_t base, const SecretBytes& exponent, gcry_mpi_t m);

// base1^exponent1 * base2^exponent2 mod m by simultaneous (Straus/Shamir)
// exponentiation in the same blinded representation: 2-bit windows of both
// exponents index a 16-entry table, every window costs two squarings and one
// multiplication, every entry is read (ConstantTimeSelect).
Result<SecretBytes> ConstantTimeModExp2(gcry_mpi_t base1, const SecretBytes& exponent1,
                                        gcry_mpi_t base2, const SecretBytes& exponent2,
                                        gcry_mpi_t m);

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_MODEXP_H_
