// Fuzzes DecodeErrorMessage; checks the exact round trip and that the
// displayed text is a suffix of the detail.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/wire/error_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = otr::wire::DecodeErrorMessage(text);
  if (!decoded.ok()) return 0;
  if (otr::wire::EncodeErrorMessage(*decoded) != text) __builtin_trap();
  if (!decoded->detail.ends_with(otr::wire::ErrorDisplayText(*decoded))) __builtin_trap();
  return 0;
}
