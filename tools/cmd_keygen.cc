// `otr keygen`: a new DSA key for an account, in libotr's private-key file.
#include <cstdio>

#include "tools/command.h"
#include "tools/key_commands.h"

namespace otr::tools {
namespace {

int Run(const std::vector<std::string>& args) { return RunKeygen(args, stdout, stderr); }

OTR_REGISTER_COMMAND(keygen, {"keygen", "make a DSA key for an account (libotr key file)", &Run});

}  // namespace
}  // namespace otr::tools
