// A line-protocol driver around one Session, so that any external program
// (tests/interop/potr_interop_test.py drives python-potr with it) can be the
// other party of our engine. Hex keeps arbitrary bytes safe on the lines.
//
// Commands, one per line on stdin:
//   RECV <hex transport string>    SEND <hex text>    START    END
//   SMP_START <hex secret> [<hex question>]    SMP_RESPOND <hex secret>
//   SMP_ABORT    SEND_HELD    STATE    INFO    QUIT
// Replies, one line per output item, then DONE after each command:
//   OUT <hex transport string>
//   DISPLAY <enc|plain> <hex text>
//   EVENT <EventType name> [<hex text>]      (text: SMP question, error, ...)
//   STATE <plaintext|encrypted|finished> <version>
//   INFO <our fingerprint hex> <their fingerprint hex or -> <ssid hex or ->
//   ERROR <what was wrong with the command>
// Options: --backend openssl|gcrypt, --policy manual|always|opportunistic,
// --max-size N (fragment our messages to at most N bytes; 0: never).
#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "crypto/backends.h"
#include "crypto/random.h"
#include "protocol/api/output.h"
#include "protocol/api/policy.h"
#include "protocol/session/session.h"
#include "protocol/store/fingerprint.h"

namespace otr {
namespace {

std::string_view StateName(ConversationState state) {
  switch (state) {
    case ConversationState::kPlaintext:
      return "plaintext";
    case ConversationState::kEncrypted:
      return "encrypted";
    case ConversationState::kFinished:
      return "finished";
  }
  return "unknown";
}

std::string ToHex(std::string_view data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(data.size() * 2);
  for (unsigned char c : data) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xf]);
  }
  return hex;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexDigit(hex[i]);
    const int lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

uint64_t NowSeconds() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

void Print(const Output& out) {
  for (const std::string& s : out.to_send) std::cout << "OUT " << ToHex(s) << '\n';
  for (const Displayed& d : out.display) {
    std::cout << "DISPLAY " << (d.encrypted ? "enc " : "plain ") << ToHex(d.text) << '\n';
  }
  for (const Event& e : out.events) {
    std::cout << "EVENT " << EventTypeName(e.type());
    const std::string text = EventText(e);
    if (!text.empty()) std::cout << ' ' << ToHex(text);
    std::cout << '\n';
  }
}

// Splits "VERB arg1 arg2" at single spaces.
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  while (!line.empty()) {
    const size_t space = line.find(' ');
    if (space != 0) words.push_back(line.substr(0, space));
    if (space == std::string_view::npos) break;
    line.remove_prefix(space + 1);
  }
  return words;
}

struct Options {
  std::string backend = "openssl";
  Policy policy = Policy::Manual();
  size_t max_size = 0;
};

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) return std::nullopt;
    const std::string_view value = argv[++i];
    if (flag == "--backend") {
      options.backend = value;
    } else if (flag == "--policy") {
      if (value == "manual") {
        options.policy = Policy::Manual();
      } else if (value == "always") {
        options.policy = Policy::Always();
      } else if (value == "opportunistic") {
        options.policy = Policy::Opportunistic();
      } else {
        return std::nullopt;
      }
    } else if (flag == "--max-size") {
      const auto [end, ec] =
          std::from_chars(value.data(), value.data() + value.size(), options.max_size);
      if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  return options;
}

// Runs one command; false when the driver should stop.
bool Run(Session& session, std::string_view line) {
  const std::vector<std::string_view> words = Words(line);
  if (words.empty()) {
    std::cout << "ERROR empty command\n";
    return true;
  }
  const std::string_view verb = words[0];
  auto arg = [&](size_t i) -> std::optional<std::string> {
    if (i >= words.size()) return std::nullopt;
    return FromHex(words[i]);
  };
  auto bad = [&](std::string_view what) { std::cout << "ERROR " << what << '\n'; };

  if (verb == "QUIT") return false;
  if (verb == "RECV" || verb == "SEND" || verb == "SMP_RESPOND") {
    const std::optional<std::string> data = arg(1);
    if (!data || words.size() != 2) {
      bad("expected one hex argument");
    } else if (verb == "RECV") {
      Print(session.Receive(NowSeconds(), *data));
    } else if (verb == "SEND") {
      Print(session.Send(NowSeconds(), *data));
    } else {
      Print(session.RespondSmp(NowSeconds(), *data));
    }
  } else if (verb == "SMP_START") {
    const std::optional<std::string> secret = arg(1);
    const std::optional<std::string> question = arg(2);
    if (!secret || words.size() > 3 || (words.size() == 3 && !question)) {
      bad("expected a hex secret and an optional hex question");
    } else if (question) {
      Print(session.StartSmp(NowSeconds(), *secret, *question));
    } else {
      Print(session.StartSmp(NowSeconds(), *secret));
    }
  } else if (words.size() != 1) {
    bad("unexpected argument");
  } else if (verb == "START") {
    Print(session.StartOtr(NowSeconds()));
  } else if (verb == "END") {
    Print(session.EndOtr(NowSeconds()));
  } else if (verb == "SMP_ABORT") {
    Print(session.AbortSmp(NowSeconds()));
  } else if (verb == "SEND_HELD") {
    auto held = session.SendHeldMessage(NowSeconds());
    if (held.ok()) {
      Print(*held);
    } else {
      bad("nothing held, or not encrypted");
    }
  } else if (verb == "STATE") {
    std::cout << "STATE " << StateName(session.state()) << ' ' << session.version() << '\n';
  } else if (verb == "INFO") {
    const std::optional<store::Fingerprint> theirs = session.their_fingerprint();
    std::string ssid = session.ssid_text();
    std::erase(ssid, ' ');
    std::cout << "INFO " << store::FingerprintToHex(session.our_fingerprint()) << ' '
              << (theirs ? store::FingerprintToHex(*theirs) : "-") << ' '
              << (ssid.empty() ? "-" : ssid) << '\n';
  } else {
    bad("unknown command");
  }
  return true;
}

int Main(int argc, char** argv) {
  const std::optional<Options> options = ParseOptions(argc, argv);
  if (!options) {
    std::cerr << "usage: session_pipe_peer [--backend openssl|gcrypt]"
                 " [--policy manual|always|opportunistic] [--max-size N]\n";
    return 2;
  }
  const Result<const crypto::Backend*> backend = crypto::FindBackend(options->backend);
  if (!backend.ok()) {
    std::cerr << "session_pipe_peer: unknown backend " << options->backend << '\n';
    return 2;
  }
  Result<crypto::DsaPrivateKey> key = (*backend)->GenerateDsaKey();
  if (!key.ok()) {
    std::cerr << "session_pipe_peer: DSA key generation failed: " << ErrorCodeName(key.code())
              << '\n';
    return 1;
  }
  crypto::OsRandom random;
  SessionConfig config;
  config.backend = *backend;
  config.identity.dsa = &key.value();
  config.policy = options->policy;
  config.max_message_size = options->max_size;
  Result<Session> session = Session::Create(config, random);
  if (!session.ok()) {
    std::cerr << "session_pipe_peer: " << ErrorCodeName(session.code()) << '\n';
    return 1;
  }

  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const bool more = Run(session.value(), line);
    std::cout << "DONE" << std::endl;
    if (!more) break;
  }
  return 0;
}

}  // namespace
}  // namespace otr

int main(int argc, char** argv) { return otr::Main(argc, argv); }
