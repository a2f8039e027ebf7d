// The `otr` command-line program: `otr <command> [args]`; `otr help` lists
// the commands.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "tools/command.h"
#include "tools/terminal_text.h"

namespace otr::tools {

bool RegisterCommand(const Command& command) {
  auto& list = const_cast<std::vector<Command>&>(Commands());
  list.push_back(command);
  return true;
}

const std::vector<Command>& Commands() {
  static std::vector<Command> commands;
  return commands;
}

}  // namespace otr::tools

namespace {

void Usage() {
  std::fprintf(stderr,
               "usage: otr <command> [options]; otr help <command> or otr <command> --help for "
               "one\n\ncommands:\n");
  auto commands = otr::tools::Commands();
  std::sort(commands.begin(), commands.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& c : commands) {
    std::fprintf(stderr, "  %-12.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
  }
}

}  // namespace

int main(int argc, char** argv) {
  // `otr help COMMAND` is `otr COMMAND --help`.
  if (argc == 3 && std::string(argv[1]) == "help") {
    for (const auto& c : otr::tools::Commands()) {
      if (c.name == argv[2]) return c.run({"--help"});
    }
    std::fprintf(stderr, "otr: unknown command '%s'\n", otr::tools::ForTerminal(argv[2]).c_str());
    Usage();
    return 2;
  }
  if (argc < 2 || std::string(argv[1]) == "help" || std::string(argv[1]) == "--help" ||
      std::string(argv[1]) == "-h") {
    Usage();
    return argc < 2 ? 2 : 0;
  }
  const std::string name = argv[1];
  for (const auto& c : otr::tools::Commands()) {
    if (c.name == name) return c.run(std::vector<std::string>(argv + 2, argv + argc));
  }
  std::fprintf(stderr, "otr: unknown command '%s'\n", otr::tools::ForTerminal(name).c_str());
  Usage();
  return 2;
}
