// `otr verifydake [--now S] [--phi TEXT]... < transcript`: what a third
// party can check of an OTRv4 interactive DAKE (Identity, Auth-R, Auth-I on
// stdin, in any lines): protocol/v4/dake/forge.h's VerifyTranscript, the
// honest validation functions (profiles at `now`, points and DH values,
// instance tags, both ring signatures). It says yes alike for an honest
// DAKE and one made by `otr forgedake`: that is the DAKE's deniability.
// A non-interactive DAKE (a Non-Interactive-Auth and the prekey server's
// Prekey Ensemble Retrieval, as `otr transcript --v4 --offline` prints
// them) is checked with VerifyNonInteractiveTranscript: the ensemble, the
// message's values and the ring signature (not the Auth MAC, which needs a
// secret). Exit status 0 verifies, 1 it does not (or the input lacks a message).
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
    "checks the OTRv4 DAKE on stdin (Identity, Auth-R, Auth-I; or a Non-Interactive-Auth\n"
    "and the prekey server's ensembles) as a third party can\n"};

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) return PrintHelp(kUsage);
  auto options = ParseDakeOptions(args);
  if (!options.ok()) return UsageError(kUsage, options.error());
  if (!options->rest.empty()) return UsageError(kUsage, "unknown argument " + options->rest[0]);
  const std::string text = ReadAllStdin();
  if (const DakeTranscript found = FindDake(text); found.non_interactive_auth && !found.identity) {
    auto offline = WholeOfflineDake(text);
    if (!offline.ok()) return Failed(kUsage, offline.error());
    const Status verified =
        v4::dake::VerifyNonInteractiveTranscript(crypto::DefaultBackend(), offline->ensemble,
                                                 offline->auth, options->phi_prime, options->now);
    if (!verified.ok()) {
      std::printf("the non-interactive DAKE does not verify: %s\n",
                  std::string(verified.error().context).c_str());
      return kExitFailure;
    }
    std::printf(
        "the non-interactive DAKE verifies: Prekey Ensemble of instance tag 0x%08x (bob, Prekey "
        "Message 0x%08x) and Non-Interactive-Auth from 0x%08x (alice)\n",
        offline->auth.header.receiver_instance_tag, offline->auth.prekey_message_identifier,
        offline->auth.header.sender_instance_tag);
    return 0;
  }
  auto dake = WholeDake(text, true);
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
