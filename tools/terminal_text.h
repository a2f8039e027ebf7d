// Text from a peer (or decoded from a message) made safe to print on a
// terminal. A peer's ESC or BEL can retitle or redraw the user's terminal
// (OSC and CSI sequences), so every control character is shown escaped, as
// irssi does, instead of being written as it is:
//   - C0 controls and DEL become "\xNN" (a newline stays a newline only
//     where the caller asks for it; a tab stays a tab);
//   - C1 controls (U+0080..U+009F, which some terminals read as CSI and
//     OSC) and the bidirectional overrides and isolates (U+202A..U+202E,
//     U+2066..U+2069, which reorder what follows them on the line) become
//     "\u{XXXX}";
//   - bytes that are not valid UTF-8 become "\xNN" (an 8-bit terminal
//     takes a lone 0x9b for CSI).
// Everything else (printable ASCII, valid UTF-8) is copied as it is. The
// result is valid UTF-8 with no control character but '\t' (and '\n').
#ifndef OTR_TOOLS_TERMINAL_TEXT_H_
#define OTR_TOOLS_TERMINAL_TEXT_H_

#include <string>
#include <string_view>

namespace otr::tools {

// One line: a newline is escaped too.
std::string ForTerminal(std::string_view text);
// Several lines: newlines are kept.
std::string ForTerminalLines(std::string_view text);

}  // namespace otr::tools

#endif  // OTR_TOOLS_TERMINAL_TEXT_H_
