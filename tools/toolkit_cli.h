// What the toolkit subcommands (parse, sesskeys, mackey, readforge, modify,
// remac) share on the command line: the usage conventions of tools/args.h
// (--help on stdout with status 0, before anything is read; usage errors
// with status 2), hex arguments and the message on stdin, each failure
// naming the input that was wrong, in words (no internal enum names), and
// escaped for the terminal.
//
// Exit status of every toolkit command: 0 success, 1 the input (stdin) or
// the computation failed, 2 the command line is wrong (argument count, an
// argument not of its form); some commands add their own (`otr parse`: 3
// for a version it does not speak; `otr readforge`: 3 when the MAC does not
// verify).
#ifndef OTR_TOOLS_TOOLKIT_CLI_H_
#define OTR_TOOLS_TOOLKIT_CLI_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "protocol/v3/messages.h"
#include "protocol/v4/messages/messages.h"
#include "tools/outcome.h"

namespace otr::tools {

inline constexpr int kExitFailure = 1;

// One command's usage text ("usage: otr NAME ...", lines end in '\n').
struct ToolUsage {
  std::string_view name;
  std::string_view text;
};

// --help: prints the usage on stdout; returns 0.
int PrintHelp(const ToolUsage& usage);
// A wrong command line: "otr NAME: WHY" and the usage on stderr; returns 2.
int UsageError(const ToolUsage& usage, std::string_view why);
// Any other failure: "otr NAME: WHY" on stderr; returns 1.
int Failed(const ToolUsage& usage, std::string_view why);

// A hex argument called `name` in the usage ("<aes-key-hex>"), of exactly
// `size` bytes unless `size` is 0. Failures say which argument and why.
Outcome<Bytes> HexArgument(std::string_view name, std::string_view value, size_t size = 0);

// `<mac-key-hex>`: 20 bytes (a v3 MAC key) or 64 (a v4 MKmac).
Outcome<Bytes> MacKeyArgument(std::string_view value);

// All of stdin, as it is.
std::string ReadAllStdin();
// `text` without one final line end ("\n" or "\r\n"): what `<<<` or `echo`
// added. Trailing spaces and tabs stay (a whitespace tag ends in them).
std::string_view WithoutLineEnd(std::string_view text);

// The Data Message in `text` (surrounding white space ignored), or why it
// is not one: "not a Data Message (got a D-H Commit)", "a fragment: use
// `otr parse` to reassemble first", ...
Outcome<v3::DataMessage> DataMessageFromText(std::string_view text);

// As DataMessageFromText, and an OTRv4 Data Message too ("?OTR:AAQD..."):
// the toolkit commands tell the version by the message.
using AnyDataMessage = std::variant<v3::DataMessage, v4::DataMessage>;
Outcome<AnyDataMessage> AnyDataMessageFromText(std::string_view text);

// "a D-H Commit", "a Data Message", ... for an encoded message's type byte.
std::string MessageTypeName(uint16_t version, uint8_t type);

}  // namespace otr::tools

#endif  // OTR_TOOLS_TOOLKIT_CLI_H_
