#include "protocol/v4/engine/smp_records.h"

#include "protocol/v4/smp/ed448_group.h"

namespace otr::v4 {

using otr::smp::Kind;

Result<TlvRecord> SmpRecord(const otr::smp::Message& m) {
  TlvRecord record;
  record.value = m.body;
  switch (m.kind) {
    case Kind::kSmp1: {
      record.type = static_cast<uint16_t>(TlvType::kSmp1);
      if (m.question) {
        OTR_ASSIGN_OR_RETURN(record.value, smp::Ed448Group::WithQuestion(m.body, *m.question));
      }
      break;
    }
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
      record.value.clear();
      break;
  }
  if (record.value.size() > kMaxTlvValueSize) {
    return MakeError(ErrorCode::kTooLarge, "SMP message does not fit a TLV");
  }
  return record;
}

std::optional<otr::smp::Message> SmpMessageOf(const TlvRecord& record) {
  otr::smp::Message m;
  m.body = record.value;
  switch (static_cast<TlvType>(record.type)) {
    case TlvType::kSmp1:
      m.kind = Kind::kSmp1;
      m.question = smp::Ed448Group::QuestionOf(record.value);
      return m;
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

otr::smp::SmpEvent SmpEventOf(Kind kind) {
  switch (kind) {
    case Kind::kSmp1:
      return otr::smp::SmpEvent::kSmp1;
    case Kind::kSmp2:
      return otr::smp::SmpEvent::kSmp2;
    case Kind::kSmp3:
      return otr::smp::SmpEvent::kSmp3;
    case Kind::kSmp4:
      return otr::smp::SmpEvent::kSmp4;
    case Kind::kAbort:
      break;
  }
  return otr::smp::SmpEvent::kAbort;
}

}  // namespace otr::v4
