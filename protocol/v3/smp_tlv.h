// The bodies of the SMP TLVs (otr v3 spec, "SMP Message TLVs (types 2-5) all
// carry data sharing the same general format": MPI count (INT), then the
// MPIs), with the MPIs named as in "The SMP state machine".
#ifndef OTR_PROTOCOL_V3_SMP_TLV_H_
#define OTR_PROTOCOL_V3_SMP_TLV_H_

#include <array>
#include <cstddef>

#include "base/bytes.h"
#include "base/result.h"

namespace otr::v3 {

// Every SMP value is a group element or an exponent modulo q (both below the
// 1536-bit modulus) or a SHA-256 output: at most 192 bytes.
inline constexpr size_t kMaxSmpMpiSize = 1536 / 8;

// SMP message 1: g2a, c2, D2, g3a, c3, D3.
struct Smp1 {
  Bytes g2a, c2, d2, g3a, c3, d3;
  static constexpr std::array kFields = {&Smp1::g2a, &Smp1::c2, &Smp1::d2,
                                         &Smp1::g3a, &Smp1::c3, &Smp1::d3};
  friend bool operator==(const Smp1&, const Smp1&) = default;
};

// SMP message 2: g2b, c2, D2, g3b, c3, D3, Pb, Qb, cP, D5, D6.
struct Smp2 {
  Bytes g2b, c2, d2, g3b, c3, d3, pb, qb, cp, d5, d6;
  static constexpr std::array kFields = {&Smp2::g2b, &Smp2::c2, &Smp2::d2, &Smp2::g3b,
                                         &Smp2::c3,  &Smp2::d3, &Smp2::pb, &Smp2::qb,
                                         &Smp2::cp,  &Smp2::d5, &Smp2::d6};
  friend bool operator==(const Smp2&, const Smp2&) = default;
};

// SMP message 3: Pa, Qa, cP, D5, D6, Ra, cR, D7.
struct Smp3 {
  Bytes pa, qa, cp, d5, d6, ra, cr, d7;
  static constexpr std::array kFields = {&Smp3::pa, &Smp3::qa, &Smp3::cp, &Smp3::d5,
                                         &Smp3::d6, &Smp3::ra, &Smp3::cr, &Smp3::d7};
  friend bool operator==(const Smp3&, const Smp3&) = default;
};

// SMP message 4: Rb, cR, D7.
struct Smp4 {
  Bytes rb, cr, d7;
  static constexpr std::array kFields = {&Smp4::rb, &Smp4::cr, &Smp4::d7};
  friend bool operator==(const Smp4&, const Smp4&) = default;
};

// Type 7: "Like a SMP Message 1, but whose value begins with a NUL-terminated
// user-specified question."
struct Smp1Q {
  Bytes question;  // without its NUL
  Smp1 smp1;
  friend bool operator==(const Smp1Q&, const Smp1Q&) = default;
};

// Decoding: the count must be exactly the message's (kInvalidEncoding
// otherwise, as libotr), MPIs minimal and bounded, no trailing bytes.
Result<Smp1> DecodeSmp1(ByteView value);
Result<Smp2> DecodeSmp2(ByteView value);
Result<Smp3> DecodeSmp3(ByteView value);
Result<Smp4> DecodeSmp4(ByteView value);
Result<Smp1Q> DecodeSmp1Q(ByteView value);
// MPI values are written minimal (leading zero bytes dropped).
Bytes EncodeSmp1(const Smp1& m);
Bytes EncodeSmp2(const Smp2& m);
Bytes EncodeSmp3(const Smp3& m);
Bytes EncodeSmp4(const Smp4& m);
// kInvalidEncoding when the question contains a NUL.
Result<Bytes> EncodeSmp1Q(const Smp1Q& m);

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_SMP_TLV_H_
