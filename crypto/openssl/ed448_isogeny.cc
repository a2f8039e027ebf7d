#include "crypto/openssl/ed448_isogeny.h"

#include <decaf/ed448.h>

#include <algorithm>

namespace otr::crypto::openssl {
namespace {

// 1/4 mod q, by halving one twice (libdecaf's own EdDSA key derivation
// divides by its encode ratio the same way).
const Scalar& Quarter() {
  static const Scalar* const quarter = [] {
    auto* s = new Scalar;
    decaf_448_scalar_halve(s->get(), decaf_448_scalar_one);
    decaf_448_scalar_halve(s->get(), s->get());
    return s;
  }();
  return *quarter;
}

// `scaled` = D · (k/4) stands for (k/4)·P, so libdecaf's encoding (which
// multiplies by 4) gives k·P, and 4·scaled is the image of k·P.
void FinishMultiple(InternalPoint& scaled, InternalPoint& product, Ed448Encoding& encoding) {
  decaf_448_point_mul_by_ratio_and_encode_like_eddsa(encoding.data(), scaled.get());
  decaf_448_point_double(product.get(), scaled.get());
  decaf_448_point_double(product.get(), product.get());
}

}  // namespace

bool IsIdentityEncoding(const Ed448Encoding& encoded) {
  return encoded[0] == 1 &&
         std::all_of(encoded.begin() + 1, encoded.end(), [](uint8_t b) { return b == 0; });
}

bool DecodeToInternal(const Ed448Encoding& encoded, InternalPoint& out) {
  if (IsIdentityEncoding(encoded)) {
    decaf_448_point_copy(out.get(), decaf_448_point_identity);
    return true;
  }
  return decaf_448_point_decode_like_eddsa_and_mul_by_ratio(out.get(), encoded.data()) ==
         DECAF_SUCCESS;
}

Ed448Encoding EncodeInternal(const InternalPoint& internal) {
  InternalPoint scaled;
  decaf_448_point_scalarmul(scaled.get(), internal.get(), Quarter().get());
  Ed448Encoding out;
  decaf_448_point_mul_by_ratio_and_encode_like_eddsa(out.data(), scaled.get());
  return out;
}

void MultiplyAndEncode(const InternalPoint& internal, const Scalar& k, InternalPoint& product,
                       Ed448Encoding& encoding) {
  Scalar k_quarter;
  decaf_448_scalar_mul(k_quarter.get(), k.get(), Quarter().get());
  InternalPoint scaled;
  decaf_448_point_scalarmul(scaled.get(), internal.get(), k_quarter.get());
  FinishMultiple(scaled, product, encoding);
}

void MultiplyBaseAndEncode(const Scalar& k, InternalPoint& product, Ed448Encoding& encoding) {
  Scalar k_quarter;
  decaf_448_scalar_mul(k_quarter.get(), k.get(), Quarter().get());
  InternalPoint scaled;
  decaf_448_precomputed_scalarmul(scaled.get(), decaf_448_precomputed_base, k_quarter.get());
  FinishMultiple(scaled, product, encoding);
}

void MultiplyAddAndEncode(const InternalPoint& p, const Scalar& a, const InternalPoint& q,
                          const Scalar& b, InternalPoint& product, Ed448Encoding& encoding) {
  Scalar a_quarter, b_quarter;
  decaf_448_scalar_mul(a_quarter.get(), a.get(), Quarter().get());
  decaf_448_scalar_mul(b_quarter.get(), b.get(), Quarter().get());
  InternalPoint scaled;
  decaf_448_point_double_scalarmul(scaled.get(), p.get(), a_quarter.get(), q.get(),
                                   b_quarter.get());
  FinishMultiple(scaled, product, encoding);
}

void MultiplyBaseAddPublicAndEncode(const Scalar& a, const Scalar& b, const InternalPoint& p,
                                    InternalPoint& product, Ed448Encoding& encoding) {
  Scalar a_quarter, b_quarter;
  decaf_448_scalar_mul(a_quarter.get(), a.get(), Quarter().get());
  decaf_448_scalar_mul(b_quarter.get(), b.get(), Quarter().get());
  InternalPoint scaled;
  // Public scalars: branching on them is allowed.
  if (decaf_448_scalar_eq(b_quarter.get(), decaf_448_scalar_zero) == DECAF_TRUE) {
    decaf_448_precomputed_scalarmul(scaled.get(), decaf_448_precomputed_base, a_quarter.get());
  } else if (decaf_448_scalar_eq(a_quarter.get(), decaf_448_scalar_zero) == DECAF_TRUE) {
    decaf_448_point_scalarmul(scaled.get(), p.get(), b_quarter.get());
  } else {
    decaf_448_base_double_scalarmul_non_secret(scaled.get(), a_quarter.get(), p.get(),
                                               b_quarter.get());
  }
  FinishMultiple(scaled, product, encoding);
}

}  // namespace otr::crypto::openssl
