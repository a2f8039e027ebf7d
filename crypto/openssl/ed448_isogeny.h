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
// The backend keeps a point P as its image D = decode(P) (the internal form
// of crypto::Ed448Point on this backend): decode, add, sub and negate are
// then libdecaf's own operations, with no correction. The Ed448 point that D
// stands for is P = encode(D · (1/4 mod q)); that 1/4 is applied only here,
// when a point is encoded, folded into the scalar of a multiplication when
// there is one:
//   k·P = encode(D · (k/4)),  and the image of k·P is 4·(D · (k/4)).
// Nothing else in the backend may call the two libdecaf functions above.
#ifndef OTR_CRYPTO_OPENSSL_ED448_ISOGENY_H_
#define OTR_CRYPTO_OPENSSL_ED448_ISOGENY_H_

#include "crypto/backend.h"
#include "crypto/openssl/decaf_types.h"

namespace otr::crypto::openssl {

// True iff `encoded` is the identity's canonical encoding, 0x01 || 0^56.
bool IsIdentityEncoding(const Ed448Encoding& encoded);

// The internal image of a 57-byte encoding, with any 4-torsion component
// dropped. Returns false if libdecaf cannot decode it: y >= p, no square root
// (not on the curve), or x = 0 (libdecaf 1.0.2 fails on the identity and on
// (0, -1); the identity is handled here, so only (0, -1) and invalid
// encodings fail). Validation is the caller's job (ed448.cc). One square
// root; no scalar multiplication.
bool DecodeToInternal(const Ed448Encoding& encoded, InternalPoint& out);

// The RFC 8032 encoding of the point that `internal` stands for: one
// variable-base scalar multiplication by 1/4.
Ed448Encoding EncodeInternal(const InternalPoint& internal);

// k·P for the point P that `internal` stands for: its image in `product`
// and its encoding, from one scalar multiplication by k/4, constant time in
// k.
void MultiplyAndEncode(const InternalPoint& internal, const Scalar& k, InternalPoint& product,
                       Ed448Encoding& encoding);
// The same for k·B, B the base point, from libdecaf's precomputed table.
void MultiplyBaseAndEncode(const Scalar& k, InternalPoint& product, Ed448Encoding& encoding);
// a·P + b·Q for the points P and Q that `p` and `q` stand for, from one
// libdecaf double scalar multiplication by a/4 and b/4 (constant time in
// the scalars and points), with its encoding.
void MultiplyAddAndEncode(const InternalPoint& p, const Scalar& a, const InternalPoint& q,
                          const Scalar& b, InternalPoint& product, Ed448Encoding& encoding);
// a·B + b·P for PUBLIC scalars a and b: libdecaf's variable-time
// decaf_448_base_double_scalarmul_non_secret by a/4 and b/4, with its
// encoding. That function gives a wrong result when its second scalar is
// zero (libdecaf 1.0.2), so a zero scalar takes a single multiplication.
void MultiplyBaseAddPublicAndEncode(const Scalar& a, const Scalar& b, const InternalPoint& p,
                                    InternalPoint& product, Ed448Encoding& encoding);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_ED448_ISOGENY_H_
