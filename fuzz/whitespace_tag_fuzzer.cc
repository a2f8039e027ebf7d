// Fuzzes DecodeTaggedPlaintext; checks that the displayed text is the input
// minus a run of whole tag bytes, and that whatever re-encodes decodes to the
// same value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/wire/whitespace_tag.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = otr::wire::DecodeTaggedPlaintext(text);
  if (!decoded) return 0;
  const size_t removed = text.size() - decoded->text.size();
  if (removed < otr::wire::kWhitespaceTagBase.size() ||
      (removed - otr::wire::kWhitespaceTagBase.size()) % otr::wire::kWhitespaceVersionTagSize !=
          0) {
    __builtin_trap();
  }
  auto encoded = otr::wire::EncodeTaggedPlaintext(*decoded);
  if (!encoded.ok()) return 0;
  auto again = otr::wire::DecodeTaggedPlaintext(*encoded);
  if (!again || !(*again == *decoded)) __builtin_trap();
  return 0;
}
