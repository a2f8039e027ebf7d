// Fuzzes Classify; checks that every value with an encoding classifies back
// to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/wire/classify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const otr::wire::InboundMessage message = otr::wire::Classify(text);
  auto encoded = otr::wire::EncodeInbound(message);
  if (!encoded.ok()) return 0;
  if (!(otr::wire::Classify(*encoded) == message)) __builtin_trap();
  return 0;
}
