// `otr import`: keys and fingerprints from Pidgin, irssi or any libotr files.
#include <cstdio>

#include "tools/command.h"
#include "tools/key_commands.h"

namespace otr::tools {
namespace {

int Run(const std::vector<std::string>& args) { return RunImport(args, stdout, stderr); }

OTR_REGISTER_COMMAND(import,
                     {"import", "copy in libotr key/fingerprint files (Pidgin, irssi)", &Run});

}  // namespace
}  // namespace otr::tools
