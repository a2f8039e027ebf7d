#include "protocol/smp/records.h"

namespace otr::smp {

uint16_t TlvTypeOf(Kind kind) {
  switch (kind) {
    case Kind::kSmp1:
      return kTlvSmp1;
    case Kind::kSmp2:
      return kTlvSmp2;
    case Kind::kSmp3:
      return kTlvSmp3;
    case Kind::kSmp4:
      return kTlvSmp4;
    case Kind::kAbort:
      break;
  }
  return kTlvSmpAbort;
}

std::optional<Kind> KindOfTlvType(uint16_t type) {
  switch (type) {
    case kTlvSmp1:
      return Kind::kSmp1;
    case kTlvSmp2:
      return Kind::kSmp2;
    case kTlvSmp3:
      return Kind::kSmp3;
    case kTlvSmp4:
      return Kind::kSmp4;
    case kTlvSmpAbort:
      return Kind::kAbort;
    default:
      return std::nullopt;
  }
}

SmpEvent SmpEventOf(Kind kind) {
  switch (kind) {
    case Kind::kSmp1:
      return SmpEvent::kSmp1;
    case Kind::kSmp2:
      return SmpEvent::kSmp2;
    case Kind::kSmp3:
      return SmpEvent::kSmp3;
    case Kind::kSmp4:
      return SmpEvent::kSmp4;
    case Kind::kAbort:
      break;
  }
  return SmpEvent::kAbort;
}

}  // namespace otr::smp
