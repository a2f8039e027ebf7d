// Fuzzes DecodeMessage (v1, v2, v3 binary messages). Decoders accept only
// canonical bytes, so whatever decodes must re-encode to exactly the input,
// validate, and decode again to the same value; a Data Message's MAC input is
// a prefix of its bytes, the prefix DataMessageMacInputOf finds in the input.
#include <cstddef>
#include <cstdint>

#include "protocol/v3/messages.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const otr::ByteView input(data, size);
  auto decoded = otr::v3::DecodeMessage(input);
  if (!decoded.ok()) return 0;
  if (!otr::v3::ValidateMessage(*decoded).ok()) __builtin_trap();
  const otr::Bytes encoded = otr::v3::EncodeMessage(*decoded);
  if (encoded != otr::Bytes(input.begin(), input.end())) __builtin_trap();
  auto again = otr::v3::DecodeMessage(encoded);
  if (!again.ok() || !(*again == *decoded)) __builtin_trap();
  if (const auto* data_message = std::get_if<otr::v3::DataMessage>(&*decoded)) {
    otr::Bytes mac_input = otr::v3::EncodeDataMessageMacInput(*data_message);
    if (mac_input.size() >= encoded.size() ||
        !std::equal(mac_input.begin(), mac_input.end(), encoded.begin())) {
      __builtin_trap();
    }
    const otr::ByteView received = otr::v3::DataMessageMacInputOf(input, *data_message);
    if (!std::equal(received.begin(), received.end(), mac_input.begin(), mac_input.end())) {
      __builtin_trap();
    }
  }
  return 0;
}
