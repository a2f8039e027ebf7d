// cmd_parse.cc registers `otr parse` with the otr program's command table
// (otr_main.cc); the fuzz target and the tests that call its parser without
// the program take the registration and drop it.
#include "tools/command.h"

namespace otr::tools {

bool RegisterCommand(const Command&) { return true; }

}  // namespace otr::tools
