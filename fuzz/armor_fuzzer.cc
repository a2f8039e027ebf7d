// Fuzzes DecodeArmor; checks that whatever decodes re-encodes to a string
// that decodes to the same bytes, and that a canonical input (ending at its
// '.') re-encodes to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/wire/armor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = otr::wire::DecodeArmor(text);
  if (!decoded.ok()) return 0;
  const std::string encoded = otr::wire::EncodeArmor(*decoded);
  auto again = otr::wire::DecodeArmor(encoded);
  if (!again.ok() || *again != *decoded) __builtin_trap();
  if (text.back() == '.' && text.find('.') == text.size() - 1 && encoded != text) {
    __builtin_trap();
  }
  return 0;
}
