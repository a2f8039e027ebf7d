// The SMP messages as TLV types, the same in every version: v3 "SMP Message
// TLVs (types 2-7)" and otrv4.md "TLV Record Types" both number SMP message
// 1 to 4 as types 2 to 5 and the abort as type 6. What differs (v3's type 7,
// message 1 with a NUL-terminated question; v4's question inside message
// 1's body) stays with each version's engine (protocol/v3/engine and
// protocol/v4/engine smp_records).
#ifndef OTR_PROTOCOL_SMP_RECORDS_H_
#define OTR_PROTOCOL_SMP_RECORDS_H_

#include <cstdint>
#include <optional>

#include "protocol/smp/executor.h"
#include "protocol/smp/smp_table.h"

namespace otr::smp {

inline constexpr uint16_t kTlvSmp1 = 2;
inline constexpr uint16_t kTlvSmp2 = 3;
inline constexpr uint16_t kTlvSmp3 = 4;
inline constexpr uint16_t kTlvSmp4 = 5;
inline constexpr uint16_t kTlvSmpAbort = 6;

// The TLV type of a message of `kind` (v3's type 7 aside).
uint16_t TlvTypeOf(Kind kind);
// The kind of SMP message a TLV of `type` carries: types 2 to 6, else none.
std::optional<Kind> KindOfTlvType(uint16_t type);
// The SMP-table event for receiving a message of `kind`.
SmpEvent SmpEventOf(Kind kind);

}  // namespace otr::smp

#endif  // OTR_PROTOCOL_SMP_RECORDS_H_
