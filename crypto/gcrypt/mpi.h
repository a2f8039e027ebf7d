// Modular arithmetic over libgcrypt MPIs (the "Modular arithmetic" part of
// crypto/backend.h).
#ifndef OTR_CRYPTO_GCRYPT_MPI_H_
#define OTR_CRYPTO_GCRYPT_MPI_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/gcrypt/handles.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::gcrypt_internal {

// Reads a modulus: kOutOfRange unless it is odd and greater than 1.
Result<Mpi> ParseOddModulus(ByteView m);

Result<SecretBytes> GcryptModExp(ByteView base, const SecretBytes& exponent, ByteView m);
Result<Bytes> GcryptModExpPublic(ByteView base, ByteView exponent, ByteView m);
Result<SecretBytes> GcryptModExp2(ByteView base1, const SecretBytes& exponent1, ByteView base2,
                                  const SecretBytes& exponent2, ByteView m);
Result<int> GcryptJacobiPublic(ByteView a, ByteView n);
Result<SecretBytes> GcryptModMul(ByteView a, ByteView b, ByteView m);
Result<SecretBytes> GcryptModAdd(ByteView a, ByteView b, ByteView m);
Result<SecretBytes> GcryptModSub(ByteView a, ByteView b, ByteView m);
Result<SecretBytes> GcryptModInverse(ByteView a, ByteView m);
Result<SecretBytes> GcryptMod(ByteView a, ByteView m);
int GcryptCompare(ByteView a, ByteView b);

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_MPI_H_
