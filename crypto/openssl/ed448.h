// Ed448-Goldilocks group and scalar arithmetic over libdecaf, otrv4.md
// "Elliptic Curve Operations" and "Encoding and Decoding". An Ed448Point of
// this backend holds libdecaf's internal point (the image of decision 0004);
// every crossing between encodings and libdecaf points goes through
// ed448_isogeny.h.
#ifndef OTR_CRYPTO_OPENSSL_ED448_H_
#define OTR_CRYPTO_OPENSSL_ED448_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::openssl {

Result<Ed448Point> Ed448Decode(ByteView encoded);
Ed448Point Ed448Base();
Ed448Point Ed448Identity();
Ed448Point Ed448Add(const Ed448Point& a, const Ed448Point& b);
Ed448Point Ed448Sub(const Ed448Point& a, const Ed448Point& b);
Ed448Point Ed448Negate(const Ed448Point& a);
Ed448Point Ed448Mul(const Ed448Point& point, const SecretBytes& scalar);
Ed448Point Ed448MulBase(const SecretBytes& scalar);
Ed448Point Ed448MulAdd(const Ed448Point& p, const SecretBytes& a, const Ed448Point& q,
                       const SecretBytes& b);
Ed448Point Ed448MulBaseAddPublic(ByteView a, ByteView b, const Ed448Point& p);
Ed448Encoding Ed448Encode(const Ed448Point& point);
bool Ed448Equal(const Ed448Point& a, const Ed448Point& b);

Result<SecretBytes> Ed448ScalarDecode(ByteView encoded);
SecretBytes Ed448ScalarReduce(ByteView little_endian);
SecretBytes Ed448ScalarAdd(const SecretBytes& a, const SecretBytes& b);
SecretBytes Ed448ScalarSub(const SecretBytes& a, const SecretBytes& b);
SecretBytes Ed448ScalarMul(const SecretBytes& a, const SecretBytes& b);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_ED448_H_
