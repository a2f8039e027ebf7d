#ifndef OTR_PROTOCOL_WIRE_TLV_RECORDS_H_
#define OTR_PROTOCOL_WIRE_TLV_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "base/bytes.h"
#include "base/result.h"
#include "protocol/wire/writer.h"

namespace otr::wire {

// A Data Message's plaintext as v3 and v4 both lay it out (v3 spec
// "Type/Length/Value" and "Data Message"; otrv4.md "Data Message" and "TLV
// Record Types"): the human-readable message, the NUL when there is a TLV
// part, each record as type (SHORT), length (SHORT), value, then `tail`
// (v4's incomplete record, kept as received). The caller has checked the
// message and the tail; the record lengths are checked here, before anything
// is written into a buffer of the exact size. `Record` has `type` and
// `value` (v3::TlvRecord, v4::TlvRecord).
template <typename Record>
Result<Bytes> WriteTextAndRecords(ByteView message, bool has_tlv_part,
                                  std::span<const Record> records, ByteView tail = ByteView()) {
  constexpr size_t kMaxValueSize = 0xffff;  // the length is a SHORT
  size_t size = message.size() + (has_tlv_part ? 1 : 0) + tail.size();
  for (const Record& record : records) {
    if (record.value.size() > kMaxValueSize) {
      return MakeError(ErrorCode::kTooLarge, "TLV value longer than 65535 bytes");
    }
    size += 4 + record.value.size();
  }
  Writer writer;
  writer.Reserve(size);
  writer.WriteBytes(message);
  if (has_tlv_part) writer.WriteU8(0);
  for (const Record& record : records) {
    writer.WriteU16(record.type);
    writer.WriteU16(static_cast<uint16_t>(record.value.size()));
    writer.WriteBytes(record.value);
  }
  writer.WriteBytes(tail);
  return std::move(writer).Finish();
}

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_TLV_RECORDS_H_
