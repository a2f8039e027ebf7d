// The one place that crosses between RFC 8032 Ed448 encodings and libdecaf's
// internal points. Read docs/decisions/0004-decaf-isogeny.md.
//
// libdecaf 1.0.2 computes on a curve 4-isogenous to Ed448. Its codec is not a
// pair of inverses:
//   decode(P)  = decaf_448_point_decode_like_eddsa_and_mul_by_ratio(P)
//                maps the RFC 8032 base point B to decaf_448_point_base, and
//                forgets any 4-torsion component of P;
//   encode(D)  = decaf_448_point_mul_by_ratio_and_encode_like_eddsa(D)
//                satisfies encode(decode(P)) = 4·P.
// So the Ed448 point that an internal point D stands for is P = encode(D/4).
// Everything below applies that 1/4 exactly once, folded into the scalar of
// the one scalar multiplication that precedes every encoding:
//   k·P = encode(decode(P) · (k/4 mod q)).
// Nothing else in the backend may call the two libdecaf functions above.
#ifndef OTR_CRYPTO_OPENSSL_ED448_ISOGENY_H_
#define OTR_CRYPTO_OPENSSL_ED448_ISOGENY_H_

#include "crypto/backend.h"
#include "crypto/openssl/decaf_types.h"

namespace otr::crypto::openssl {

// True iff `encoded` is the identity's canonical encoding, 0x01 || 0^56.
bool IsIdentityEncoding(const Ed448Point& encoded);

// The internal image of a 57-byte encoding, with any 4-torsion component
// dropped. Returns false if libdecaf cannot decode it: y >= p, no square root
// (not on the curve), or x = 0 (libdecaf 1.0.2 fails on the identity and on
// (0, -1); the identity is handled here, so only (0, -1) and invalid
// encodings fail). Validation is the caller's job (ed448.cc).
bool DecodeToInternal(const Ed448Point& encoded, InternalPoint& out);

// As DecodeToInternal for a value of the Ed448Point type, which is valid by
// construction; a value that does not decode breaks that invariant, which is
// a bug in the caller, and aborts.
void ToInternal(const Ed448Point& point, InternalPoint& out);

// The RFC 8032 encoding of k·P, where `internal` is the image of P.
Ed448Point EncodeMultiple(const InternalPoint& internal, const Scalar& k);
// The RFC 8032 encoding of k·B for the base point B.
Ed448Point EncodeBaseMultiple(const Scalar& k);
// The RFC 8032 encoding of P itself (k = 1).
Ed448Point Encode(const InternalPoint& internal);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_ED448_ISOGENY_H_
