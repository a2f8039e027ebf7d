#include "crypto/gcrypt/ed448_curve.h"

#include <algorithm>
#include <utility>

#include "crypto/gcrypt/init.h"
#include "crypto/gcrypt/mpi_codec.h"

namespace otr::crypto::gcrypt_internal {
namespace {

// RFC 8032 section 5.2: L = 2^446 -
// 13818066809895115352007386748515426880336692474882178609894547503885.
constexpr char kOrderHex[] =
    "3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF7CCA23E9C44EDB49AED63690216CC2728DC58F"
    "552378C292AB5844F3";
// RFC 8032 section 5.2: d = -39081.
constexpr unsigned long kMinusD = 39081;
constexpr uint8_t kSignBit = 0x80;

Mpi Ui(unsigned long value) { return Mpi(gcry_mpi_set_ui(nullptr, value)); }

bool IsIdentityEncoding(ByteView encoded) {
  return encoded[0] == 1 &&
         std::all_of(encoded.begin() + 1, encoded.end(), [](uint8_t b) { return b == 0; });
}

}  // namespace

Mpi Ed448Order() {
  EnsureInitialized();
  gcry_mpi_t q = nullptr;
  if (gcry_mpi_scan(&q, GCRYMPI_FMT_HEX, kOrderHex, 0, nullptr) != 0) {
    LibraryInvariantFailed("gcry_mpi_scan of the Ed448 order");
  }
  return Mpi(q);
}

Ed448Curve::Ed448Curve() {
  EnsureInitialized();
  gcry_ctx_t ctx = nullptr;
  if (gcry_mpi_ec_new(&ctx, nullptr, "Ed448") != 0) LibraryInvariantFailed("gcry_mpi_ec_new");
  ctx_.reset(ctx);
  p_.reset(gcry_mpi_ec_get_mpi("p", ctx, 1));
  if (!p_) LibraryInvariantFailed("gcry_mpi_ec_get_mpi p");
  d_ = NewMpi();
  gcry_mpi_sub_ui(d_.get(), p_.get(), kMinusD);
  sqrt_exponent_ = NewMpi();
  gcry_mpi_add_ui(sqrt_exponent_.get(), p_.get(), 1);
  gcry_mpi_rshift(sqrt_exponent_.get(), sqrt_exponent_.get(), 2);
  legendre_exponent_ = NewMpi();
  gcry_mpi_sub_ui(legendre_exponent_.get(), p_.get(), 1);
  gcry_mpi_rshift(legendre_exponent_.get(), legendre_exponent_.get(), 1);
}

Point Ed448Curve::Base() const {
  Point g(gcry_mpi_ec_get_point("g", ctx(), 1));
  if (!g) LibraryInvariantFailed("gcry_mpi_ec_get_point g");
  return g;
}

Point Ed448Curve::Identity() const {
  Mpi zero = Ui(0), one = Ui(1);
  return Point(gcry_mpi_point_set(nullptr, zero.get(), one.get(), one.get()));
}

// RFC 8032 section 5.2.3, steps 1-4 (p = 3 mod 4, a = 1):
//   x = u^3 v (u^5 v^3)^((p-3)/4)  with u = y^2 - 1, v = d y^2 - 1,
// a square root of u/v if v x^2 = u; otherwise there is none.
Result<Point> Ed448Curve::DecodeOnCurve(ByteView encoded) const {
  if (encoded.size() != kEd448PointSize) {
    return MakeError(ErrorCode::kInvalidEncoding, "Ed448Decode: not 57 bytes");
  }
  const bool x_0 = (encoded[kEd448PointSize - 1] & kSignBit) != 0;
  std::array<uint8_t, kEd448PointSize> y_bytes;
  std::copy(encoded.begin(), encoded.end(), y_bytes.begin());
  y_bytes[kEd448PointSize - 1] &= static_cast<uint8_t>(~kSignBit);
  Mpi y = MpiFromLittleEndian(y_bytes);
  if (!y) return MakeError(ErrorCode::kBackendFailure, "Ed448Decode: gcry_mpi_scan");
  if (gcry_mpi_cmp(y.get(), p()) >= 0) {
    return MakeError(ErrorCode::kNonCanonical, "Ed448Decode: y >= p");
  }

  Mpi one = Ui(1), y2 = NewMpi(), u = NewMpi(), v = NewMpi();
  gcry_mpi_mulm(y2.get(), y.get(), y.get(), p());
  gcry_mpi_subm(u.get(), y2.get(), one.get(), p());
  gcry_mpi_mulm(v.get(), d_.get(), y2.get(), p());
  gcry_mpi_subm(v.get(), v.get(), one.get(), p());

  Mpi u2 = NewMpi(), u3 = NewMpi(), u5 = NewMpi(), v3 = NewMpi(), t = NewMpi();
  gcry_mpi_mulm(u2.get(), u.get(), u.get(), p());
  gcry_mpi_mulm(u3.get(), u2.get(), u.get(), p());
  gcry_mpi_mulm(u5.get(), u3.get(), u2.get(), p());
  gcry_mpi_mulm(v3.get(), v.get(), v.get(), p());
  gcry_mpi_mulm(v3.get(), v3.get(), v.get(), p());
  gcry_mpi_mulm(t.get(), u5.get(), v3.get(), p());
  Mpi exponent = NewMpi();
  gcry_mpi_sub_ui(exponent.get(), p(), 3);
  gcry_mpi_rshift(exponent.get(), exponent.get(), 2);
  gcry_mpi_powm(t.get(), t.get(), exponent.get(), p());  // public data: variable time is fine
  Mpi x = NewMpi();
  gcry_mpi_mulm(x.get(), u3.get(), v.get(), p());
  gcry_mpi_mulm(x.get(), x.get(), t.get(), p());

  // Step 3: v x^2 must equal u.
  Mpi check = NewMpi();
  gcry_mpi_mulm(check.get(), x.get(), x.get(), p());
  gcry_mpi_mulm(check.get(), check.get(), v.get(), p());
  if (gcry_mpi_cmp(check.get(), u.get()) != 0) {
    return MakeError(ErrorCode::kNotOnCurve, "Ed448Decode: no square root");
  }
  // Step 4.
  const bool x_is_zero = gcry_mpi_cmp_ui(x.get(), 0) == 0;
  if (x_is_zero && x_0) {
    return MakeError(ErrorCode::kNonCanonical, "Ed448Decode: x = 0 with sign bit");
  }
  if ((gcry_mpi_test_bit(x.get(), 0) != 0) != x_0) gcry_mpi_sub(x.get(), p(), x.get());
  return Point(gcry_mpi_point_set(nullptr, x.get(), y.get(), one.get()));
}

// otrv4.md "Verifying that a point is on the curve", in the order of
// docs/decisions/0004's table: the identity and (0, -1) by their y, then the
// torsion test.
Result<Point> Ed448Curve::DecodeValidated(ByteView encoded) const {
  OTR_ASSIGN_OR_RETURN(Point point, DecodeOnCurve(encoded));
  if (IsIdentityEncoding(encoded)) {
    return MakeError(ErrorCode::kIdentityPoint, "Ed448Decode: the identity");
  }
  Mpi y = NewMpi();
  gcry_mpi_point_get(nullptr, y.get(), nullptr, point.get());
  Mpi y_plus_one = NewMpi();
  gcry_mpi_add_ui(y_plus_one.get(), y.get(), 1);
  if (gcry_mpi_cmp(y_plus_one.get(), p()) == 0) {
    return MakeError(ErrorCode::kNotInSubgroup, "Ed448Decode: (0, -1) has order 2");
  }
  if (!InPrimeOrderSubgroup(y.get())) {
    return MakeError(ErrorCode::kNotInSubgroup, "Ed448Decode: point has a torsion component");
  }
  return point;
}

// docs/decisions/0004-decaf-isogeny.md, "The subgroup check": with
// a = (1 - d)(1 - d y^2), P is in 2·E iff a is a square, and then P is in
// 4·E iff (s + d - 1)(1 - y) is a non-square for a square root s of a.
bool Ed448Curve::InPrimeOrderSubgroup(gcry_mpi_t y) const {
  Mpi one = Ui(1), a = NewMpi(), s = NewMpi(), check = NewMpi();
  Mpi one_minus_d = NewMpi();
  gcry_mpi_subm(one_minus_d.get(), one.get(), d_.get(), p());
  gcry_mpi_mulm(a.get(), y, y, p());
  gcry_mpi_mulm(a.get(), a.get(), d_.get(), p());
  gcry_mpi_subm(a.get(), one.get(), a.get(), p());
  gcry_mpi_mulm(a.get(), a.get(), one_minus_d.get(), p());
  // p = 3 mod 4: a^((p+1)/4) is a square root of a iff a is a square.
  gcry_mpi_powm(s.get(), a.get(), sqrt_exponent_.get(), p());
  gcry_mpi_mulm(check.get(), s.get(), s.get(), p());
  if (gcry_mpi_cmp(check.get(), a.get()) != 0) return false;  // not in 2·E
  Mpi b = NewMpi(), c = NewMpi();
  gcry_mpi_subm(b.get(), s.get(), one_minus_d.get(), p());  // s + d - 1
  gcry_mpi_subm(c.get(), one.get(), y, p());                // 1 - y
  gcry_mpi_mulm(b.get(), b.get(), c.get(), p());
  // Euler's criterion: b^((p-1)/2) = -1 iff b is a non-square.
  Mpi legendre = NewMpi();
  gcry_mpi_powm(legendre.get(), b.get(), legendre_exponent_.get(), p());
  gcry_mpi_add_ui(legendre.get(), legendre.get(), 1);
  return gcry_mpi_cmp(legendre.get(), p()) == 0;
}

Point Ed448Curve::FromForm(const ProjectiveForm& form) const {
  Mpi x = MpiFromLittleEndian(ByteView(form.x, kFieldSize));
  Mpi y = MpiFromLittleEndian(ByteView(form.y, kFieldSize));
  Mpi z = MpiFromLittleEndian(ByteView(form.z, kFieldSize));
  if (!x || !y || !z) LibraryInvariantFailed("gcry_mpi_scan of a point coordinate");
  return Point(gcry_mpi_point_set(nullptr, x.get(), y.get(), z.get()));
}

ProjectiveForm Ed448Curve::ToForm(gcry_mpi_point_t point) const {
  Mpi x = NewMpi(), y = NewMpi(), z = NewMpi();
  gcry_mpi_point_get(x.get(), y.get(), z.get(), point);
  ProjectiveForm form;
  for (auto [value, out] : {std::pair{x.get(), form.x}, {y.get(), form.y}, {z.get(), form.z}}) {
    gcry_mpi_mod(value, value, p());
    if (!MpiToFixedLittleEndian(value, MutableByteView(out, kFieldSize))) {
      LibraryInvariantFailed("a point coordinate wider than p");
    }
  }
  return form;
}

bool Ed448Curve::SamePoint(const ProjectiveForm& a, const ProjectiveForm& b) const {
  Point pa = FromForm(a), pb = FromForm(b);
  Mpi xa = NewMpi(), ya = NewMpi(), za = NewMpi();
  Mpi xb = NewMpi(), yb = NewMpi(), zb = NewMpi();
  gcry_mpi_point_get(xa.get(), ya.get(), za.get(), pa.get());
  gcry_mpi_point_get(xb.get(), yb.get(), zb.get(), pb.get());
  Mpi left = NewMpi(), right = NewMpi();
  gcry_mpi_mulm(left.get(), xa.get(), zb.get(), p());
  gcry_mpi_mulm(right.get(), xb.get(), za.get(), p());
  if (gcry_mpi_cmp(left.get(), right.get()) != 0) return false;
  gcry_mpi_mulm(left.get(), ya.get(), zb.get(), p());
  gcry_mpi_mulm(right.get(), yb.get(), za.get(), p());
  return gcry_mpi_cmp(left.get(), right.get()) == 0;
}

// RFC 8032 section 5.2.2: y in 57 little-endian bytes, the low bit of x in
// the top bit of the last byte.
Ed448Encoding Ed448Curve::Encode(gcry_mpi_point_t point) const {
  // libgcrypt's Ed448 field routines require coordinates of full limb size;
  // its point addition resizes its inputs, so adding the identity first
  // makes any point acceptable to gcry_mpi_ec_get_affine.
  Point identity = Identity();
  Point sized = NewPoint();
  gcry_mpi_ec_add(sized.get(), point, identity.get(), ctx());
  Mpi x = NewMpi(), y = NewMpi();
  Ed448Encoding out;
  if (gcry_mpi_ec_get_affine(x.get(), y.get(), sized.get(), ctx()) != 0 ||
      !MpiToFixedLittleEndian(y.get(), out)) {
    LibraryInvariantFailed("affine coordinates of an Ed448 point");  // Z is never 0
  }
  if (gcry_mpi_test_bit(x.get(), 0)) out[kEd448PointSize - 1] |= kSignBit;
  return out;
}

// -(X : Y : Z) = (-X : Y : Z) on a twisted Edwards curve.
Point Ed448Curve::Negate(gcry_mpi_point_t point) const {
  Mpi x = NewMpi(), y = NewMpi(), z = NewMpi(), zero = Ui(0);
  gcry_mpi_point_get(x.get(), y.get(), z.get(), point);
  gcry_mpi_subm(x.get(), zero.get(), x.get(), p());
  return Point(gcry_mpi_point_set(nullptr, x.get(), y.get(), z.get()));
}

}  // namespace otr::crypto::gcrypt_internal
