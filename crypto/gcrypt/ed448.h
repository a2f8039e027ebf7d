// Ed448 group and scalar arithmetic (otrv4.md, "Elliptic Curve Operations")
// over libgcrypt's EC API. An Ed448Point of this backend holds projective
// coordinates (ed448_curve.h, ProjectiveForm).
#ifndef OTR_CRYPTO_GCRYPT_ED448_H_
#define OTR_CRYPTO_GCRYPT_ED448_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::gcrypt_internal {

Result<Ed448Point> GcryptEd448Decode(ByteView encoded);
Ed448Point GcryptEd448Base();
Ed448Point GcryptEd448Identity();
Ed448Point GcryptEd448Add(const Ed448Point& a, const Ed448Point& b);
Ed448Point GcryptEd448Sub(const Ed448Point& a, const Ed448Point& b);
Ed448Point GcryptEd448Negate(const Ed448Point& a);
Ed448Point GcryptEd448Mul(const Ed448Point& point, const SecretBytes& scalar);
Ed448Point GcryptEd448MulBase(const SecretBytes& scalar);
Ed448Encoding GcryptEd448Encode(const Ed448Point& point);
bool GcryptEd448Equal(const Ed448Point& a, const Ed448Point& b);

Result<SecretBytes> GcryptEd448ScalarDecode(ByteView encoded);
SecretBytes GcryptEd448ScalarReduce(ByteView little_endian);
SecretBytes GcryptEd448ScalarAdd(const SecretBytes& a, const SecretBytes& b);
SecretBytes GcryptEd448ScalarSub(const SecretBytes& a, const SecretBytes& b);
SecretBytes GcryptEd448ScalarMul(const SecretBytes& a, const SecretBytes& b);

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_ED448_H_
