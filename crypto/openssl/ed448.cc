#include "crypto/openssl/ed448.h"

#include <algorithm>
#include <array>

#include "crypto/openssl/decaf_types.h"
#include "crypto/openssl/ed448_isogeny.h"

namespace otr::crypto::openssl {
namespace {

// RFC 8032 section 5.2.2: bit 455 (the top bit of the last byte) is the sign
// of x; the other 455 bits are y, little-endian.
constexpr size_t kSignByte = kEd448PointSize - 1;
constexpr uint8_t kSignBit = 0x80;

// p = 2^448 - 2^224 - 1, little-endian in 57 bytes.
constexpr std::array<uint8_t, kEd448PointSize> FieldPrime() {
  std::array<uint8_t, kEd448PointSize> p{};
  for (size_t i = 0; i < 56; ++i) p[i] = 0xff;
  p[28] = 0xfe;
  return p;
}

// y with the sign bit cleared, compared with `value` (both little-endian).
int CompareY(const Ed448Point& point, const std::array<uint8_t, kEd448PointSize>& value) {
  for (size_t i = kEd448PointSize; i-- > 0;) {
    const uint8_t y = i == kSignByte ? point.bytes[i] & ~kSignBit : point.bytes[i];
    if (y != value[i]) return y < value[i] ? -1 : 1;
  }
  return 0;
}

// RFC 8032 section 5.2.3 step 1: "If the y-coordinate is >= p, decoding fails."
bool YIsCanonical(const Ed448Point& point) { return CompareY(point, FieldPrime()) < 0; }

// The two points with x = 0 are (0, 1), the identity, and (0, -1) of order 2.
std::array<uint8_t, kEd448PointSize> One() {
  std::array<uint8_t, kEd448PointSize> one{};
  one[0] = 1;
  return one;
}
std::array<uint8_t, kEd448PointSize> MinusOne() {
  std::array<uint8_t, kEd448PointSize> v = FieldPrime();
  v[0] -= 1;
  return v;
}

// Any length, reduced mod q. libdecaf declares the pointer nonnull even for an
// empty input, so an empty span gets a valid one.
void ToScalar(ByteView little_endian, Scalar& out) {
  static const uint8_t kEmpty = 0;
  const uint8_t* data = little_endian.empty() ? &kEmpty : little_endian.data();
  decaf_448_scalar_decode_long(out.get(), data, little_endian.size());
}

// otrv4.md "Encoding and Decoding": scalars are 57 bytes little-endian;
// libdecaf's are 56 (q < 2^446), so the top byte is zero.
SecretBytes FromScalar(const Scalar& s) {
  SecretBytes out(kEd448ScalarSize);
  decaf_448_scalar_encode(out.data(), s.get());
  out[kEd448ScalarSize - 1] = 0;
  return out;
}

using ScalarOp = void (*)(decaf_448_scalar_t, const decaf_448_scalar_t, const decaf_448_scalar_t);

SecretBytes ScalarBinary(ScalarOp op, const SecretBytes& a, const SecretBytes& b) {
  Scalar sa, sb, result;
  ToScalar(a.view(), sa);
  ToScalar(b.view(), sb);
  op(result.get(), sa.get(), sb.get());
  return FromScalar(result);
}

}  // namespace

// otrv4.md "Verifying that a point is on the curve" and RFC 8032 section
// 5.2.3. The byte-level checks come first because libdecaf cannot decode
// either point with x = 0; the re-encoding check then finds torsion.
Result<Ed448Point> Ed448Decode(ByteView encoded) {
  if (encoded.size() != kEd448PointSize) {
    return MakeError(ErrorCode::kInvalidEncoding, "Ed448Decode: points are 57 bytes");
  }
  Ed448Point point;
  std::copy(encoded.begin(), encoded.end(), point.bytes.begin());
  if (!YIsCanonical(point)) {
    return MakeError(ErrorCode::kNonCanonical, "Ed448Decode: y >= p");
  }
  const bool sign = (point.bytes[kSignByte] & kSignBit) != 0;
  const bool y_is_one = CompareY(point, One()) == 0;
  const bool y_is_minus_one = CompareY(point, MinusOne()) == 0;
  if ((y_is_one || y_is_minus_one) && sign) {
    // x = 0, whose only encoding has a clear sign bit (section 5.2.3 step 4).
    return MakeError(ErrorCode::kNonCanonical, "Ed448Decode: sign bit set with x = 0");
  }
  if (y_is_one) return MakeError(ErrorCode::kIdentityPoint, "Ed448Decode: the identity");
  if (y_is_minus_one) {
    return MakeError(ErrorCode::kNotInSubgroup, "Ed448Decode: (0, -1) has order 2");
  }
  InternalPoint internal;
  if (!DecodeToInternal(point, internal)) {
    return MakeError(ErrorCode::kNotOnCurve, "Ed448Decode: no x for this y");
  }
  // Decoding dropped any 4-torsion component T of P = P0 + T, so encoding
  // gives back P0: the input was in the prime-order subgroup iff P0 == P.
  if (!(Encode(internal) == point)) {
    return MakeError(ErrorCode::kNotInSubgroup, "Ed448Decode: point has a torsion component");
  }
  return point;
}

// RFC 8032 section 5.2: B = (22458...710, 29881...660); x is even, so the
// sign bit is clear.
Ed448Point Ed448Base() {
  static constexpr std::array<uint8_t, kEd448PointSize> kBase = {
      0x14, 0xfa, 0x30, 0xf2, 0x5b, 0x79, 0x08, 0x98, 0xad, 0xc8, 0xd7, 0x4e, 0x2c, 0x13, 0xbd,
      0xfd, 0xc4, 0x39, 0x7c, 0xe6, 0x1c, 0xff, 0xd3, 0x3a, 0xd7, 0xc2, 0xa0, 0x05, 0x1e, 0x9c,
      0x78, 0x87, 0x40, 0x98, 0xa3, 0x6c, 0x73, 0x73, 0xea, 0x4b, 0x62, 0xc7, 0xc9, 0x56, 0x37,
      0x20, 0x76, 0x88, 0x24, 0xbc, 0xb6, 0x6e, 0x71, 0x46, 0x3f, 0x69, 0x00};
  return Ed448Point{kBase};
}

Ed448Point Ed448Identity() { return Ed448Point{One()}; }

Ed448Point Ed448Add(const Ed448Point& a, const Ed448Point& b) {
  InternalPoint ia, ib, sum;
  ToInternal(a, ia);
  ToInternal(b, ib);
  decaf_448_point_add(sum.get(), ia.get(), ib.get());
  return Encode(sum);
}

Ed448Point Ed448Sub(const Ed448Point& a, const Ed448Point& b) {
  InternalPoint ia, ib, difference;
  ToInternal(a, ia);
  ToInternal(b, ib);
  decaf_448_point_sub(difference.get(), ia.get(), ib.get());
  return Encode(difference);
}

// -(x, y) = (-x, y): flip the sign bit, except for x = 0, which among valid
// points is only the identity (its own negative). No curve arithmetic.
Ed448Point Ed448Negate(const Ed448Point& a) {
  if (IsIdentityEncoding(a)) return a;
  Ed448Point out = a;
  out.bytes[kSignByte] ^= kSignBit;
  return out;
}

Ed448Point Ed448Mul(const Ed448Point& point, const SecretBytes& scalar) {
  InternalPoint internal;
  ToInternal(point, internal);
  Scalar k;
  ToScalar(scalar.view(), k);
  return EncodeMultiple(internal, k);
}

Ed448Point Ed448MulBase(const SecretBytes& scalar) {
  Scalar k;
  ToScalar(scalar.view(), k);
  return EncodeBaseMultiple(k);
}

Result<SecretBytes> Ed448ScalarDecode(ByteView encoded) {
  Scalar s;
  if (encoded.size() != kEd448ScalarSize || encoded[kEd448ScalarSize - 1] != 0 ||
      decaf_448_scalar_decode(s.get(), encoded.data()) != DECAF_SUCCESS) {
    return MakeError(ErrorCode::kNonCanonical, "Ed448ScalarDecode: not 57 bytes below q");
  }
  return SecretBytes(encoded);
}

SecretBytes Ed448ScalarReduce(ByteView little_endian) {
  Scalar s;
  ToScalar(little_endian, s);
  return FromScalar(s);
}

SecretBytes Ed448ScalarAdd(const SecretBytes& a, const SecretBytes& b) {
  return ScalarBinary(decaf_448_scalar_add, a, b);
}

SecretBytes Ed448ScalarSub(const SecretBytes& a, const SecretBytes& b) {
  return ScalarBinary(decaf_448_scalar_sub, a, b);
}

SecretBytes Ed448ScalarMul(const SecretBytes& a, const SecretBytes& b) {
  return ScalarBinary(decaf_448_scalar_mul, a, b);
}

}  // namespace otr::crypto::openssl
