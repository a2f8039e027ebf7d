// Fuzzes the readers of the otr program that take text from a peer, a
// server or the user (fuzz/README.md, "Decoders", the tools/ rows), each on
// the input after a first byte that picks it:
//   0: a line from an IRC server (tools/irc.h ParseIrcLine)
//   1: a line typed at `otr chat`'s prompt (tools/chat.h ParseChatInput)
//   2: `otr parse` of a prekey-server message (tools/parse_prekey.h)
//   3: an armoured v2/v3 Data Message of the forgery toolkit
//      (tools/forgery.h DecodeArmoredDataMessage), and hex (ParseHex)
//   4: text from a peer made safe for the terminal (tools/terminal_text.h,
//      whose DecodeUtf8 reads UTF-8)
//   5: `otr parse` of anything (tools/cmd_parse.h ParseOtrInput: the
//      classification, v1..v4 messages, fragments one per line)
//   6: `otr parse --client-profile/--prekey-profile/--tlvs` and a binary v4
//      message (tools/cmd_parse_v4.h; the second byte picks)
//   7: `otr chat`'s command line, NUL-separated arguments (ParseChatOptions)
// Checks besides memory safety: a parsed IRC line's command has no space and
// only its last parameter may hold one or be empty, and a PRIVMSG formatted
// from its parameters parses back to them; a chat line that is not a
// command is sent as typed; what DecodeArmoredDataMessage reads re-encodes
// to text that decodes to the same message; hex that parses prints back to
// its digits; terminal text is valid UTF-8 without control characters and
// escaping it again changes nothing; the printers return their documented
// exit statuses; a refused command line says why. What the printers print
// goes to /dev/null.
#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "tools/chat.h"
#include "tools/cmd_parse.h"
#include "tools/cmd_parse_v4.h"
#include "tools/forgery.h"
#include "tools/irc.h"
#include "tools/parse_prekey.h"
#include "tools/terminal_text.h"

namespace {

using namespace otr;
using namespace otr::tools;

// Runs `print` with stdout on /dev/null; returns its status.
template <typename F>
int Quietly(F print) {
  static const int null_fd = open("/dev/null", O_WRONLY);
  std::fflush(stdout);
  const int saved = dup(STDOUT_FILENO);
  dup2(null_fd, STDOUT_FILENO);
  const int status = print();
  std::fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  return status;
}

void CheckIrcLine(std::string_view line) {
  const auto m = ParseIrcLine(line);
  if (!m) return;
  if (m->command.empty() || m->command.find(' ') != std::string::npos) __builtin_trap();
  for (size_t i = 0; i + 1 < m->params.size(); ++i) {
    const std::string& p = m->params[i];
    if (p.empty() || p.find(' ') != std::string::npos || p[0] == ':') __builtin_trap();
  }
  // FormatPrivmsg's line (without CR LF) parses to the same target and text.
  if (m->params.size() != 2 || m->params[0].empty()) return;
  const std::string formatted = FormatPrivmsg(m->params[0], m->params[1]);
  const auto again = ParseIrcLine(std::string_view(formatted).substr(0, formatted.size() - 2));
  if (!again || !again->prefix.empty() || again->command != "PRIVMSG" ||
      again->params != m->params) {
    __builtin_trap();
  }
}

void CheckChatInput(std::string_view line) {
  const ChatInput in = ParseChatInput(line);
  std::string_view typed = line;
  if (!typed.empty() && typed.back() == '\r') typed.remove_suffix(1);
  switch (in.kind) {
    case ChatInput::Kind::kMessage:
      // Sent as typed; "//text" sends "/text".
      if (typed.substr(0, 2) == "//") typed.remove_prefix(1);
      if (in.text != typed) __builtin_trap();
      break;
    case ChatInput::Kind::kInvalid:
      if (in.text.empty()) __builtin_trap();  // a reason for the user
      break;
    case ChatInput::Kind::kSmp:
    case ChatInput::Kind::kSmpQuestion:
      if (in.secret.empty()) __builtin_trap();
      break;
    case ChatInput::Kind::kEmpty:
      break;
    default:  // the other commands
      if (typed.empty() || typed[0] != '/') __builtin_trap();
      break;
  }
}

void CheckArmoredDataMessage(std::string_view text) {
  if (auto message = DecodeArmoredDataMessage(text); message.ok()) {
    const auto again = DecodeArmoredDataMessage(EncodeArmoredDataMessage(*message));
    if (!again.ok() || !(*again == *message)) __builtin_trap();
  }
  if (auto bytes = ParseHex(text); bytes.ok()) {
    std::string digits;
    for (char c : text) {
      if (c != ' ' && c != ':' && c != '\n') {
        digits.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      }
    }
    if (Hex(*bytes) != digits) __builtin_trap();
  }
}

// Valid UTF-8 (RFC 3629) without C0/C1 controls (but `keep`), DEL or
// bidirectional overrides: what ForTerminal promises.
bool SafeForTerminal(std::string_view s, std::string_view keep) {
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      if ((b < 0x20 || b == 0x7f) && keep.find(static_cast<char>(b)) == std::string_view::npos) {
        return false;
      }
      ++i;
      continue;
    }
    size_t length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    if (b < 0xc2 || b > 0xf4 || i + length > s.size()) return false;
    uint32_t cp = b & (length == 2 ? 0x1f : length == 3 ? 0x0f : 0x07);
    for (size_t k = 1; k < length; ++k) {
      const auto c = static_cast<uint8_t>(s[i + k]);
      if ((c & 0xc0) != 0x80) return false;
      cp = cp << 6 | (c & 0x3f);
    }
    const uint32_t min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    if (cp <= 0x9f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
      return false;
    }
    i += length;
  }
  return true;
}

void CheckTerminalText(std::string_view text) {
  const std::string line = ForTerminal(text);
  if (!SafeForTerminal(line, "\t") || ForTerminal(line) != line) __builtin_trap();
  const std::string lines = ForTerminalLines(text);
  if (!SafeForTerminal(lines, "\t\n") || ForTerminalLines(lines) != lines) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ByteView body(data + 1, size - 1);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 8) {
    case 0:
      CheckIrcLine(text);
      break;
    case 1:
      CheckChatInput(text);
      break;
    case 2: {
      const int status = Quietly([&] { return ParsePrekeyServerMessage(text); });
      if (status < -1 || status > 1) __builtin_trap();
      break;
    }
    case 3:
      CheckArmoredDataMessage(text);
      break;
    case 4:
      CheckTerminalText(text);
      break;
    case 5: {
      const int status = Quietly([&] { return ParseOtrInput(text); });
      if (status != 0 && status != 1 && status != 3) __builtin_trap();
      break;
    }
    case 7: {
      std::vector<std::string> args;
      for (std::string_view rest = text;;) {
        const size_t nul = rest.find('\0');
        args.emplace_back(rest.substr(0, nul));
        if (nul == std::string_view::npos) break;
        rest.remove_prefix(nul + 1);
      }
      auto options = ParseChatOptions(args, "/nonexistent/xdg", "/nonexistent/home");
      if (!options.ok() && options.error().empty()) __builtin_trap();  // says why
      break;
    }
    default: {
      if (body.empty()) break;
      const ByteView rest = body.subspan(1);
      const int status = Quietly([&] {
        switch (body[0] % 4) {
          case 0:
            return PrintV4Message(rest);
          case 1:
            return PrintV4ClientProfile(rest);
          case 2:
            return PrintV4PrekeyProfile(rest);
          default:
            return PrintV4Payload(rest);
        }
      });
      if (status != 0 && status != 1) __builtin_trap();
      break;
    }
  }
  return 0;
}
