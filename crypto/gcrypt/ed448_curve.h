// Ed448-Goldilocks through libgcrypt's EC API (gcry_mpi_ec_new "Ed448"):
// the curve context, and the RFC 8032 point encoding, which is done here
// rather than by libgcrypt so that every rejection has its own error code.
#ifndef OTR_CRYPTO_GCRYPT_ED448_CURVE_H_
#define OTR_CRYPTO_GCRYPT_ED448_CURVE_H_

#include <gcrypt.h>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/gcrypt/handles.h"

namespace otr::crypto::gcrypt_internal {

// The order q of the base point, 2^446 - 1381806680989511535200738674851542
// 6880336692474882178609894547503885 (RFC 8032 section 5.2, "L").
Mpi Ed448Order();

// A context for the curve, made per call: no libgcrypt object outlives a
// backend call (see handles.h).
class Ed448Curve {
 public:
  Ed448Curve();

  gcry_ctx_t ctx() const { return ctx_.get(); }
  gcry_mpi_t p() const { return p_.get(); }
  Point Base() const;
  Point Identity() const;

  // RFC 8032 section 5.2.3 decoding: kInvalidEncoding (size),
  // kNonCanonical (y >= p, or x = 0 with the sign bit set), kNotOnCurve.
  // No subgroup or identity check.
  Result<Point> DecodeOnCurve(ByteView encoded) const;
  // Full validation for untrusted input (crypto/backend.h, Ed448Decode):
  // also kNotInSubgroup unless q·P is the identity, kIdentityPoint for P = 0.
  Result<Point> DecodeValidated(ByteView encoded) const;
  // Decodes a point the backend produced; the identity if `point` does not
  // decode (it was not produced by a backend).
  Point Lift(const Ed448Point& point) const;

  // RFC 8032 section 5.2.2 encoding of a point given in any coordinates.
  Ed448Point Encode(gcry_mpi_point_t point) const;
  // -P: (x, y) -> (p - x, y).
  Point Negate(gcry_mpi_point_t point) const;

 private:
  Ctx ctx_;
  Mpi p_;
  Mpi d_;
};

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_ED448_CURVE_H_
