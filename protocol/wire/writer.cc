#include "protocol/wire/writer.h"

namespace otr::wire {

void Writer::WriteU16(uint16_t v) {
  WriteU8(static_cast<uint8_t>(v >> 8));
  WriteU8(static_cast<uint8_t>(v));
}

void Writer::WriteU32(uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) WriteU8(static_cast<uint8_t>(v >> shift));
}

void Writer::WriteU64(uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) WriteU8(static_cast<uint8_t>(v >> shift));
}

void Writer::WriteU16Le(uint16_t v) {
  WriteU8(static_cast<uint8_t>(v));
  WriteU8(static_cast<uint8_t>(v >> 8));
}

void Writer::WriteU32Le(uint32_t v) {
  for (int shift = 0; shift <= 24; shift += 8) WriteU8(static_cast<uint8_t>(v >> shift));
}

void Writer::WriteData(ByteView bytes) {
  WriteU32(static_cast<uint32_t>(bytes.size()));
  WriteBytes(bytes);
}

void Writer::WriteMpi(ByteView value) {
  size_t skip = 0;
  while (skip < value.size() && value[skip] == 0) ++skip;
  WriteData(value.subspan(skip));
}

}  // namespace otr::wire
