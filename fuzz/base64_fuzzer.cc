// Fuzzes DecodeBase64 directly (armor_fuzzer reaches it only inside "?OTR:"
// ... "."): the AVX2 and portable paths must agree on every input (same
// bytes or same error code), and whatever decodes re-encodes to the input
// (the decoder accepts canonical text only).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/wire/base64.h"
#include "protocol/wire/base64_avx2.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = otr::wire::internal::DecodeBase64With(text, /*avx2=*/false);
  if (otr::wire::internal::HaveAvx2()) {
    auto fast = otr::wire::internal::DecodeBase64With(text, /*avx2=*/true);
    if (fast.ok() != decoded.ok()) __builtin_trap();
    if (fast.ok() ? *fast != *decoded : fast.error().code != decoded.error().code) {
      __builtin_trap();
    }
  }
  if (!decoded.ok()) return 0;
  if (otr::wire::EncodeBase64(*decoded) != text) __builtin_trap();
  return 0;
}
