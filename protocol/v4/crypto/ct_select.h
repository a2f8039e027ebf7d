// Constant-time equality masks and selection on byte strings, for the ring
// signature's constant_time_eq / constant_time_select (otrv4.md, Appendix
// "Ring Signature Authentication"): no branch and no memory index depends
// on the values, only on the lengths.
#ifndef OTR_PROTOCOL_V4_CRYPTO_CT_SELECT_H_
#define OTR_PROTOCOL_V4_CRYPTO_CT_SELECT_H_

#include <cstddef>
#include <cstdint>

#include "base/bytes.h"

namespace otr::v4::ct {

// Hides a mask's value from the optimiser, so that it cannot turn the
// masked arithmetic below back into a branch.
inline uint8_t Barrier(uint8_t mask) {
#if defined(__GNUC__) || defined(__clang__)
  __asm__("" : "+r"(mask));
#endif
  return mask;
}

// 0xff when a and b are equal (same length and bytes), 0x00 otherwise.
inline uint8_t EqualMask(ByteView a, ByteView b) {
  if (a.size() != b.size()) return 0;  // lengths are public
  uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<uint8_t>(a[i] ^ b[i]);
  // diff == 0 -> 0xff, else 0x00, without a comparison.
  const uint32_t nonzero = (static_cast<uint32_t>(diff) + 0xffu) >> 8;  // 1 iff diff != 0
  return Barrier(static_cast<uint8_t>(nonzero - 1u));
}

// out[i] = mask ? if_set[i] : if_clear[i], for mask 0xff or 0x00. All three
// must have out's length (the caller's sizes are fixed).
inline void Select(uint8_t mask, ByteView if_set, ByteView if_clear, MutableByteView out) {
  const uint8_t m = Barrier(mask);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint8_t>((if_set[i] & m) | (if_clear[i] & static_cast<uint8_t>(~m)));
  }
}

}  // namespace otr::v4::ct

#endif  // OTR_PROTOCOL_V4_CRYPTO_CT_SELECT_H_
