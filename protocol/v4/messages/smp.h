// The bodies of the OTRv4 SMP messages over Ed448 (otrv4.md, "SMP Message 1"
// .. "SMP Message 4"): the values of TLV types 2..5, POINTs and SCALARs in the
// spec's order. The arithmetic and the checks on the points are the SMP
// layer's; these decoders check the structure only (whole value, no trailing
// bytes, the question's length).
#ifndef OTR_PROTOCOL_V4_MESSAGES_SMP_H_
#define OTR_PROTOCOL_V4_MESSAGES_SMP_H_

#include <cstddef>

#include "base/bytes.h"
#include "base/result.h"
#include "protocol/v4/messages/data_types.h"

namespace otr::v4 {

// SMP Message 1: Question (DATA), G2a, c2, d2, G3a, c3, d3. "If there is no
// question input from the user, the length of this is 0".
struct SmpMessage1 {
  Bytes question;
  Point g2a{};
  Scalar c2{}, d2{};
  Point g3a{};
  Scalar c3{}, d3{};
  friend bool operator==(const SmpMessage1&, const SmpMessage1&) = default;
};

// SMP Message 2: G2b, c2, d2, G3b, c3, d3, Pb, Qb, cp, d5, d6.
struct SmpMessage2 {
  Point g2b{};
  Scalar c2{}, d2{};
  Point g3b{};
  Scalar c3{}, d3{};
  Point pb{}, qb{};
  Scalar cp{}, d5{}, d6{};
  friend bool operator==(const SmpMessage2&, const SmpMessage2&) = default;
};

// SMP Message 3: Pa, Qa, cp, d5, d6, Ra, cr, d7.
struct SmpMessage3 {
  Point pa{}, qa{};
  Scalar cp{}, d5{}, d6{};
  Point ra{};
  Scalar cr{}, d7{};
  friend bool operator==(const SmpMessage3&, const SmpMessage3&) = default;
};

// SMP Message 4: Rb, cr, d7.
struct SmpMessage4 {
  Point rb{};
  Scalar cr{}, d7{};
  friend bool operator==(const SmpMessage4&, const SmpMessage4&) = default;
};

inline constexpr size_t kSmpMessage1FixedSize = 4 + 2 * kPointSize + 4 * kScalarSize;
inline constexpr size_t kSmpMessage2Size = 4 * kPointSize + 7 * kScalarSize;
inline constexpr size_t kSmpMessage3Size = 3 * kPointSize + 5 * kScalarSize;
inline constexpr size_t kSmpMessage4Size = kPointSize + 2 * kScalarSize;
// A TLV value is at most 0xffff bytes (its Length is a SHORT), so the
// question is at most what remains of it.
inline constexpr size_t kMaxSmpQuestionSize = 0xffff - kSmpMessage1FixedSize;

// Each decoder takes the whole TLV value (kTrailingBytes after the last field).
Result<SmpMessage1> DecodeSmpMessage1(ByteView value);
Result<SmpMessage2> DecodeSmpMessage2(ByteView value);
Result<SmpMessage3> DecodeSmpMessage3(ByteView value);
Result<SmpMessage4> DecodeSmpMessage4(ByteView value);
// Precondition for a TLV: the question is at most kMaxSmpQuestionSize bytes.
Bytes EncodeSmpMessage1(const SmpMessage1& m);
Bytes EncodeSmpMessage2(const SmpMessage2& m);
Bytes EncodeSmpMessage3(const SmpMessage3& m);
Bytes EncodeSmpMessage4(const SmpMessage4& m);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_MESSAGES_SMP_H_
