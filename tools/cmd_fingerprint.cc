// `otr fingerprint`: our keys' fingerprints and the peers' we know, with trust.
#include <cstdio>

#include "tools/command.h"
#include "tools/key_commands.h"

namespace otr::tools {
namespace {

int Run(const std::vector<std::string>& args) { return RunFingerprint(args, stdout, stderr); }

OTR_REGISTER_COMMAND(fingerprint, {"fingerprint", "list our and known peers' fingerprints", &Run});

}  // namespace
}  // namespace otr::tools
