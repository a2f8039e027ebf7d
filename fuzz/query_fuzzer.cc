// Fuzzes DecodeQuery; checks decode(encode(decoded)) == decoded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/wire/query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = otr::wire::DecodeQuery(text);
  if (!decoded.ok()) return 0;
  auto again = otr::wire::DecodeQuery(otr::wire::EncodeQuery(*decoded));
  if (!again.ok() || !(*again == *decoded)) __builtin_trap();
  return 0;
}
