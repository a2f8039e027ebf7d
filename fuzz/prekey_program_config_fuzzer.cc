// Fuzzes the otr-prekey-server program's configuration readers
// (tools/prekey_server/program_config.h). First input byte even: the rest
// is a configuration file's text (ParseProgramConfigText); whatever parses
// is written back (FormatProgramConfigText) and reads back to the same
// settings, and that text is a fixed point. Odd: the rest, split at NUL
// bytes, is the command line (ParseProgramConfig), without --config (which
// would read a file named by the input).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tools/prekey_server/program_config.h"

namespace {

using otr::prekey_server::FormatProgramConfigText;
using otr::prekey_server::ParseProgramConfig;
using otr::prekey_server::ParseProgramConfigText;
using otr::prekey_server::ProgramConfig;

void CheckRoundTrip(const ProgramConfig& parsed) {
  const std::string text = FormatProgramConfigText(parsed);
  ProgramConfig again;
  std::string error;
  if (!ParseProgramConfigText(text, "again", &again, &error)) __builtin_trap();
  again.check = parsed.check;
  if (!(again == parsed)) __builtin_trap();
  if (FormatProgramConfigText(again) != text) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  ProgramConfig config;
  std::string error;
  if ((data[0] & 1) == 0) {
    if (ParseProgramConfigText(rest, "fuzz.conf", &config, &error)) {
      CheckRoundTrip(config);
    } else if (error.empty()) {
      __builtin_trap();  // every refusal says why
    }
    return 0;
  }
  std::vector<std::string> args;
  size_t start = 0;
  while (start <= rest.size()) {
    const size_t nul = rest.find('\0', start);
    const size_t end = nul == std::string_view::npos ? rest.size() : nul;
    const std::string arg(rest.substr(start, end - start));
    if (arg.find("config") == std::string::npos) args.push_back(arg);
    start = end + 1;
  }
  if (ParseProgramConfig(args, &config, &error)) {
    // The required settings are there (a flag's value may hold what the
    // file format cannot, '#' or a line break: no round trip here).
    // --help alone returns at once, with the defaults and `help` set.
    if (config.help) {
      ProgramConfig help;
      help.help = true;
      if (!(config == help)) __builtin_trap();
    } else if (config.component.empty() || config.secret_file.empty()) {
      __builtin_trap();
    }
  } else if (error.empty()) {
    __builtin_trap();
  }
  return 0;
}
