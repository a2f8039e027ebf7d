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

}  // namespace otr::tools
