// Fuzzes DecodeFragment; checks decode(encode(decoded)) == decoded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/wire/fragment.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = otr::wire::DecodeFragment(text);
  if (!decoded.ok()) return 0;
  auto encoded = otr::wire::EncodeFragment(*decoded);
  if (!encoded.ok()) __builtin_trap();
  auto again = otr::wire::DecodeFragment(*encoded);
  if (!again.ok() || !(*again == *decoded)) __builtin_trap();
  return 0;
}
