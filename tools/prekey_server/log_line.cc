#include "tools/prekey_server/log_line.h"

#include <cstdio>
#include <ctime>

namespace otr::prekey_server {
namespace {

std::string Value(std::string_view v) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool quote = v.empty();
  std::string out;
  for (unsigned char c : v) {
    if (c < 0x20 || c >= 0x7f || c == '\\') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      if (c == ' ' || c == '=' || c == '"') quote = true;
      if (c == '"') out += '\\';
      out += static_cast<char>(c);
    }
  }
  return quote ? "\"" + out + "\"" : out;
}

}  // namespace

std::string FormatLogLine(int64_t now, std::string_view event, const LogFields& fields) {
  std::string line = "ts=" + std::to_string(now) + " event=" + Value(event);
  for (const auto& [k, v] : fields) {
    line += ' ';
    line += k;
    line += '=';
    line += Value(v);
  }
  return line;
}

void Log(std::string_view event, const LogFields& fields) {
  const std::string line = FormatLogLine(static_cast<int64_t>(std::time(nullptr)), event, fields);
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace otr::prekey_server
