#include "protocol/wire/writer.h"

namespace otr::wire {

namespace {

// The `size` bytes of v, most significant first (big_endian) or least.
template <typename T>
void Append(Writer& out, T v, bool big_endian) {
  constexpr size_t kSize = sizeof(T);
  uint8_t bytes[kSize];
  for (size_t i = 0; i < kSize; ++i) {
    const size_t shift = 8 * (big_endian ? kSize - 1 - i : i);
    bytes[i] = static_cast<uint8_t>(v >> shift);
  }
  // One capacity check and copy, not one per byte.
  out.WriteBytes(ByteView(bytes, kSize));
}

}  // namespace

void Writer::WriteU16(uint16_t v) { Append(*this, v, /*big_endian=*/true); }

void Writer::WriteU32(uint32_t v) { Append(*this, v, /*big_endian=*/true); }

void Writer::WriteU64(uint64_t v) { Append(*this, v, /*big_endian=*/true); }

void Writer::WriteU16Le(uint16_t v) { Append(*this, v, /*big_endian=*/false); }

void Writer::WriteU32Le(uint32_t v) { Append(*this, v, /*big_endian=*/false); }

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
