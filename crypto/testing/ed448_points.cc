#include "crypto/testing/ed448_points.h"

namespace otr::crypto::testing {

std::string PointHex(const Backend& backend, const Ed448Point& point) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : backend.Ed448Encode(point)) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

::testing::AssertionResult SamePoint(const Backend& backend, const Ed448Point& a,
                                     const Ed448Point& b) {
  const bool equal = backend.Ed448Equal(a, b);
  const std::string hex_a = PointHex(backend, a), hex_b = PointHex(backend, b);
  if (equal && hex_a == hex_b) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << backend.name() << ": Ed448Equal says " << (equal ? "equal" : "different")
         << ", encodings " << hex_a << " and " << hex_b;
}

}  // namespace otr::crypto::testing
