// Fuzzes ParseSexp directly (privkey_file_fuzzer reaches it only through the
// key file's structure): whatever parses prints, in libgcrypt's advanced
// format, to text that parses again and prints the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/store/sexp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = otr::store::ParseSexp(text);
  if (!parsed.ok()) return 0;
  std::string printed;
  otr::store::PrintSexpAdvanced(*parsed, printed);
  auto again = otr::store::ParseSexp(printed);
  if (!again.ok()) __builtin_trap();
  std::string reprinted;
  otr::store::PrintSexpAdvanced(*again, reprinted);
  if (reprinted != printed) __builtin_trap();
  return 0;
}
