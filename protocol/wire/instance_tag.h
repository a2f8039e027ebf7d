// Instance tags (otr v3 spec, "Instance Tags"): 4-byte values; 0 means "no
// tag yet / any instance", values 1..0xff are reserved and invalid.
#ifndef OTR_PROTOCOL_WIRE_INSTANCE_TAG_H_
#define OTR_PROTOCOL_WIRE_INSTANCE_TAG_H_

#include <cstdint>

#include "base/result.h"

namespace otr::wire {

using InstanceTag = uint32_t;

inline constexpr InstanceTag kNoInstanceTag = 0;
inline constexpr InstanceTag kMinInstanceTag = 0x100;

inline constexpr bool IsValidInstanceTag(uint32_t tag) {
  return tag == kNoInstanceTag || tag >= kMinInstanceTag;
}

inline Result<InstanceTag> CheckInstanceTag(uint32_t tag) {
  if (!IsValidInstanceTag(tag)) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "instance tag in 1..0xff");
  }
  return tag;
}

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_INSTANCE_TAG_H_
