// libotr-ng's Ed448 conventions, in terms of the wire (issue 20;
// docs/libotr-ng-deviations.md #9-#11).
//
// libgoldilocks encodes its internal points "like EdDSA" by multiplying by
// the cofactor ratio 4, and derives secret scalars divided by four to make
// up for it (eddsa.c, goldilocks_ed448_derive_secret_scalar). On the wire
// the effect is:
//   - a libotr-ng key pair with public key A = a * B (B the RFC 8032 base
//     point, a the spec's secret scalar) holds the scalar a / 4 (mod q);
//   - its generator G (goldilocks_448_point_base), in its ring signatures
//     and its SMP, is 4 * B;
//   - its ECDH (ed448.c, otrng_ecdh_shared_secret) multiplies the peer's
//     point by the held scalar: K_ecdh = (a / 4) * P.
// So A = (a / 4) * G: with G = 4B and the held scalar, every libotr-ng
// equation is the spec's equation over another generator.
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_CURVE_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_CURVE_H_

#include <array>
#include <cstdint>

#include "crypto/backend.h"
#include "crypto/secret_bytes.h"

namespace otr::v4::libotr_ng {

// 1/4 mod q, 57 bytes little-endian (q: otrv4.md "Elliptic Curve
// Parameters").
extern const std::array<uint8_t, crypto::kEd448ScalarSize> kInverseOfFour;

// libotr-ng's generator, 4 * B.
crypto::Ed448Point Generator(const crypto::Backend& backend);

// The scalar libotr-ng holds for the spec secret `a`: a / 4 (mod q).
crypto::SecretBytes HeldScalar(const crypto::Backend& backend, const crypto::SecretBytes& a);

// libotr-ng's ECDH between our secret `a` (the spec's scalar, A = a * B)
// and the peer's point: (a / 4) * peer, what a libotr-ng client holding
// our key would compute (deviation #11).
crypto::Ed448Point EcdhSharedPoint(const crypto::Backend& backend, const crypto::SecretBytes& a,
                                   const crypto::Ed448Point& peer);

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_CURVE_H_
