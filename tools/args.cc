#include "tools/args.h"

#include <optional>

namespace otr::tools {

Outcome<ParsedArgs> ParseArgs(const std::vector<std::string>& args, const OptionSpec& spec) {
  ParsedArgs parsed;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (options_ended || a.size() < 2 || a.compare(0, 2, "--") != 0) {
      parsed.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      options_ended = true;
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (spec.flags.count(name) != 0) {
      if (inline_value) return Failure{"option --" + name + " takes no value"};
      parsed.flags.insert(name);
    } else if (spec.with_value.count(name) != 0) {
      if (inline_value) {
        parsed.values[name] = *inline_value;
      } else if (i + 1 < args.size()) {
        parsed.values[name] = args[++i];
      } else {
        return Failure{"option --" + name + " needs a value"};
      }
    } else {
      return Failure{"unknown option --" + name};
    }
  }
  return parsed;
}

bool WantsHelp(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "--") return false;
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

}  // namespace otr::tools
