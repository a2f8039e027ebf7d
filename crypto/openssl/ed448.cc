#include "crypto/openssl/ed448.h"

#include <algorithm>
#include <array>
#include <optional>

#include "crypto/ed448_point_access.h"
#include "crypto/openssl/decaf_types.h"
#include "crypto/openssl/ed448_isogeny.h"
#include "crypto/openssl/ed448_subgroup.h"

namespace otr::crypto::openssl {
namespace {

// RFC 8032 section 5.2.2: bit 455 (the top bit of the last byte) is the sign
// of x; the other 455 bits are y, little-endian.
constexpr size_t kSignByte = kEd448PointSize - 1;
constexpr uint8_t kSignBit = 0x80;

// p = 2^448 - 2^224 - 1, little-endian in 57 bytes.
constexpr Ed448Encoding FieldPrime() {
  Ed448Encoding p{};
  for (size_t i = 0; i < 56; ++i) p[i] = 0xff;
  p[28] = 0xfe;
  return p;
}

// y with the sign bit cleared, compared with `value` (both little-endian).
int CompareY(const Ed448Encoding& point, const Ed448Encoding& value) {
  for (size_t i = kEd448PointSize; i-- > 0;) {
    const uint8_t y = i == kSignByte ? point[i] & ~kSignBit : point[i];
    if (y != value[i]) return y < value[i] ? -1 : 1;
  }
  return 0;
}

// RFC 8032 section 5.2.3 step 1: "If the y-coordinate is >= p, decoding fails."
bool YIsCanonical(const Ed448Encoding& point) { return CompareY(point, FieldPrime()) < 0; }

// The two points with x = 0 are (0, 1), the identity, and (0, -1) of order 2.
constexpr Ed448Encoding One() {
  Ed448Encoding one{};
  one[0] = 1;
  return one;
}
constexpr Ed448Encoding MinusOne() {
  Ed448Encoding v = FieldPrime();
  v[0] -= 1;
  return v;
}

// The points of this backend (crypto/ed448_point_access.h).
const Ed448PointOwner kOwner{"openssl"};

// libdecaf's point struct as the internal form of Ed448Point.
using Internal = decaf_448_point_s;

Ed448Point MakePoint(const InternalPoint& internal, const Ed448Encoding* encoding = nullptr) {
  return Ed448PointAccess::Make<Internal>(kOwner, *internal.get(), encoding);
}

void ReadPoint(const Ed448Point& point, InternalPoint& out) {
  Ed448PointAccess::Read<Internal>(kOwner, point, *out.get());
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
// 5.2.3, in the order of decision 0004's table. The byte-level checks come
// first because libdecaf cannot decode either point with x = 0; the subgroup
// check is the torsion test of ed448_subgroup.h (no scalar multiplication).
Result<Ed448Point> Ed448Decode(ByteView encoded) {
  if (encoded.size() != kEd448PointSize) {
    return MakeError(ErrorCode::kInvalidEncoding, "Ed448Decode: points are 57 bytes");
  }
  Ed448Encoding bytes;
  std::copy(encoded.begin(), encoded.end(), bytes.begin());
  if (!YIsCanonical(bytes)) {
    return MakeError(ErrorCode::kNonCanonical, "Ed448Decode: y >= p");
  }
  const bool sign = (bytes[kSignByte] & kSignBit) != 0;
  const bool y_is_one = CompareY(bytes, One()) == 0;
  const bool y_is_minus_one = CompareY(bytes, MinusOne()) == 0;
  if ((y_is_one || y_is_minus_one) && sign) {
    // x = 0, whose only encoding has a clear sign bit (section 5.2.3 step 4).
    return MakeError(ErrorCode::kNonCanonical, "Ed448Decode: sign bit set with x = 0");
  }
  if (y_is_one) return MakeError(ErrorCode::kIdentityPoint, "Ed448Decode: the identity");
  if (y_is_minus_one) {
    return MakeError(ErrorCode::kNotInSubgroup, "Ed448Decode: (0, -1) has order 2");
  }
  InternalPoint internal;
  if (!DecodeToInternal(bytes, internal)) {
    return MakeError(ErrorCode::kNotOnCurve, "Ed448Decode: no x for this y");
  }
  if (!InPrimeOrderSubgroup(bytes)) {
    return MakeError(ErrorCode::kNotInSubgroup, "Ed448Decode: point has a torsion component");
  }
  // A canonical encoding is the point's own: remember it for Ed448Encode.
  return MakePoint(internal, &bytes);
}

// RFC 8032 section 5.2: B = (22458...710, 29881...660); x is even, so the
// sign bit is clear. Its image is libdecaf's base point (decision 0004).
Ed448Point Ed448Base() {
  static constexpr Ed448Encoding kBase = {
      0x14, 0xfa, 0x30, 0xf2, 0x5b, 0x79, 0x08, 0x98, 0xad, 0xc8, 0xd7, 0x4e, 0x2c, 0x13, 0xbd,
      0xfd, 0xc4, 0x39, 0x7c, 0xe6, 0x1c, 0xff, 0xd3, 0x3a, 0xd7, 0xc2, 0xa0, 0x05, 0x1e, 0x9c,
      0x78, 0x87, 0x40, 0x98, 0xa3, 0x6c, 0x73, 0x73, 0xea, 0x4b, 0x62, 0xc7, 0xc9, 0x56, 0x37,
      0x20, 0x76, 0x88, 0x24, 0xbc, 0xb6, 0x6e, 0x71, 0x46, 0x3f, 0x69, 0x00};
  InternalPoint base;
  decaf_448_point_copy(base.get(), decaf_448_point_base);
  return MakePoint(base, &kBase);
}

Ed448Point Ed448Identity() {
  static constexpr Ed448Encoding kIdentity = One();
  InternalPoint identity;  // constructed as the identity
  return MakePoint(identity, &kIdentity);
}

Ed448Point Ed448Add(const Ed448Point& a, const Ed448Point& b) {
  InternalPoint ia, ib, sum;
  ReadPoint(a, ia);
  ReadPoint(b, ib);
  decaf_448_point_add(sum.get(), ia.get(), ib.get());
  return MakePoint(sum);
}

Ed448Point Ed448Sub(const Ed448Point& a, const Ed448Point& b) {
  InternalPoint ia, ib, difference;
  ReadPoint(a, ia);
  ReadPoint(b, ib);
  decaf_448_point_sub(difference.get(), ia.get(), ib.get());
  return MakePoint(difference);
}

// -(x, y) = (-x, y). A known encoding follows by flipping the sign bit,
// except for x = 0, which among valid points is only the identity (its own
// negative).
Ed448Point Ed448Negate(const Ed448Point& a) {
  InternalPoint ia, negated;
  ReadPoint(a, ia);
  decaf_448_point_negate(negated.get(), ia.get());
  std::optional<Ed448Encoding> encoding = Ed448PointAccess::KnownEncoding(kOwner, a);
  if (!encoding) return MakePoint(negated);
  if (!IsIdentityEncoding(*encoding)) (*encoding)[kSignByte] ^= kSignBit;
  return MakePoint(negated, &*encoding);
}

Ed448Point Ed448Mul(const Ed448Point& point, const SecretBytes& scalar) {
  InternalPoint internal, product;
  ReadPoint(point, internal);
  Scalar k;
  ToScalar(scalar.view(), k);
  Ed448Encoding encoding;
  MultiplyAndEncode(internal, k, product, encoding);
  return MakePoint(product, &encoding);
}

Ed448Point Ed448MulBase(const SecretBytes& scalar) {
  Scalar k;
  ToScalar(scalar.view(), k);
  InternalPoint product;
  Ed448Encoding encoding;
  MultiplyBaseAndEncode(k, product, encoding);
  return MakePoint(product, &encoding);
}

Ed448Point Ed448MulAdd(const Ed448Point& p, const SecretBytes& a, const Ed448Point& q,
                       const SecretBytes& b) {
  InternalPoint ip, iq, sum;
  ReadPoint(p, ip);
  ReadPoint(q, iq);
  Scalar sa, sb;
  ToScalar(a.view(), sa);
  ToScalar(b.view(), sb);
  Ed448Encoding encoding;
  MultiplyAddAndEncode(ip, sa, iq, sb, sum, encoding);
  return MakePoint(sum, &encoding);
}

Ed448Point Ed448MulBaseAddPublic(ByteView a, ByteView b, const Ed448Point& p) {
  InternalPoint ip, sum;
  ReadPoint(p, ip);
  Scalar sa, sb;
  ToScalar(a, sa);
  ToScalar(b, sb);
  Ed448Encoding encoding;
  MultiplyBaseAddPublicAndEncode(sa, sb, ip, sum, encoding);
  return MakePoint(sum, &encoding);
}

Ed448Encoding Ed448Encode(const Ed448Point& point) {
  if (std::optional<Ed448Encoding> known = Ed448PointAccess::KnownEncoding(kOwner, point)) {
    return *known;
  }
  InternalPoint internal;
  ReadPoint(point, internal);
  return EncodeInternal(internal);
}

// libdecaf compares images up to its internal 4-torsion; an image stands for
// exactly one point of the prime-order subgroup, so this is equality of the
// points.
bool Ed448Equal(const Ed448Point& a, const Ed448Point& b) {
  InternalPoint ia, ib;
  ReadPoint(a, ia);
  ReadPoint(b, ib);
  return decaf_448_point_eq(ia.get(), ib.get()) == DECAF_TRUE;
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
