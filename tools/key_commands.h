// `otr keygen`, `otr fingerprint`, `otr trust` / `otr untrust` and
// `otr import`: keys and trust in libotr's files (tools/keystore.h). The
// cmd_*.cc files register these; tests call them with their own streams.
// Each returns the exit status: 0 success, 1 failure, 2 usage error.
#ifndef OTR_TOOLS_KEY_COMMANDS_H_
#define OTR_TOOLS_KEY_COMMANDS_H_

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "tools/outcome.h"

namespace otr::tools {

// The options the key commands share, parsed and checked.
struct KeyOptions {
  std::string dir;  // --dir, else the per-user default
  std::string account;
  std::string protocol;  // --protocol, default "prpl-irc"
  bool protocol_given = false;
  std::string peer;
  std::string backend;  // empty: the default backend
  bool force = false;
  bool v4 = true;                          // keygen: also a v4 key (--no-v4: none)
  std::optional<std::string> fingerprint;  // trust/untrust: the positional words joined
  std::string trust_word;                  // trust: --trust, default "verified"
  std::string keys_from;                   // import: --keys or from --pidgin/--irssi
  std::string fingerprints_from;           // import: --fingerprints or from --pidgin/--irssi
  std::string instance_tags_from;          // import: --instance-tags or from --pidgin/--irssi
};

enum class KeyCommand { kKeygen, kFingerprint, kTrust, kUntrust, kImport };

// Parses the arguments of one key command; `home` and `xdg_config_home` are
// the environment's (nullptr if unset).
Outcome<KeyOptions> ParseKeyOptions(KeyCommand command, const std::vector<std::string>& args,
                                    const char* xdg_config_home, const char* home);

int RunKeygen(const std::vector<std::string>& args, std::FILE* out, std::FILE* err);
int RunFingerprint(const std::vector<std::string>& args, std::FILE* out, std::FILE* err);
int RunTrust(const std::vector<std::string>& args, std::FILE* out, std::FILE* err);
int RunUntrust(const std::vector<std::string>& args, std::FILE* out, std::FILE* err);
int RunImport(const std::vector<std::string>& args, std::FILE* out, std::FILE* err);

}  // namespace otr::tools

#endif  // OTR_TOOLS_KEY_COMMANDS_H_
