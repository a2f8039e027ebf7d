// `otr parse < message`: decodes any OTR message read from stdin (query,
// whitespace-tagged text, error, fragment, v1/v2/v3 binary message) and
// prints its fields, as libotr's otr_parse does. Nothing is decrypted. The
// fragments of one message, one per line, are reassembled (v3 spec,
// "Receiving Fragments") and the whole message is printed and parsed.
// Everything printed from the message is escaped for the terminal.
//
// stdin is taken as it is but for one final line end: a whitespace tag
// ends in spaces and tabs, which must not be trimmed.
//
// OTRv4 messages are decoded in full (cmd_parse_v4.cc). With
// --client-profile, --prekey-profile or --tlvs, stdin is hex (spaces and
// line ends ignored) of an OTRv4 Client Profile, Prekey Profile, or the
// plaintext of a Data Message (message, NUL, TLVs with SMP bodies).
//
// Exit status: 0 a fully valid message (or the fragment of one, or a valid
// profile or plaintext), 1 a malformed message or fragments that do not
// reassemble (or a malformed profile, a TLV that does not decode), 2 usage,
// 3 a message of a version (or type) we do not speak (OTR v1, v5 and later),
// printed as far as it decodes.
#include "tools/cmd_parse.h"

#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "protocol/v3/messages.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/classify.h"
#include "protocol/wire/reassembler.h"
#include "tools/args.h"
#include "tools/cmd_parse_v4.h"
#include "tools/command.h"
#include "tools/forgery.h"
#include "tools/parse_prekey.h"
#include "tools/terminal_text.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{"parse",
                           "usage: otr parse < message\n"
                           "       otr parse < fragments (one per line)\n"
                           "       otr parse --client-profile|--prekey-profile|--tlvs < hex\n"
                           "  (OTRv4 Client Profile, Prekey Profile, Data Message plaintext)\n"
                           "exit status: 0 valid, 1 malformed, 2 usage, 3 a version not spoken\n"};
constexpr int kExitOk = 0;
constexpr int kExitMalformed = 1;
constexpr int kExitUnsupported = 3;

void Field(const char* name, const std::string& value) {
  std::printf("  %-22s %s\n", name, ForTerminal(value).c_str());
}
void Field(const char* name, ByteView value) { Field(name, Hex(value)); }
void Field(const char* name, uint64_t value) { Field(name, std::to_string(value)); }

std::string Versions(wire::VersionSet v) {
  std::string out;
  for (int i = wire::kMinKnownVersion; i <= wire::kMaxRecognizedVersion; ++i) {
    if (v.Has(i)) out += (out.empty() ? "" : ",") + std::to_string(i);
  }
  return out.empty() ? "(none)" : out;
}

void PrintHeader(const v3::Header& h) {
  Field("Version", static_cast<uint64_t>(h.version));
  if (h.version == v3::Version::kV3) {
    std::printf("  %-22s 0x%08x\n", "Sender instance", h.sender_instance);
    std::printf("  %-22s 0x%08x\n", "Receiver instance", h.receiver_instance);
  }
}

void PrintBinary(const v3::Message& message) {
  std::visit(
      [](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, v3::DhCommit>) {
          std::printf("D-H Commit Message:\n");
          PrintHeader(m.header);
          Field("Encrypted g^x", m.encrypted_gx);
          Field("Hashed g^x", m.hashed_gx);
        } else if constexpr (std::is_same_v<T, v3::DhKey>) {
          std::printf("D-H Key Message:\n");
          PrintHeader(m.header);
          Field("g^y", m.gy);
        } else if constexpr (std::is_same_v<T, v3::RevealSignature>) {
          std::printf("Reveal Signature Message:\n");
          PrintHeader(m.header);
          Field("Revealed key r", m.revealed_key);
          Field("Encrypted signature", m.encrypted_signature);
          Field("MAC", m.mac);
        } else if constexpr (std::is_same_v<T, v3::Signature>) {
          std::printf("Signature Message:\n");
          PrintHeader(m.header);
          Field("Encrypted signature", m.encrypted_signature);
          Field("MAC", m.mac);
        } else if constexpr (std::is_same_v<T, v3::DataMessage>) {
          std::printf("Data Message:\n");
          PrintHeader(m.header);
          std::printf("  %-22s 0x%02x\n", "Flags", m.flags);
          Field("Sender keyid", m.sender_keyid);
          Field("Recipient keyid", m.recipient_keyid);
          Field("Next D-H key", m.next_dh);
          Field("Counter (top half)", m.ctr);
          Field("Encrypted message", m.encrypted_message);
          Field("Encrypted length", m.encrypted_message.size());
          Field("MAC", m.mac);
          for (const v3::MacKey& k : m.old_mac_keys) Field("Revealed MAC key", k);
        } else {
          if (const auto* kx = std::get_if<v3::V1KeyExchange>(&m.body)) {
            std::printf("v1 Key Exchange Message:\n");
            Field("Reply", kx->reply);
            Field("Sender keyid", kx->sender_keyid);
            Field("D-H y", kx->dh_y);
            Field("Signature", kx->signature);
          } else {
            const auto& d = std::get<v3::V1Data>(m.body);
            std::printf("v1 Data Message:\n");
            Field("Sender keyid", d.sender_keyid);
            Field("Recipient keyid", d.recipient_keyid);
            Field("Next D-H key", d.next_dh);
            Field("Counter (top half)", d.ctr);
            Field("Encrypted message", d.encrypted_message);
            Field("MAC", d.mac);
            for (const auto& k : d.old_mac_keys) Field("Revealed MAC key", k);
          }
        }
      },
      message);
}

// Prints one message; returns the exit status.
int ParseOne(std::string_view text) {
  const wire::InboundMessage in = wire::Classify(text);
  int status = kExitOk;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, wire::PlainText>) {
          std::printf("Plaintext (no OTR marker, no whitespace tag):\n");
          Field("Text", m.text);
        } else if constexpr (std::is_same_v<T, wire::TaggedPlaintext>) {
          std::printf("Whitespace-tagged plaintext:\n");
          Field("Versions", Versions(m.versions));
          Field("Text", m.text);
        } else if constexpr (std::is_same_v<T, wire::QueryMessage>) {
          std::printf("Query Message:\n");
          Field("Versions", Versions(m.versions));
          Field("Text", m.text);
        } else if constexpr (std::is_same_v<T, wire::ErrorMessage>) {
          std::printf("Error Message:\n");
          Field("Error", m.detail);
        } else if constexpr (std::is_same_v<T, wire::Fragment>) {
          std::printf("Fragment (v%d):\n", m.version);
          if (m.version == 4) std::printf("  %-22s 0x%08x\n", "Identifier", m.identifier);
          if (m.version >= 3) {
            std::printf("  %-22s 0x%08x\n", "Sender instance", m.sender);
            std::printf("  %-22s 0x%08x\n", "Receiver instance", m.receiver);
          }
          Field("Piece", std::to_string(m.k) + " of " + std::to_string(m.n));
          Field("Data", m.piece);
        } else if constexpr (std::is_same_v<T, wire::EncodedMessage>) {
          auto decoded = v3::DecodeMessage(m.message);
          if (!decoded.ok()) {
            std::printf("Malformed %s (v%u, type 0x%02x): %s\n",
                        MessageTypeName(m.protocol_version, m.message_type).substr(2).c_str(),
                        m.protocol_version, m.message_type,
                        ForTerminal(decoded.error().context).c_str());
            status = kExitMalformed;
            return;
          }
          PrintBinary(*decoded);
        } else if constexpr (std::is_same_v<T, wire::UnsupportedMessage>) {
          if (m.protocol_version == 4) {
            status = PrintV4Message(m.message);
            return;
          }
          status = kExitUnsupported;
          auto decoded = v3::DecodeMessage(m.message);
          std::printf("Unsupported: %s (version %u, type 0x%02x); otr speaks versions 2 and 3\n",
                      ForTerminal(m.description).c_str(), m.protocol_version, m.message_type);
          if (decoded.ok()) {
            PrintBinary(*decoded);
          } else {
            Field("Bytes", m.message);
          }
        } else {
          std::printf("Malformed OTR message: %s\n", ForTerminal(m.error.context).c_str());
          status = kExitMalformed;
        }
      },
      in);
  return status;
}

// Several lines: the fragments of one message, in order.
int ParseFragments(const std::vector<std::string_view>& lines) {
  wire::Reassembler reassembler;
  for (size_t i = 0; i < lines.size(); ++i) {
    const wire::InboundMessage in = wire::Classify(lines[i]);
    const auto* fragment = std::get_if<wire::Fragment>(&in);
    if (fragment == nullptr) {
      ParseOne(lines[i]);
      std::printf(
          "Line %zu is not a fragment: otr parse reads one message, or the fragments of "
          "one message one per line\n",
          i + 1);
      return kExitMalformed;
    }
    std::printf("Fragment %u of %u (v%d)\n", fragment->k, fragment->n, fragment->version);
    auto added = reassembler.Add(*fragment);
    if (!added.ok()) {
      std::printf("The fragments do not reassemble at line %zu: %s\n", i + 1,
                  ForTerminal(added.error().context).c_str());
      return kExitMalformed;
    }
    if (*added) {
      if (i + 1 != lines.size()) {
        std::printf("Line %zu follows a complete message\n", i + 2);
        return kExitMalformed;
      }
      std::printf("Reassembled (%zu fragments):\n", lines.size());
      Field("Message", **added);
      return ParseOne(**added);
    }
  }
  std::printf("Incomplete: the last fragment is missing\n");
  return kExitMalformed;
}

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) return PrintHelp(kUsage);
  if (args.size() == 1 &&
      (args[0] == "--client-profile" || args[0] == "--prekey-profile" || args[0] == "--tlvs")) {
    Result<Bytes> bytes = ParseHex(ReadAllStdin());
    if (!bytes.ok()) return Failed(kUsage, "stdin is not hex");
    if (args[0] == "--client-profile") return PrintV4ClientProfile(*bytes);
    if (args[0] == "--prekey-profile") return PrintV4PrekeyProfile(*bytes);
    return PrintV4Payload(*bytes);
  }
  if (!args.empty()) return UsageError(kUsage, "the message is read from stdin, not arguments");
  const std::string input = ReadAllStdin();
  return ParseOtrInput(WithoutLineEnd(input));
}

}  // namespace

int ParseOtrInput(std::string_view text) {
  // Fragments one per line (what an IRC log holds); anything else is one
  // message, whatever lines it has.
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const size_t lf = rest.find('\n');
    std::string_view line = rest.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
    rest = lf == std::string_view::npos ? std::string_view() : rest.substr(lf + 1);
  }
  if (lines.size() > 1 && std::holds_alternative<wire::Fragment>(wire::Classify(lines[0]))) {
    return ParseFragments(lines);
  }
  if (const int status = ParsePrekeyServerMessage(text); status >= 0) return status;
  return ParseOne(text);
}

OTR_REGISTER_COMMAND(parse,
                     {"parse", "decode any OTR message from stdin and print its fields", &Run});
}  // namespace otr::tools
