#include "protocol/v3/engine/smp_records.h"

#include <algorithm>

namespace otr::v3 {

Result<TlvRecord> SmpRecord(const otr::smp::Message& m) {
  using otr::smp::Kind;
  TlvRecord record;
  switch (m.kind) {
    case Kind::kSmp1:
      if (m.question) {
        // "a NUL-terminated user-specified question" (TLV 7)
        if (m.question->find('\0') != std::string::npos) {
          return MakeError(ErrorCode::kInvalidEncoding, "SMP question contains a NUL");
        }
        record.type = static_cast<uint16_t>(TlvType::kSmp1Q);
        record.value.assign(m.question->begin(), m.question->end());
        record.value.push_back(0);
        record.value.insert(record.value.end(), m.body.begin(), m.body.end());
        return record;
      }
      record.type = static_cast<uint16_t>(TlvType::kSmp1);
      break;
    case Kind::kSmp2:
      record.type = static_cast<uint16_t>(TlvType::kSmp2);
      break;
    case Kind::kSmp3:
      record.type = static_cast<uint16_t>(TlvType::kSmp3);
      break;
    case Kind::kSmp4:
      record.type = static_cast<uint16_t>(TlvType::kSmp4);
      break;
    case Kind::kAbort:
      record.type = static_cast<uint16_t>(TlvType::kSmpAbort);
      break;
  }
  record.value = m.body;
  return record;
}

// The SMP message a TLV record carries, if it is one (types 2-7).
std::optional<otr::smp::Message> SmpMessageOf(const TlvRecord& record) {
  using otr::smp::Kind;
  otr::smp::Message m;
  m.body = record.value;
  switch (static_cast<TlvType>(record.type)) {
    case TlvType::kSmp1:
      m.kind = Kind::kSmp1;
      return m;
    case TlvType::kSmp1Q: {
      m.kind = Kind::kSmp1;
      const auto nul = std::find(record.value.begin(), record.value.end(), uint8_t{0});
      // No NUL: a malformed body, which fails its proofs like any other.
      if (nul == record.value.end()) return m;
      m.question = std::string(record.value.begin(), nul);
      m.body.assign(nul + 1, record.value.end());
      return m;
    }
    case TlvType::kSmp2:
      m.kind = Kind::kSmp2;
      return m;
    case TlvType::kSmp3:
      m.kind = Kind::kSmp3;
      return m;
    case TlvType::kSmp4:
      m.kind = Kind::kSmp4;
      return m;
    case TlvType::kSmpAbort:
      m.kind = Kind::kAbort;
      m.body.clear();
      return m;
    default:
      return std::nullopt;
  }
}

otr::smp::SmpEvent SmpEventOf(otr::smp::Kind kind) {
  switch (kind) {
    case otr::smp::Kind::kSmp1:
      return otr::smp::SmpEvent::kSmp1;
    case otr::smp::Kind::kSmp2:
      return otr::smp::SmpEvent::kSmp2;
    case otr::smp::Kind::kSmp3:
      return otr::smp::SmpEvent::kSmp3;
    case otr::smp::Kind::kSmp4:
      return otr::smp::SmpEvent::kSmp4;
    case otr::smp::Kind::kAbort:
      break;
  }
  return otr::smp::SmpEvent::kAbort;
}

}  // namespace otr::v3
