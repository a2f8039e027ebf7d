// Fuzzes the OTRv4 SMP message bodies over Ed448 directly: the first byte
// picks SMP Message 1, 2, 3 or 4 (modulo 4), the rest is the TLV value.
// Canonical round trip.
#include <cstddef>
#include <cstdint>

#include "protocol/v4/messages/smp.h"

namespace {

template <typename T>
void Check(otr::ByteView value, otr::Result<T> (*decode)(otr::ByteView),
           otr::Bytes (*encode)(const T&)) {
  auto decoded = decode(value);
  if (!decoded.ok()) return;
  const otr::Bytes encoded = encode(*decoded);
  if (encoded != otr::Bytes(value.begin(), value.end())) __builtin_trap();
  auto again = decode(encoded);
  if (!again.ok() || !(*again == *decoded)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const otr::ByteView value(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      Check(value, otr::v4::DecodeSmpMessage1, otr::v4::EncodeSmpMessage1);
      break;
    case 1:
      Check(value, otr::v4::DecodeSmpMessage2, otr::v4::EncodeSmpMessage2);
      break;
    case 2:
      Check(value, otr::v4::DecodeSmpMessage3, otr::v4::EncodeSmpMessage3);
      break;
    default:
      Check(value, otr::v4::DecodeSmpMessage4, otr::v4::EncodeSmpMessage4);
      break;
  }
  return 0;
}
