// The bodies of the v4 SMP TLVs (otrv4.md, "SMP Message 1" .. "SMP Message
// 4"): POINTs and SCALARs as their 57 wire bytes, undecoded (the group
// validates them), and message 1's question.
//
// STAND-IN: the v4 TLV bodies belong to protocol/v4/messages (branch
// v4-messages). Until they land this file holds the smallest codec the SMP
// group needs; it is replaced by theirs, not grown.
#ifndef OTR_PROTOCOL_V4_SMP_SMP_BODIES_H_
#define OTR_PROTOCOL_V4_SMP_SMP_BODIES_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"

namespace otr::v4::smp {

using Point = crypto::Ed448Encoding;                           // POINT
using Scalar = std::array<uint8_t, crypto::kEd448ScalarSize>;  // SCALAR

// A TLV value is at most 65535 bytes ("Length (SHORT)"), so is a question.
inline constexpr size_t kMaxQuestionSize = 0xffff;

// "SMP Message 1": Question (DATA), G2a, c2, d2, G3a, c3, d3.
struct Smp1 {
  Bytes question;  // empty: no question ("the length of this is 0")
  Point g2a{};
  Scalar c2{}, d2{};
  Point g3a{};
  Scalar c3{}, d3{};
  friend bool operator==(const Smp1&, const Smp1&) = default;
};

// "SMP Message 2": G2b, c2, d2, G3b, c3, d3, Pb, Qb, cp, d5, d6.
struct Smp2 {
  Point g2b{};
  Scalar c2{}, d2{};
  Point g3b{};
  Scalar c3{}, d3{};
  Point pb{}, qb{};
  Scalar cp{}, d5{}, d6{};
  friend bool operator==(const Smp2&, const Smp2&) = default;
};

// "SMP Message 3": Pa, Qa, cp, d5, d6, Ra, cr, d7.
struct Smp3 {
  Point pa{}, qa{};
  Scalar cp{}, d5{}, d6{};
  Point ra{};
  Scalar cr{}, d7{};
  friend bool operator==(const Smp3&, const Smp3&) = default;
};

// "SMP Message 4": Rb, cr, d7.
struct Smp4 {
  Point rb{};
  Scalar cr{}, d7{};
  friend bool operator==(const Smp4&, const Smp4&) = default;
};

// Total decoders: kTruncated, kTrailingBytes, kTooLarge; no crypto.
Result<Smp1> DecodeSmp1(ByteView body);
Result<Smp2> DecodeSmp2(ByteView body);
Result<Smp3> DecodeSmp3(ByteView body);
Result<Smp4> DecodeSmp4(ByteView body);
Bytes EncodeSmp1(const Smp1& m);
Bytes EncodeSmp2(const Smp2& m);
Bytes EncodeSmp3(const Smp3& m);
Bytes EncodeSmp4(const Smp4& m);

}  // namespace otr::v4::smp

#endif  // OTR_PROTOCOL_V4_SMP_SMP_BODIES_H_
