#include "protocol/v4/engine/smp_records.h"

#include "protocol/v4/smp/ed448_group.h"

namespace otr::v4 {

using otr::smp::Kind;

Result<TlvRecord> SmpRecord(const otr::smp::Message& m) {
  TlvRecord record;
  record.type = otr::smp::TlvTypeOf(m.kind);
  record.value = m.kind == Kind::kAbort ? Bytes{} : m.body;
  if (m.kind == Kind::kSmp1 && m.question) {
    OTR_ASSIGN_OR_RETURN(record.value, smp::Ed448Group::WithQuestion(m.body, *m.question));
  }
  if (record.value.size() > kMaxTlvValueSize) {
    return MakeError(ErrorCode::kTooLarge, "SMP message does not fit a TLV");
  }
  return record;
}

std::optional<otr::smp::Message> SmpMessageOf(const TlvRecord& record) {
  const std::optional<Kind> kind = otr::smp::KindOfTlvType(record.type);
  if (!kind) return std::nullopt;
  otr::smp::Message m;
  m.kind = *kind;
  if (m.kind != Kind::kAbort) m.body = record.value;
  if (m.kind == Kind::kSmp1) m.question = smp::Ed448Group::QuestionOf(record.value);
  return m;
}

}  // namespace otr::v4
