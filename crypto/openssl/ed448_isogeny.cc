#include "crypto/openssl/ed448_isogeny.h"

#include <decaf/ed448.h>

#include <algorithm>

#include "crypto/openssl/handles.h"

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

Ed448Point EncodeQuarterMultiple(const InternalPoint& scaled) {
  Ed448Point out;
  decaf_448_point_mul_by_ratio_and_encode_like_eddsa(out.bytes.data(), scaled.get());
  return out;
}

}  // namespace

bool IsIdentityEncoding(const Ed448Point& encoded) {
  return encoded.bytes[0] == 1 && std::all_of(encoded.bytes.begin() + 1, encoded.bytes.end(),
                                              [](uint8_t b) { return b == 0; });
}

bool DecodeToInternal(const Ed448Point& encoded, InternalPoint& out) {
  if (IsIdentityEncoding(encoded)) {
    decaf_448_point_copy(out.get(), decaf_448_point_identity);
    return true;
  }
  return decaf_448_point_decode_like_eddsa_and_mul_by_ratio(out.get(), encoded.bytes.data()) ==
         DECAF_SUCCESS;
}

void ToInternal(const Ed448Point& point, InternalPoint& out) {
  FatalUnless(DecodeToInternal(point, out), "decoding an Ed448Point (not made by the backend)");
}

Ed448Point EncodeMultiple(const InternalPoint& internal, const Scalar& k) {
  Scalar k_quarter;
  decaf_448_scalar_mul(k_quarter.get(), k.get(), Quarter().get());
  InternalPoint scaled;
  decaf_448_point_scalarmul(scaled.get(), internal.get(), k_quarter.get());
  return EncodeQuarterMultiple(scaled);
}

Ed448Point EncodeBaseMultiple(const Scalar& k) {
  Scalar k_quarter;
  decaf_448_scalar_mul(k_quarter.get(), k.get(), Quarter().get());
  InternalPoint scaled;
  decaf_448_precomputed_scalarmul(scaled.get(), decaf_448_precomputed_base, k_quarter.get());
  return EncodeQuarterMultiple(scaled);
}

Ed448Point Encode(const InternalPoint& internal) {
  Scalar one;
  decaf_448_scalar_copy(one.get(), decaf_448_scalar_one);
  return EncodeMultiple(internal, one);
}

}  // namespace otr::crypto::openssl
