// Fuzzes the SMP TLV bodies directly: the first byte picks SMP message 1, 2,
// 3, 4 or 1Q (modulo 5), the rest is the TLV value. Canonical round trip.
#include <cstddef>
#include <cstdint>

#include "protocol/v3/smp_tlv.h"

namespace {

template <typename T>
void Check(otr::ByteView value, otr::Result<T> (*decode)(otr::ByteView),
           otr::Bytes (*encode)(const T&)) {
  auto decoded = decode(value);
  if (!decoded.ok()) return;
  otr::Bytes encoded = encode(*decoded);
  if (encoded != otr::Bytes(value.begin(), value.end())) __builtin_trap();
  auto again = decode(encoded);
  if (!again.ok() || !(*again == *decoded)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const otr::ByteView value(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      Check(value, otr::v3::DecodeSmp1, otr::v3::EncodeSmp1);
      break;
    case 1:
      Check(value, otr::v3::DecodeSmp2, otr::v3::EncodeSmp2);
      break;
    case 2:
      Check(value, otr::v3::DecodeSmp3, otr::v3::EncodeSmp3);
      break;
    case 3:
      Check(value, otr::v3::DecodeSmp4, otr::v3::EncodeSmp4);
      break;
    case 4: {
      auto decoded = otr::v3::DecodeSmp1Q(value);
      if (!decoded.ok()) break;
      auto encoded = otr::v3::EncodeSmp1Q(*decoded);
      if (!encoded.ok() || *encoded != otr::Bytes(value.begin(), value.end())) __builtin_trap();
      break;
    }
  }
  return 0;
}
