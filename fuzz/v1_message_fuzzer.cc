// Fuzzes DecodeV1Message directly (v3_message_fuzzer reaches it only
// through DecodeMessage's version dispatch): whatever decodes passes the
// decode rules and re-encodes to the same bytes (the encoding is canonical).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "protocol/v3/v1_messages.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const otr::ByteView input(data, size);
  auto decoded = otr::v3::DecodeV1Message(input);
  if (!decoded.ok()) return 0;
  if (!otr::v3::ValidateV1Message(*decoded).ok()) __builtin_trap();
  const otr::Bytes encoded = otr::v3::EncodeV1Message(*decoded);
  if (!std::equal(encoded.begin(), encoded.end(), input.begin(), input.end())) __builtin_trap();
  return 0;
}
