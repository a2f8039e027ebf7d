#include "protocol/v3/engine/smp_records.h"

#include <algorithm>

namespace otr::v3 {

using otr::smp::Kind;

Result<TlvRecord> SmpRecord(const otr::smp::Message& m) {
  TlvRecord record;
  record.type = otr::smp::TlvTypeOf(m.kind);
  record.value = m.body;
  if (m.kind == Kind::kSmp1 && m.question) {
    // "a NUL-terminated user-specified question" (TLV 7)
    if (m.question->find('\0') != std::string::npos) {
      return MakeError(ErrorCode::kInvalidEncoding, "SMP question contains a NUL");
    }
    record.type = static_cast<uint16_t>(TlvType::kSmp1Q);
    record.value.assign(m.question->begin(), m.question->end());
    record.value.push_back(0);
    record.value.insert(record.value.end(), m.body.begin(), m.body.end());
  }
  return record;
}

// The SMP message a TLV record carries, if it is one (types 2-7).
std::optional<otr::smp::Message> SmpMessageOf(const TlvRecord& record) {
  otr::smp::Message m;
  m.body = record.value;
  if (record.type == static_cast<uint16_t>(TlvType::kSmp1Q)) {
    m.kind = Kind::kSmp1;
    const auto nul = std::find(record.value.begin(), record.value.end(), uint8_t{0});
    // No NUL: a malformed body, which fails its proofs like any other.
    if (nul == record.value.end()) return m;
    m.question = std::string(record.value.begin(), nul);
    m.body.assign(nul + 1, record.value.end());
    return m;
  }
  const std::optional<Kind> kind = otr::smp::KindOfTlvType(record.type);
  if (!kind) return std::nullopt;
  m.kind = *kind;
  if (m.kind == Kind::kAbort) m.body.clear();
  return m;
}

}  // namespace otr::v3
