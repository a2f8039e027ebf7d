#include "tools/toolkit_cli.h"

#include <cstdio>
#include <iostream>
#include <iterator>
#include <variant>

#include "protocol/wire/classify.h"
#include "tools/terminal_text.h"

namespace otr::tools {
namespace {

void Print(std::FILE* to, std::string_view text) {
  std::fprintf(to, "%.*s", static_cast<int>(text.size()), text.data());
}

std::string_view Trimmed(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

int PrintHelp(const ToolUsage& usage) {
  Print(stdout, usage.text);
  return 0;
}

int UsageError(const ToolUsage& usage, std::string_view why) {
  Print(stderr, "otr " + std::string(usage.name) + ": " + ForTerminal(why) + "\n");
  Print(stderr, usage.text);
  return 2;
}

int Failed(const ToolUsage& usage, std::string_view why) {
  Print(stderr, "otr " + std::string(usage.name) + ": " + ForTerminal(why) + "\n");
  return kExitFailure;
}

Outcome<Bytes> HexArgument(std::string_view name, std::string_view value, size_t size) {
  Bytes out;
  int high = -1;
  size_t digits = 0;
  for (char c : value) {
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (c == ' ' || c == ':') continue;
    if (v < 0) {
      return Failure{std::string(name) + " '" + std::string(value) +
                     "' is not hex (a character other than 0-9, a-f)"};
    }
    ++digits;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) {
    return Failure{std::string(name) + " has an odd number of hex digits (" +
                   std::to_string(digits) + ")"};
  }
  if (out.empty()) return Failure{std::string(name) + " is empty"};
  if (size != 0 && out.size() != size) {
    return Failure{std::string(name) + " must be " + std::to_string(size * 2) + " hex digits (" +
                   std::to_string(size) + " bytes), got " + std::to_string(digits)};
  }
  return out;
}

Outcome<Bytes> MacKeyArgument(std::string_view value) {
  auto key = HexArgument("<mac-key-hex>", value);
  if (!key.ok() || key->size() == v3::kOldMacKeySize || key->size() == v4::kMacKeySize) return key;
  return Failure{"<mac-key-hex> must be 40 hex digits (20 bytes, v3) or 128 (64 bytes, v4), got " +
                 std::to_string(key->size() * 2)};
}

std::string ReadAllStdin() {
  return std::string((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
}

std::string_view WithoutLineEnd(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

std::string MessageTypeName(uint16_t version, uint8_t type) {
  if (version == 1) {
    return type == 0x0a   ? "an OTR v1 Key Exchange"
           : type == 0x03 ? "an OTR v1 Data Message"
                          : "an OTR v1 message";
  }
  switch (type) {
    case 0x02:
      return "a D-H Commit";
    case 0x0a:
      return "a D-H Key";
    case 0x11:
      return "a Reveal Signature";
    case 0x12:
      return "a Signature";
    case 0x03:
      return "a Data Message";
    default:
      return "a message of unknown type " + std::to_string(type);
  }
}

Outcome<v3::DataMessage> DataMessageFromText(std::string_view text) {
  text = Trimmed(text);
  if (text.empty()) return Failure{"no message on stdin (expected a Data Message, ?OTR:AAMD...)"};
  const wire::InboundMessage in = wire::Classify(text);
  if (const auto* f = std::get_if<wire::Fragment>(&in)) {
    return Failure{"the message on stdin is a fragment (" + std::to_string(f->k) + " of " +
                   std::to_string(f->n) +
                   "): use `otr parse` to reassemble the fragments (one per line) first"};
  }
  if (const auto* e = std::get_if<wire::EncodedMessage>(&in)) {
    if (e->message_type != 0x03) {
      return Failure{"not a Data Message (got " +
                     MessageTypeName(e->protocol_version, e->message_type) + ")"};
    }
    auto decoded = v3::DecodeMessage(e->message);
    if (!decoded.ok()) {
      return Failure{"the Data Message on stdin does not decode: " +
                     std::string(decoded.error().context)};
    }
    if (auto* d = std::get_if<v3::DataMessage>(&*decoded)) return std::move(*d);
    return Failure{"not a Data Message"};
  }
  if (const auto* u = std::get_if<wire::UnsupportedMessage>(&in)) {
    return Failure{"not a v2 or v3 Data Message (got " +
                   MessageTypeName(u->protocol_version, u->message_type) + ", version " +
                   std::to_string(u->protocol_version) + ")"};
  }
  if (const auto* m = std::get_if<wire::MalformedMessage>(&in)) {
    return Failure{"the OTR message on stdin does not decode: " + std::string(m->error.context)};
  }
  if (std::holds_alternative<wire::QueryMessage>(in)) {
    return Failure{"not a Data Message (got a Query Message)"};
  }
  if (std::holds_alternative<wire::ErrorMessage>(in)) {
    return Failure{"not a Data Message (got an OTR Error Message)"};
  }
  if (std::holds_alternative<wire::TaggedPlaintext>(in)) {
    return Failure{"not a Data Message (got whitespace-tagged plaintext)"};
  }
  return Failure{"not a Data Message (got plain text without an ?OTR: marker)"};
}

Outcome<AnyDataMessage> AnyDataMessageFromText(std::string_view text) {
  const wire::InboundMessage in = wire::Classify(Trimmed(text));
  const auto* u = std::get_if<wire::UnsupportedMessage>(&in);
  if (u == nullptr || u->protocol_version != v4::kProtocolVersion) {
    auto v3 = DataMessageFromText(text);
    if (!v3.ok()) return Failure{v3.error()};
    return AnyDataMessage(std::move(*v3));
  }
  if (u->message_type != 0x03) {
    auto decoded = v4::DecodeMessage(u->message);
    return Failure{"not a Data Message (got an OTRv4 " +
                   (decoded.ok()
                        ? std::string(v4::MessageTypeName(v4::TypeOf(*decoded)))
                        : std::string("message of type ") + std::to_string(u->message_type)) +
                   ")"};
  }
  auto decoded = v4::DecodeDataMessage(u->message);
  if (!decoded.ok()) {
    return Failure{"the OTRv4 Data Message on stdin does not decode: " +
                   std::string(decoded.error().context)};
  }
  return AnyDataMessage(std::move(*decoded));
}

}  // namespace otr::tools
