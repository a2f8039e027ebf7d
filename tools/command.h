// Subcommands of the `otr` program register themselves here, one file each
// (cmd_<name>.cc), so adding one touches no other file.
#ifndef OTR_TOOLS_COMMAND_H_
#define OTR_TOOLS_COMMAND_H_

#include <string>
#include <string_view>
#include <vector>

namespace otr::tools {

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `otr help`
  // Arguments after the subcommand name; returns the process exit status.
  int (*run)(const std::vector<std::string>& args);
};

// Used through OTR_REGISTER_COMMAND at namespace scope in each cmd_*.cc.
bool RegisterCommand(const Command& command);
const std::vector<Command>& Commands();

}  // namespace otr::tools

#define OTR_REGISTER_COMMAND(ident, ...) \
  [[maybe_unused]] static const bool ident##_registered = ::otr::tools::RegisterCommand(__VA_ARGS__)

#endif  // OTR_TOOLS_COMMAND_H_
