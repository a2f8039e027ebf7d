// tools/terminal_text.h: what a peer sends cannot drive the terminal.
#include "tools/terminal_text.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>

namespace otr::tools {
namespace {

TEST(TerminalTextTest, EscapesControlCharacters) {
  // OSC 0 (set the window title) ended by BEL, and a CSI clear-screen.
  EXPECT_EQ(ForTerminal("\x1b]0;owned\x07hi"), "\\x1b]0;owned\\x07hi");
  EXPECT_EQ(ForTerminal("\x1b[2J"), "\\x1b[2J");
  EXPECT_EQ(ForTerminal(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(ForTerminal("a\rb\x7f"), "a\\x0db\\x7f");
  EXPECT_EQ(ForTerminal("two\nlines"), "two\\x0alines");
  EXPECT_EQ(ForTerminalLines("two\nlines\r"), "two\nlines\\x0d");
  EXPECT_EQ(ForTerminal("tab\there"), "tab\there");
}

TEST(TerminalTextTest, EscapesC1AndBidiControlsAndInvalidUtf8) {
  EXPECT_EQ(ForTerminal("\xc2\x9b"
                        "2J"),
            "\\u{009B}2J");  // U+009B CSI
  EXPECT_EQ(ForTerminal("\x9b"
                        "2J"),
            "\\x9b2J");  // a lone 8-bit CSI
  EXPECT_EQ(ForTerminal("abc\xe2\x80\xae"
                        "cba"),
            "abc\\u{202E}cba");  // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(ForTerminal("\xe2\x81\xa6x"), "\\u{2066}x");
  EXPECT_EQ(ForTerminal("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(ForTerminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(ForTerminal("\xe2\x82"), "\\xe2\\x82");                    // cut short
  EXPECT_EQ(ForTerminal("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST(TerminalTextTest, KeepsPrintableText) {
  const std::string text = "plain ASCII, caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x94\x92 and \\x1b";
  EXPECT_EQ(ForTerminal(text), text);
  EXPECT_EQ(ForTerminal(""), "");
}

bool ValidUtf8WithoutControls(const std::string& s, bool newlines_allowed) {
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      if ((b < 0x20 && b != '\t' && !(b == '\n' && newlines_allowed)) || b == 0x7f) return false;
      ++i;
      continue;
    }
    const size_t n = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
    if (n == 0 || i + n > s.size()) return false;
    uint32_t cp = b & (0x7f >> n);
    for (size_t k = 1; k < n; ++k) {
      const auto c = static_cast<uint8_t>(s[i + k]);
      if ((c & 0xc0) != 0x80) return false;
      cp = cp << 6 | (c & 0x3f);
    }
    if (cp <= 0x9f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || (n == 3 && cp < 0x800) ||
        (n == 4 && cp < 0x10000)) {
      return false;
    }
    i += n;
  }
  return true;
}

RC_GTEST_PROP(TerminalTextProperty, AnyBytesComeOutSafe, (const std::string& bytes)) {
  RC_ASSERT(ValidUtf8WithoutControls(ForTerminal(bytes), false));
  RC_ASSERT(ValidUtf8WithoutControls(ForTerminalLines(bytes), true));
}

RC_GTEST_PROP(TerminalTextProperty, SafeTextIsUnchanged, (const std::string& bytes)) {
  // Escaping is idempotent: safe text (such as what it returns) passes as it is.
  const std::string once = ForTerminal(bytes);
  RC_ASSERT(ForTerminal(once) == once);
}

}  // namespace
}  // namespace otr::tools
