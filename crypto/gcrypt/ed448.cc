#include "crypto/gcrypt/ed448.h"

#include <gcrypt.h>

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

}  // namespace

Result<Ed448Point> GcryptEd448Decode(ByteView encoded) {
  Ed448Curve curve;
  OTR_ASSIGN_OR_RETURN(Point point, curve.DecodeValidated(encoded));
  (void)point;
  // A canonical encoding (checked above) is the point's own encoding.
  Ed448Point out;
  std::copy(encoded.begin(), encoded.end(), out.bytes.begin());
  return out;
}

Ed448Point GcryptEd448Base() {
  Ed448Curve curve;
  Point g = curve.Base();
  return curve.Encode(g.get());
}

// RFC 8032 section 5.2.2: the neutral element (0, 1).
Ed448Point GcryptEd448Identity() { return Ed448Point{{1}}; }

Ed448Point GcryptEd448Add(const Ed448Point& a, const Ed448Point& b) {
  Ed448Curve curve;
  Point pa = curve.Lift(a), pb = curve.Lift(b), sum = NewPoint();
  gcry_mpi_ec_add(sum.get(), pa.get(), pb.get(), curve.ctx());
  return curve.Encode(sum.get());
}

Ed448Point GcryptEd448Sub(const Ed448Point& a, const Ed448Point& b) {
  Ed448Curve curve;
  Point pa = curve.Lift(a), pb = curve.Lift(b);
  Point minus_b = curve.Negate(pb.get());
  Point difference = NewPoint();
  gcry_mpi_ec_add(difference.get(), pa.get(), minus_b.get(), curve.ctx());
  return curve.Encode(difference.get());
}

// -(x, y) = (-x, y): only the sign bit changes, except for x = 0, which in
// the prime-order subgroup is the identity alone.
Ed448Point GcryptEd448Negate(const Ed448Point& a) {
  if (a == GcryptEd448Identity()) return a;
  Ed448Point out = a;
  out.bytes[kEd448PointSize - 1] ^= kSignBit;
  return out;
}

Ed448Point GcryptEd448Mul(const Ed448Point& point, const SecretBytes& scalar) {
  Ed448Curve curve;
  Point p = curve.Lift(point), product = NewPoint();
  Mpi s = ReducedSecretScalar(scalar);
  gcry_mpi_ec_mul(product.get(), s.get(), p.get(), curve.ctx());
  return curve.Encode(product.get());
}

Ed448Point GcryptEd448MulBase(const SecretBytes& scalar) {
  Ed448Curve curve;
  Point g = curve.Base(), product = NewPoint();
  Mpi s = ReducedSecretScalar(scalar);
  gcry_mpi_ec_mul(product.get(), s.get(), g.get(), curve.ctx());
  return curve.Encode(product.get());
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
