#include "tools/terminal_text.h"

#include <cstdint>
#include <cstdio>

namespace otr::tools {
namespace {

void AppendByteEscape(std::string& out, uint8_t b) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\x%02x", b);
  out += buffer;
}

void AppendCodePointEscape(std::string& out, uint32_t cp) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "\\u{%04X}", static_cast<unsigned>(cp));
  out += buffer;
}

bool Escaped(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// The length of the valid UTF-8 sequence at the start of `s` (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF) and its code
// point; 0 if the bytes there are not one.
size_t DecodeUtf8(std::string_view s, uint32_t& cp) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  const uint8_t b0 = byte(0);
  size_t length;
  uint32_t min;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    length = 2;
    cp = b0 & 0x1f;
    min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    length = 3;
    cp = b0 & 0x0f;
    min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    length = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (byte(i) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return length;
}

std::string Escape(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const uint8_t b = static_cast<uint8_t>(text[0]);
    if (b < 0x80) {
      const bool kept = b == '\t' || (b == '\n' && keep_newlines);
      if ((b < 0x20 && !kept) || b == 0x7f) {
        AppendByteEscape(out, b);
      } else {
        out += static_cast<char>(b);
      }
      text.remove_prefix(1);
      continue;
    }
    uint32_t cp = 0;
    const size_t length = DecodeUtf8(text, cp);
    if (length == 0) {
      AppendByteEscape(out, b);
      text.remove_prefix(1);
      continue;
    }
    if (Escaped(cp)) {
      AppendCodePointEscape(out, cp);
    } else {
      out.append(text.substr(0, length));
    }
    text.remove_prefix(length);
  }
  return out;
}

}  // namespace

std::string ForTerminal(std::string_view text) { return Escape(text, false); }
std::string ForTerminalLines(std::string_view text) { return Escape(text, true); }

}  // namespace otr::tools
