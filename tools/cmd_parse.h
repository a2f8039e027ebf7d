// `otr parse` (cmd_parse.cc) without stdin: what the subcommand does with
// the text it read, for the fuzz target of the programs' readers
// (fuzz/tools_readers_fuzzer.cc).
#ifndef OTR_TOOLS_CMD_PARSE_H_
#define OTR_TOOLS_CMD_PARSE_H_

#include <string_view>

namespace otr::tools {

// Prints the fields of one message (any OTR message, a prekey-server
// message) or of the fragments of one message, one per line, and returns
// the exit status of `otr parse` (0 valid, 1 malformed, 3 a version not
// spoken).
int ParseOtrInput(std::string_view text);

}  // namespace otr::tools

#endif  // OTR_TOOLS_CMD_PARSE_H_
