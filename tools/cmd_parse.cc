// `otr parse < message`: decodes any OTR message read from stdin (query,
// whitespace-tagged text, error, fragment, v1/v2/v3 binary message) and
// prints its fields, as libotr's otr_parse does. Nothing is decrypted.
#include <cstdio>
#include <string>
#include <variant>

#include "protocol/v3/messages.h"
#include "protocol/wire/classify.h"
#include "tools/command.h"
#include "tools/forgery.h"

namespace otr::tools {
namespace {

void Field(const char* name, const std::string& value) {
  std::printf("  %-22s %s\n", name, value.c_str());
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

int Run(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "usage: otr parse < message\n");
    return 2;
  }
  const std::string text = ReadStdin();
  const wire::InboundMessage in = wire::Classify(text);
  int status = 0;
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
            std::printf("Malformed v%u message (type 0x%02x): %.*s\n", m.protocol_version,
                        m.message_type, static_cast<int>(decoded.error().context.size()),
                        decoded.error().context.data());
            status = 1;
            return;
          }
          PrintBinary(*decoded);
        } else if constexpr (std::is_same_v<T, wire::UnsupportedMessage>) {
          auto decoded = v3::DecodeMessage(m.message);
          if (decoded.ok()) {
            PrintBinary(*decoded);
          } else {
            std::printf("Unsupported message: %.*s (version %u, type 0x%02x)\n",
                        static_cast<int>(m.description.size()), m.description.data(),
                        m.protocol_version, m.message_type);
            Field("Bytes", m.message);
          }
        } else {
          std::printf("Malformed OTR message: %.*s\n", static_cast<int>(m.error.context.size()),
                      m.error.context.data());
          status = 1;
        }
      },
      in);
  return status;
}

}  // namespace
OTR_REGISTER_COMMAND(parse,
                     {"parse", "decode any OTR message from stdin and print its fields", &Run});
}  // namespace otr::tools
