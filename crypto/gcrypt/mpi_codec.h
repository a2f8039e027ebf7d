// Conversions between byte strings and libgcrypt MPIs. The backend interface
// speaks unsigned big-endian (MPI values of the OTR specs) and, for Ed448,
// little-endian (RFC 8032); libgcrypt's GCRYMPI_FMT_USG is big-endian.
#ifndef OTR_CRYPTO_GCRYPT_MPI_CODEC_H_
#define OTR_CRYPTO_GCRYPT_MPI_CODEC_H_

#include <gcrypt.h>

#include "base/bytes.h"
#include "crypto/gcrypt/handles.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::gcrypt_internal {

// Marks `mpi` as a secret: its limbs move to secure memory and libgcrypt's
// constant-time code paths that key off GCRYMPI_FLAG_SECURE (the Edwards
// scalar multiplication) are taken. gcry_mpi_set and gcry_mpi_set_ui copy the
// flags of their source, so mark right before the secret is used.
// (libgcrypt asserts when flagging a zero MPI that still owns limbs, so a
// zero is replaced by a fresh secure zero.)
void MarkSecret(Mpi& mpi);

// Reads an unsigned big-endian integer (leading zeros allowed, empty = 0).
// Null only if libgcrypt fails, which it does not for this format.
Mpi MpiFromBigEndian(ByteView big_endian);
Mpi SecretMpiFromBigEndian(ByteView big_endian);
// Reads an unsigned little-endian integer (RFC 8032 scalars and coordinates).
Mpi MpiFromLittleEndian(ByteView little_endian);
Mpi SecretMpiFromLittleEndian(ByteView little_endian);

// Minimal big-endian encoding of a non-negative MPI (zero is empty).
Bytes MpiToBigEndian(gcry_mpi_t mpi);
SecretBytes MpiToSecretBigEndian(gcry_mpi_t mpi);

// Fixed-width encodings, left-padded (big-endian) or right-padded
// (little-endian) with zeros. False if the value does not fit.
bool MpiToFixedBigEndian(gcry_mpi_t mpi, MutableByteView out);
bool MpiToFixedLittleEndian(gcry_mpi_t mpi, MutableByteView out);

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_MPI_CODEC_H_
