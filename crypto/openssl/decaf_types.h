// RAII owners for libdecaf values: scalars and points are wiped when they go
// out of scope, since either may hold a secret (a key, a nonce, an ECDH
// shared point).
#ifndef OTR_CRYPTO_OPENSSL_DECAF_TYPES_H_
#define OTR_CRYPTO_OPENSSL_DECAF_TYPES_H_

#include <decaf/point_448.h>

namespace otr::crypto::openssl {

// An integer modulo the Ed448 group order q, zero when constructed.
class Scalar {
 public:
  Scalar() { decaf_448_scalar_copy(value_, decaf_448_scalar_zero); }
  ~Scalar() { decaf_448_scalar_destroy(value_); }
  Scalar(const Scalar&) = delete;
  Scalar& operator=(const Scalar&) = delete;

  decaf_448_scalar_s* get() { return value_; }
  const decaf_448_scalar_s* get() const { return value_; }

 private:
  decaf_448_scalar_t value_;
};

// A point of libdecaf's internal group (see ed448_isogeny.h for how it maps
// to Ed448), the identity when constructed.
class InternalPoint {
 public:
  InternalPoint() { decaf_448_point_copy(value_, decaf_448_point_identity); }
  ~InternalPoint() { decaf_448_point_destroy(value_); }
  InternalPoint(const InternalPoint&) = delete;
  InternalPoint& operator=(const InternalPoint&) = delete;

  decaf_448_point_s* get() { return value_; }
  const decaf_448_point_s* get() const { return value_; }

 private:
  decaf_448_point_t value_;
};

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_DECAF_TYPES_H_
