// Fuzzes DecodeMessage of protocol/v4/messages (Identity, Auth-R, Auth-I,
// Prekey Message, Non-Interactive-Auth, Data Message). Decoders accept only
// canonical bytes, so whatever decodes must re-encode to exactly the input
// and decode again to the same value; a Data Message's MAC input is a prefix
// of its bytes, the prefix DataMessageMacInputOf finds in the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "protocol/v4/messages/messages.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const otr::ByteView input(data, size);
  auto decoded = otr::v4::DecodeMessage(input);
  if (!decoded.ok()) return 0;
  const otr::Bytes encoded = otr::v4::EncodeMessage(*decoded);
  if (encoded != otr::Bytes(input.begin(), input.end())) __builtin_trap();
  auto again = otr::v4::DecodeMessage(encoded);
  if (!again.ok() || !(*again == *decoded)) __builtin_trap();
  if (static_cast<uint8_t>(otr::v4::TypeOf(*decoded)) != input[2]) __builtin_trap();
  if (const auto* m = std::get_if<otr::v4::DataMessage>(&*decoded)) {
    const otr::Bytes mac_input = otr::v4::DataMessageMacInput(*m);
    if (mac_input.size() >= encoded.size() ||
        !std::equal(mac_input.begin(), mac_input.end(), encoded.begin())) {
      __builtin_trap();
    }
    const otr::ByteView received = otr::v4::DataMessageMacInputOf(input, *m);
    if (!std::equal(received.begin(), received.end(), mac_input.begin(), mac_input.end())) {
      __builtin_trap();
    }
  }
  return 0;
}
