// Fuzzes the libotr instance-tag file reader: whatever parses holds only
// valid tags, writes back to text that parses to the same entries, and our
// writing is a fixed point.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/store/instag_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto entries = otr::store::ParseInstagFile(text);
  if (!entries.ok()) return 0;
  for (const auto& e : *entries) {
    if (e.instag < otr::wire::kMinInstanceTag) __builtin_trap();
  }
  auto written = otr::store::WriteInstagFile(*entries);
  if (!written.ok()) __builtin_trap();
  auto again = otr::store::ParseInstagFile(*written);
  if (!again.ok() || *again != *entries) __builtin_trap();
  auto written_again = otr::store::WriteInstagFile(*again);
  if (!written_again.ok() || *written_again != *written) __builtin_trap();
  return 0;
}
