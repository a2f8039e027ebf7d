// What `otr forgedake` and `otr verifydake` share: their options (the time
// the Client Profiles are checked at, the phi' strings of "Shared Session
// State"), and the DAKE read from stdin.
#ifndef OTR_TOOLS_CMD_DAKE_OPTIONS_H_
#define OTR_TOOLS_CMD_DAKE_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "protocol/prekey/messages/messages.h"
#include "protocol/v4/dake/xzdh.h"
#include "tools/forgery_v4.h"
#include "tools/outcome.h"

namespace otr::tools {

struct DakeOptions {
  int64_t now = 0;                // --now SECONDS; default: the clock
  Bytes phi_prime;                // EncodePhiPrime of the --phi strings (none: a Session's default)
  std::vector<std::string> rest;  // the arguments no option took
};

// Takes --now and every --phi from `args`; a wrong value is the Failure.
Outcome<DakeOptions> ParseDakeOptions(const std::vector<std::string>& args);

// Identity, Auth-R and Auth-I from `text`, or which one is missing.
Outcome<DakeTranscript> WholeDake(std::string_view text, bool need_auth_i);

// The non-interactive DAKE of a transcript: the first Non-Interactive-Auth,
// the server's Prekey Ensemble Retrieval ("server: ..." line) and, of its
// ensembles, the one whose Prekey Message the Non-Interactive-Auth names.
struct OfflineDake {
  v4::NonInteractiveAuth auth;
  prekey::PrekeyEnsembleRetrieval retrieval;
  v4::dake::PrekeyEnsembleValues ensemble;
};
Outcome<OfflineDake> WholeOfflineDake(std::string_view text);

}  // namespace otr::tools

#endif  // OTR_TOOLS_CMD_DAKE_OPTIONS_H_
