// `otr verifydake [--now S] [--phi TEXT]... < transcript`: what a third
// party can check of an OTRv4 interactive DAKE (Identity, Auth-R, Auth-I on
// stdin, in any lines): protocol/v4/dake/forge.h's VerifyTranscript, the
// honest validation functions (profiles at `now`, points and DH values,
// instance tags, both ring signatures). It says yes alike for an honest
// DAKE and one made by `otr forgedake`: that is the DAKE's deniability.
// Exit status 0 verifies, 1 it does not (or the input lacks a message).
#include <cstdio>

#include "crypto/backends.h"
#include "protocol/v4/dake/forge.h"
#include "tools/args.h"
#include "tools/cmd_dake_options.h"
#include "tools/command.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{
    "verifydake",
    "usage: otr verifydake [--now SECONDS] [--phi TEXT]... < transcript\n"
    "checks the OTRv4 DAKE on stdin (Identity, Auth-R, Auth-I) as a third party can\n"};

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) return PrintHelp(kUsage);
  auto options = ParseDakeOptions(args);
  if (!options.ok()) return UsageError(kUsage, options.error());
  if (!options->rest.empty()) return UsageError(kUsage, "unknown argument " + options->rest[0]);
  auto dake = WholeDake(ReadAllStdin(), true);
  if (!dake.ok()) return Failed(kUsage, dake.error());
  const Status verified =
      v4::dake::VerifyTranscript(crypto::DefaultBackend(), *dake->identity, *dake->auth_r,
                                 *dake->auth_i, options->phi_prime, options->now);
  if (!verified.ok()) {
    std::printf("the DAKE does not verify: %s\n", std::string(verified.error().context).c_str());
    return kExitFailure;
  }
  std::printf(
      "the DAKE verifies: Identity, Auth-R and Auth-I between instance tags 0x%08x "
      "(bob) and 0x%08x (alice)\n",
      dake->identity->header.sender_instance_tag, dake->auth_r->header.sender_instance_tag);
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(verifydake,
                     {"verifydake", "check an OTRv4 DAKE transcript as a third party", &Run});
}  // namespace otr::tools
