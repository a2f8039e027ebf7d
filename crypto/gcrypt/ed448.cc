#include "crypto/gcrypt/ed448.h"

#include <gcrypt.h>

#include <algorithm>
#include <optional>

#include "crypto/ed448_point_access.h"
#include "crypto/gcrypt/ed448_curve.h"
#include "crypto/gcrypt/handles.h"
#include "crypto/gcrypt/mpi_codec.h"

namespace otr::crypto::gcrypt_internal {
namespace {

constexpr uint8_t kSignBit = 0x80;

// A secret scalar reduced mod q, flagged secret right before use: libgcrypt
// 1.10's gcry_mpi_ec_mul on an Edwards curve runs a double-and-add-always
// ladder with a masked swap (point_swap_cond) over nbits(p) = 448 bits when
// the scalar carries GCRYMPI_FLAG_SECURE, and a plain double-and-add
// otherwise (mpi/ec.c, _gcry_mpi_ec_mul_point).
Mpi ReducedSecretScalar(const SecretBytes& scalar) {
  Mpi s = SecretMpiFromLittleEndian(scalar.view());
  if (!s) s = NewSecretMpi();
  Mpi q = Ed448Order();
  gcry_mpi_mod(s.get(), s.get(), q.get());
  MarkSecret(s);  // gcry_mpi_mod does not keep the flag
  return s;
}

SecretBytes ToScalarBytes(gcry_mpi_t value) {
  SecretBytes out(kEd448ScalarSize);
  MpiToFixedLittleEndian(value, out.mutable_view());  // value < q fits
  return out;
}

using ModOp = void (*)(gcry_mpi_t, gcry_mpi_t, gcry_mpi_t, gcry_mpi_t);

SecretBytes ScalarOp(ModOp op, const SecretBytes& a, const SecretBytes& b) {
  Mpi q = Ed448Order();
  Mpi x = SecretMpiFromLittleEndian(a.view());
  Mpi y = SecretMpiFromLittleEndian(b.view());
  Mpi result = NewSecretMpi();
  if (x && y) op(result.get(), x.get(), y.get(), q.get());
  return ToScalarBytes(result.get());
}

// The points of this backend (crypto/ed448_point_access.h).
const Ed448PointOwner kOwner{"gcrypt"};

Ed448Point MakePoint(const Ed448Curve& curve, gcry_mpi_point_t point,
                     const Ed448Encoding* encoding = nullptr) {
  return Ed448PointAccess::Make(kOwner, curve.ToForm(point), encoding);
}

Point ReadPoint(const Ed448Curve& curve, const Ed448Point& point) {
  ProjectiveForm form;
  Ed448PointAccess::Read(kOwner, point, form);
  return curve.FromForm(form);
}

}  // namespace

Result<Ed448Point> GcryptEd448Decode(ByteView encoded) {
  Ed448Curve curve;
  OTR_ASSIGN_OR_RETURN(Point point, curve.DecodeValidated(encoded));
  // A canonical encoding (checked above) is the point's own: remember it.
  Ed448Encoding bytes;
  std::copy(encoded.begin(), encoded.end(), bytes.begin());
  return MakePoint(curve, point.get(), &bytes);
}

Ed448Point GcryptEd448Base() {
  Ed448Curve curve;
  Point g = curve.Base();
  const Ed448Encoding encoding = curve.Encode(g.get());
  return MakePoint(curve, g.get(), &encoding);
}

// RFC 8032 section 5.2.2: the neutral element (0, 1).
Ed448Point GcryptEd448Identity() {
  Ed448Curve curve;
  Point identity = curve.Identity();
  static constexpr Ed448Encoding kIdentity = {1};
  return MakePoint(curve, identity.get(), &kIdentity);
}

Ed448Point GcryptEd448Add(const Ed448Point& a, const Ed448Point& b) {
  Ed448Curve curve;
  Point pa = ReadPoint(curve, a), pb = ReadPoint(curve, b), sum = NewPoint();
  gcry_mpi_ec_add(sum.get(), pa.get(), pb.get(), curve.ctx());
  return MakePoint(curve, sum.get());
}

Ed448Point GcryptEd448Sub(const Ed448Point& a, const Ed448Point& b) {
  Ed448Curve curve;
  Point pa = ReadPoint(curve, a), pb = ReadPoint(curve, b);
  Point minus_b = curve.Negate(pb.get());
  Point difference = NewPoint();
  gcry_mpi_ec_add(difference.get(), pa.get(), minus_b.get(), curve.ctx());
  return MakePoint(curve, difference.get());
}

// -(x, y) = (-x, y). A known encoding follows by flipping the sign bit,
// except for x = 0, which in the prime-order subgroup is the identity alone.
Ed448Point GcryptEd448Negate(const Ed448Point& a) {
  Ed448Curve curve;
  Point pa = ReadPoint(curve, a);
  Point negated = curve.Negate(pa.get());
  std::optional<Ed448Encoding> encoding = Ed448PointAccess::KnownEncoding(kOwner, a);
  if (!encoding) return MakePoint(curve, negated.get());
  if (*encoding != Ed448Encoding{1}) (*encoding)[kEd448PointSize - 1] ^= kSignBit;
  return MakePoint(curve, negated.get(), &*encoding);
}

Ed448Point GcryptEd448Mul(const Ed448Point& point, const SecretBytes& scalar) {
  Ed448Curve curve;
  Point p = ReadPoint(curve, point), product = NewPoint();
  Mpi s = ReducedSecretScalar(scalar);
  gcry_mpi_ec_mul(product.get(), s.get(), p.get(), curve.ctx());
  return MakePoint(curve, product.get());
}

Ed448Point GcryptEd448MulBase(const SecretBytes& scalar) {
  Ed448Curve curve;
  Point g = curve.Base(), product = NewPoint();
  Mpi s = ReducedSecretScalar(scalar);
  gcry_mpi_ec_mul(product.get(), s.get(), g.get(), curve.ctx());
  return MakePoint(curve, product.get());
}

Ed448Encoding GcryptEd448Encode(const Ed448Point& point) {
  if (std::optional<Ed448Encoding> known = Ed448PointAccess::KnownEncoding(kOwner, point)) {
    return *known;
  }
  Ed448Curve curve;
  Point p = ReadPoint(curve, point);
  return curve.Encode(p.get());
}

bool GcryptEd448Equal(const Ed448Point& a, const Ed448Point& b) {
  ProjectiveForm fa, fb;
  Ed448PointAccess::Read(kOwner, a, fa);
  Ed448PointAccess::Read(kOwner, b, fb);
  Ed448Curve curve;
  return curve.SamePoint(fa, fb);
}

// otrv4.md "Encoding and Decoding": a scalar is 57 bytes little-endian,
// below q.
Result<SecretBytes> GcryptEd448ScalarDecode(ByteView encoded) {
  if (encoded.size() != kEd448ScalarSize) {
    return MakeError(ErrorCode::kNonCanonical, "Ed448ScalarDecode: not 57 bytes");
  }
  SecretBytes out(encoded);
  Mpi value = SecretMpiFromLittleEndian(out.view());
  Mpi q = Ed448Order();
  if (!value || gcry_mpi_cmp(value.get(), q.get()) >= 0) {
    return MakeError(ErrorCode::kNonCanonical, "Ed448ScalarDecode: not below q");
  }
  return out;
}

SecretBytes GcryptEd448ScalarReduce(ByteView little_endian) {
  Mpi q = Ed448Order();
  Mpi value = SecretMpiFromLittleEndian(little_endian);
  Mpi result = NewSecretMpi();
  if (value) gcry_mpi_mod(result.get(), value.get(), q.get());
  return ToScalarBytes(result.get());
}

SecretBytes GcryptEd448ScalarAdd(const SecretBytes& a, const SecretBytes& b) {
  return ScalarOp(gcry_mpi_addm, a, b);
}

SecretBytes GcryptEd448ScalarSub(const SecretBytes& a, const SecretBytes& b) {
  return ScalarOp(gcry_mpi_subm, a, b);
}

SecretBytes GcryptEd448ScalarMul(const SecretBytes& a, const SecretBytes& b) {
  return ScalarOp(gcry_mpi_mulm, a, b);
}

}  // namespace otr::crypto::gcrypt_internal
