#include "crypto/ed448_small_order.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "crypto/backend.h"

namespace otr::crypto {
namespace {

using Encoding = std::array<uint8_t, kEd448PointSize>;

// y little-endian in bytes 0..55, byte 56 holds x's sign in its top bit.
Encoding WithY(uint8_t low_byte, uint8_t fill, uint8_t byte55, uint8_t last) {
  Encoding e{};
  e.fill(fill);
  e[0] = low_byte;
  e[55] = byte55;
  e[56] = last;
  return e;
}

}  // namespace

bool IsEd448SmallOrderEncoding(ByteView encoded) {
  if (encoded.size() != kEd448PointSize) return false;
  // y = p - 1 with p = 2^448 - 2^224 - 1: little-endian ff bytes but for
  // bytes 0 and 28 (fe) and the sign byte 56 (00).
  Encoding minus_one{};
  minus_one.fill(0xff);
  minus_one[0] = 0xfe;
  minus_one[28] = 0xfe;
  minus_one[56] = 0x00;
  const std::array<Encoding, 4> small = {
      WithY(0x01, 0x00, 0x00, 0x00),  // (0, 1), the identity
      minus_one,                      // (0, -1), order 2
      WithY(0x00, 0x00, 0x00, 0x00),  // (-1, 0): y = 0, x = p - 1 even
      WithY(0x00, 0x00, 0x00, 0x80),  // (1, 0): y = 0, x = 1 odd (sign bit set)
  };
  return std::any_of(small.begin(), small.end(), [&](const Encoding& e) {
    return std::equal(e.begin(), e.end(), encoded.begin());
  });
}

}  // namespace otr::crypto
