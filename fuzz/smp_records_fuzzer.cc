// Fuzzes the mapping of v2/v3 TLV records to the version-neutral SMP
// messages (protocol/v3/engine/smp_records.h). Input: the record type (two
// bytes, big-endian) and its value. An SMP record's message survives the
// trip back to a record and again to a message unchanged.
#include <cstddef>
#include <cstdint>

#include "protocol/v3/engine/smp_records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  otr::v3::TlvRecord record;
  record.type = static_cast<uint16_t>((data[0] << 8) | data[1]);
  record.value.assign(data + 2, data + size);
  const auto message = otr::v3::SmpMessageOf(record);
  const bool smp_type = record.type >= 2 && record.type <= 7;
  if (message.has_value() != smp_type) __builtin_trap();
  if (!message) return 0;
  // A question comes from the bytes before the first NUL: it holds none.
  auto again = otr::v3::SmpRecord(*message);
  if (!again.ok()) __builtin_trap();
  const auto back = otr::v3::SmpMessageOf(*again);
  if (!back || back->kind != message->kind || back->body != message->body ||
      back->question != message->question) {
    __builtin_trap();
  }
  (void)otr::v3::SmpEventOf(message->kind);
  return 0;
}
