// `otr trust` and `otr untrust`: a peer's fingerprint verified or not, in
// libotr's fingerprints file.
#include <cstdio>

#include "tools/command.h"
#include "tools/key_commands.h"

namespace otr::tools {
namespace {

int Trust(const std::vector<std::string>& args) { return RunTrust(args, stdout, stderr); }
int Untrust(const std::vector<std::string>& args) { return RunUntrust(args, stdout, stderr); }

OTR_REGISTER_COMMAND(trust, {"trust", "mark a peer's fingerprint as verified", &Trust});
OTR_REGISTER_COMMAND(untrust, {"untrust", "mark a peer's fingerprint as not verified", &Untrust});

}  // namespace
}  // namespace otr::tools
