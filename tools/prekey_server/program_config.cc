#include "tools/prekey_server/program_config.h"

#include <charconv>
#include <fstream>
#include <map>
#include <string_view>

namespace otr::prekey_server {
namespace {

// Bounds of the configuration file (it is the operator's, but a wrong path
// must not make the server read a huge file).
constexpr size_t kMaxConfigLines = 1000;
constexpr size_t kMaxLineLength = 4096;

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

bool ParseUnsigned(const std::string& v, uint64_t max, uint64_t* out) {
  uint64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || v.empty() || x > max) return false;
  *out = x;
  return true;
}

bool Set(const std::string& key, const std::string& value, ProgramConfig* c, std::string* error) {
  uint64_t n = 0;
  if (key == "component") {
    if (value.empty() || value.find_first_of("@/ ") != std::string::npos) {
      *error = "component: a domain-like JID without '@', '/' or spaces";
      return false;
    }
    c->component = value;
  } else if (key == "xmpp_server") {
    const size_t colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0 ||
        !ParseUnsigned(value.substr(colon + 1), 65535, &n) || n == 0) {
      *error = "xmpp_server: host:port expected";
      return false;
    }
    c->xmpp_host = value.substr(0, colon);
    c->xmpp_port = static_cast<uint16_t>(n);
  } else if (key == "secret_file") {
    c->secret_file = value;
  } else if (key == "storage") {
    c->storage = value;
  } else if (key == "key_file") {
    if (value.empty()) {
      *error = "key_file: a path expected";
      return false;
    }
    c->key_file = value;
  } else if (key == "max_message_size") {
    if (!ParseUnsigned(value, 1u << 24, &n) || (n != 0 && n < 512)) {
      *error = "max_message_size: 0 (never fragment) or 512..16777216";
      return false;
    }
    c->max_message_size = n;
  } else if (key == "purge_interval") {
    if (!ParseUnsigned(value, 86400 * 7, &n) || n == 0) {
      *error = "purge_interval: seconds, 1..604800";
      return false;
    }
    c->purge_interval = static_cast<int64_t>(n);
  } else if (key == "accept_libotr_ng") {
    if (value != "true" && value != "false") {
      *error = "accept_libotr_ng: true or false";
      return false;
    }
    c->accept_libotr_ng = value == "true";
  } else {
    *error = "unknown setting '" + key + "'";
    return false;
  }
  return true;
}

bool ReadFile(const std::string& path, ProgramConfig* c, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read config file " + path;
    return false;
  }
  // One byte more than the longest text ParseProgramConfigText accepts.
  std::string text(kMaxConfigLines * (kMaxLineLength + 1) + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return ParseProgramConfigText(text, path, c, error);
}

}  // namespace

bool ParseProgramConfigText(std::string_view text, std::string_view name, ProgramConfig* config,
                            std::string* error) {
  size_t number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    if (++number > kMaxConfigLines || line.size() > kMaxLineLength) {
      *error = std::string(name) + ": too long";
      return false;
    }
    const std::string content = Trim(line.substr(0, line.find('#')));
    if (content.empty()) continue;
    const size_t eq = content.find('=');
    const std::string where = std::string(name) + ":" + std::to_string(number) + ": ";
    if (eq == std::string::npos) {
      *error = where + "'key = value' expected";
      return false;
    }
    if (!Set(Trim(std::string_view(content).substr(0, eq)),
             Trim(std::string_view(content).substr(eq + 1)), config, error)) {
      *error = where + *error;
      return false;
    }
  }
  return true;
}

std::string FormatProgramConfigText(const ProgramConfig& config) {
  std::string text;
  if (!config.component.empty()) text += "component = " + config.component + "\n";
  text += "xmpp_server = " + config.xmpp_host + ":" + std::to_string(config.xmpp_port) + "\n";
  text += "secret_file = " + config.secret_file + "\n";
  text += "storage = " + config.storage + "\n";
  text += "key_file = " + config.key_file + "\n";
  text += "max_message_size = " + std::to_string(config.max_message_size) + "\n";
  text += "purge_interval = " + std::to_string(config.purge_interval) + "\n";
  text += std::string("accept_libotr_ng = ") + (config.accept_libotr_ng ? "true" : "false") + "\n";
  return text;
}

std::string_view ProgramUsage() {
  return "usage: otr-prekey-server [--config FILE] [--KEY VALUE | --KEY=VALUE]... [--check]\n"
         "Settings (a file of 'key = value' lines, or flags with '-' for '_'; flags win):\n"
         "  component          the component's JID, e.g. prekey.example.org (required)\n"
         "  xmpp_server        host:port of the XMPP component port (default 127.0.0.1:5347)\n"
         "  secret_file        file whose first line is the component secret (required)\n"
         "  storage            sqlite:<path> | postgresql:<conninfo> | memory:\n"
         "                     (default sqlite:prekeys.db)\n"
         "  key_file           the server's long-term key (default prekey-server.key)\n"
         "  max_message_size   fragment longer replies; 0 never, else >= 512 (default 65536)\n"
         "  purge_interval     seconds between purges of expired material (default 600)\n"
         "  accept_libotr_ng   true | false (default false): also serve libotr-ng's prekey\n"
         "                     client, which speaks a variant of the protocol\n"
         "                     (docs/libotr-ng-deviations.md)\n"
         "--check  validate, open the storage and the key, then exit\n"
         "--help   print this and exit\n";
}

bool ParseProgramConfig(const std::vector<std::string>& args, ProgramConfig* config,
                        std::string* error) {
  // (key, value) pairs from the flags, in order; --config is applied first.
  std::vector<std::pair<std::string, std::string>> flags;
  std::string config_file;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      *config = ProgramConfig();
      config->help = true;
      return true;
    }
    if (a == "--check") {
      config->check = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) {
      *error = "unexpected argument '" + a + "'";
      return false;
    }
    std::string key = a.substr(2);
    std::string value;
    const size_t eq = key.find('=');
    if (eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      *error = "--" + key + " needs a value";
      return false;
    }
    for (auto& ch : key) {
      if (ch == '-') ch = '_';
    }
    if (key == "config") {
      config_file = value;
    } else {
      flags.emplace_back(key, value);
    }
  }
  if (!config_file.empty() && !ReadFile(config_file, config, error)) return false;
  for (const auto& [k, v] : flags) {
    if (!Set(k, v, config, error)) {
      *error = "--" + k + ": " + *error;
      return false;
    }
  }
  if (config->component.empty()) {
    *error = "component: required (the component's JID)";
    return false;
  }
  if (config->secret_file.empty()) {
    *error = "secret_file: required (the component secret's file)";
    return false;
  }
  return true;
}

}  // namespace otr::prekey_server
