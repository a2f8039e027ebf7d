#include "tools/cmd_dake_options.h"

#include <chrono>
#include <cstdlib>

#include "protocol/v4/dake/shared_state.h"

namespace otr::tools {

Outcome<DakeOptions> ParseDakeOptions(const std::vector<std::string>& args) {
  DakeOptions out;
  out.now = std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::vector<std::string> phi;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] != "--now" && args[i] != "--phi") {
      out.rest.push_back(args[i]);
      continue;
    }
    if (i + 1 == args.size()) return Failure{args[i] + " needs a value"};
    const std::string& value = args[++i];
    if (args[i - 1] == "--phi") {
      phi.push_back(value);
      continue;
    }
    char* end = nullptr;
    const long long seconds = std::strtoll(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || seconds < 0 || value.size() > 18) {
      return Failure{"--now '" + value + "' is not a time in seconds"};
    }
    out.now = seconds;
  }
  out.phi_prime = v4::dake::EncodePhiPrime(std::move(phi));
  return out;
}

Outcome<DakeTranscript> WholeDake(std::string_view text, bool need_auth_i) {
  DakeTranscript dake = FindDake(text);
  if (!dake.identity) return Failure{"no OTRv4 Identity message on stdin"};
  if (!dake.auth_r) return Failure{"no OTRv4 Auth-R message on stdin"};
  if (need_auth_i && !dake.auth_i) return Failure{"no OTRv4 Auth-I message on stdin"};
  return dake;
}

Outcome<OfflineDake> WholeOfflineDake(std::string_view text) {
  DakeTranscript dake = FindDake(text);
  if (!dake.non_interactive_auth) return Failure{"no OTRv4 Non-Interactive-Auth message on stdin"};
  if (!dake.retrieval) {
    return Failure{"no Prekey Ensemble Retrieval (a \"server: ...\" line) on stdin"};
  }
  for (const prekey::PrekeyEnsemble& e : dake.retrieval->ensembles) {
    if (e.prekey_message.identifier != dake.non_interactive_auth->prekey_message_identifier) {
      continue;
    }
    return OfflineDake{
        std::move(*dake.non_interactive_auth), std::move(*dake.retrieval),
        v4::dake::PrekeyEnsembleValues{e.client_profile, e.prekey_profile, e.prekey_message}};
  }
  return Failure{"no ensemble on stdin holds the Prekey Message the Non-Interactive-Auth names"};
}

}  // namespace otr::tools
