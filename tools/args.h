// Command-line options of the `otr` subcommands: `--name value`,
// `--name=value` and `--flag`, anywhere among the positional arguments;
// `--` ends the options.
#ifndef OTR_TOOLS_ARGS_H_
#define OTR_TOOLS_ARGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tools/outcome.h"

namespace otr::tools {

struct OptionSpec {
  std::set<std::string> with_value;  // names without the leading "--"
  std::set<std::string> flags;
};

struct ParsedArgs {
  std::map<std::string, std::string> values;  // the last one wins
  std::set<std::string> flags;
  std::vector<std::string> positional;

  bool Has(const std::string& name) const { return values.count(name) != 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
  bool Flag(const std::string& name) const { return flags.count(name) != 0; }
};

// Failures: an unknown option, a missing value, a value given to a flag.
Outcome<ParsedArgs> ParseArgs(const std::vector<std::string>& args, const OptionSpec& spec);

// Every subcommand: `--help` or `-h` (before any `--`) prints its usage on
// stdout and exits 0, before anything else is read (stdin included); a
// usage error prints the reason and the usage on stderr and exits
// kExitUsageError; any other failure exits 1.
inline constexpr int kExitUsageError = 2;
bool WantsHelp(const std::vector<std::string>& args);

}  // namespace otr::tools

#endif  // OTR_TOOLS_ARGS_H_
