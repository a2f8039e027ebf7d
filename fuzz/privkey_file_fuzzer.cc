// Fuzzes the libotr private-key file reader (and the S-expression reader
// under it). Reading is tolerant of layout, so the check is that our
// writing is a fixed point: parse(write(parse(x))) == parse(x) and
// write(parse(write(...))) == write(...).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/store/privkey_file.h"
#include "protocol/store/sexp.h"

namespace {

bool SameKeys(const otr::store::PrivateKeyFile& a, const otr::store::PrivateKeyFile& b) {
  if (a.accounts.size() != b.accounts.size()) return false;
  for (size_t i = 0; i < a.accounts.size(); ++i) {
    const auto& x = a.accounts[i];
    const auto& y = b.accounts[i];
    if (x.account_name != y.account_name || x.protocol != y.protocol || x.key.pub != y.key.pub ||
        !(x.key.x == y.key.x)) {
      return false;
    }
  }
  return true;
}

std::string Text(const otr::crypto::SecretBytes& s) {
  return std::string(s.view().begin(), s.view().end());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto sexp = otr::store::ParseSexp(text); sexp.ok()) {
    std::string printed;
    otr::store::PrintSexpAdvanced(*sexp, printed);
    auto again = otr::store::ParseSexp(printed);
    if (!again.ok()) __builtin_trap();
    std::string printed_again;
    otr::store::PrintSexpAdvanced(*again, printed_again);
    if (printed_again != printed) __builtin_trap();
  }
  auto file = otr::store::ParsePrivateKeyFile(text);
  if (!file.ok()) return 0;
  auto written = otr::store::WritePrivateKeyFile(*file);
  if (!written.ok()) __builtin_trap();
  auto again = otr::store::ParsePrivateKeyFile(Text(*written));
  if (!again.ok() || !SameKeys(*again, *file)) __builtin_trap();
  auto written_again = otr::store::WritePrivateKeyFile(*again);
  if (!written_again.ok() || Text(*written_again) != Text(*written)) __builtin_trap();
  return 0;
}
