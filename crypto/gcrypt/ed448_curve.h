// Ed448-Goldilocks through libgcrypt's EC API (gcry_mpi_ec_new "Ed448"):
// the curve context, the backend's internal form of a point (projective
// coordinates), and the RFC 8032 point encoding, which is done here rather
// than by libgcrypt so that every rejection has its own error code.
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

// The internal form of a crypto::Ed448Point on this backend: projective
// coordinates (X : Y : Z), x = X/Z and y = Y/Z, each reduced mod p and
// stored little-endian in 56 bytes (p < 2^448). Z is never 0 (the Edwards
// addition law is complete).
inline constexpr size_t kFieldSize = 56;
struct ProjectiveForm {
  uint8_t x[kFieldSize];
  uint8_t y[kFieldSize];
  uint8_t z[kFieldSize];
};

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
  // also kIdentityPoint for P = 0, and kNotInSubgroup unless q·P is the
  // identity, decided by InPrimeOrderSubgroup (no scalar multiplication).
  Result<Point> DecodeValidated(ByteView encoded) const;
  // For y the y-coordinate of a point on the curve, y != 1 and y != -1:
  // true iff the point is in the prime-order subgroup (docs/decisions/0004,
  // "The subgroup check"). Two exponentiations mod p, on public values.
  bool InPrimeOrderSubgroup(gcry_mpi_t y) const;

  // Between libgcrypt points and the internal form.
  Point FromForm(const ProjectiveForm& form) const;
  ProjectiveForm ToForm(gcry_mpi_point_t point) const;
  // Whether two forms are the same point: X1 Z2 = X2 Z1 and Y1 Z2 = Y2 Z1.
  bool SamePoint(const ProjectiveForm& a, const ProjectiveForm& b) const;

  // RFC 8032 section 5.2.2 encoding of a point given in any coordinates.
  Ed448Encoding Encode(gcry_mpi_point_t point) const;
  // -P: (x, y) -> (p - x, y).
  Point Negate(gcry_mpi_point_t point) const;

 private:
  Ctx ctx_;
  Mpi p_;
  Mpi d_;
  Mpi sqrt_exponent_;      // (p + 1) / 4
  Mpi legendre_exponent_;  // (p - 1) / 2
};

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_ED448_CURVE_H_
