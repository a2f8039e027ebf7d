// Fuzzes the libotr fingerprint file reader: whatever parses writes back to
// text that parses to the same entries, and our writing is a fixed point.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/store/fingerprint_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto entries = otr::store::ParseFingerprintFile(text);
  if (!entries.ok()) return 0;
  auto written = otr::store::WriteFingerprintFile(*entries);
  if (!written.ok()) __builtin_trap();
  auto again = otr::store::ParseFingerprintFile(*written);
  if (!again.ok() || *again != *entries) __builtin_trap();
  auto written_again = otr::store::WriteFingerprintFile(*again);
  if (!written_again.ok() || *written_again != *written) __builtin_trap();
  return 0;
}
