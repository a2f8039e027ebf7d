// The otr-prekey-server program's configuration (docs/prekey-server.md,
// "Configuration"): a file of `key = value` lines ('#' starts a comment)
// and flags of the same names (--key=value or --key value), flags winning.
//
//   component       the component's JID, e.g. prekey.localhost (required)
//   xmpp_server     host:port of the XMPP server's component port
//                   (default 127.0.0.1:5347; XEP-0114 has no TLS: loopback)
//   secret_file     file holding the component secret (required)
//   storage         sqlite:<path> | postgresql:<conninfo> | memory:
//                   (default sqlite:prekeys.db)
//   key_file        the server's long-term key (default prekey-server.key;
//                   made on first start, mode 0600)
//   max_message_size  replies longer than this are fragmented (default 65536)
//   purge_interval  seconds between purges of expired material (default 600)
//   accept_libotr_ng  true | false (default false): also serve libotr-ng's
//                   prekey client, its variant of the protocol
//                   (prekey::ServerConfig::accept_libotr_ng, decision 0034)
#ifndef OTR_TOOLS_PREKEY_SERVER_PROGRAM_CONFIG_H_
#define OTR_TOOLS_PREKEY_SERVER_PROGRAM_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace otr::prekey_server {

struct ProgramConfig {
  std::string component;
  std::string xmpp_host = "127.0.0.1";
  uint16_t xmpp_port = 5347;
  std::string secret_file;
  std::string storage = "sqlite:prekeys.db";
  std::string key_file = "prekey-server.key";
  size_t max_message_size = 65536;
  int64_t purge_interval = 600;
  bool accept_libotr_ng = false;
  bool check = false;  // --check: validate, open/migrate storage, exit
  bool help = false;   // --help: print ProgramUsage() and exit
  friend bool operator==(const ProgramConfig&, const ProgramConfig&) = default;
};

// Parses flags (argv without the program name), reading --config FILE
// first. On error returns false with a one-line reason in *error. With
// --help it returns true at once with only `help` set.
bool ParseProgramConfig(const std::vector<std::string>& args, ProgramConfig* config,
                        std::string* error);

// The configuration file's text (what --config reads; `name` prefixes the
// errors, "name:line: reason"): at most 1000 lines of at most 4096 bytes.
// Settings it names are changed in *config, others kept (fuzz/README.md,
// "Decoders": fuzz/prekey_program_config_fuzzer).
bool ParseProgramConfigText(std::string_view text, std::string_view name, ProgramConfig* config,
                            std::string* error);

// The file text of `config`'s settings (not --check), one `key = value`
// line each; an empty component is left out. ParseProgramConfigText reads
// it back to the same settings when every value is one the parser can
// return (no '#', no line break, no blanks at either end).
std::string FormatProgramConfigText(const ProgramConfig& config);

// What --help prints: the flags and settings, one line each.
std::string_view ProgramUsage();

}  // namespace otr::prekey_server

#endif  // OTR_TOOLS_PREKEY_SERVER_PROGRAM_CONFIG_H_
