#include "tools/parse_prekey.h"

#include <cinttypes>
#include <cstdio>
#include <string>
#include <type_traits>
#include <variant>

#include "protocol/prekey/messages/messages.h"
#include "protocol/wire/base64.h"
#include "tools/terminal_text.h"

namespace otr::tools {
namespace {

std::string HexOf(ByteView bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

void Field(const char* name, const std::string& value) {
  std::printf("  %-22s %s\n", name, ForTerminal(value).c_str());
}
void Field(const char* name, ByteView value) { Field(name, HexOf(value)); }
void Text(const char* name, ByteView value) {
  Field(name, std::string(value.begin(), value.end()));
}
void Tag(const char* name, wire::InstanceTag tag) { std::printf("  %-22s 0x%08x\n", name, tag); }
void Number(const char* name, int64_t value) { Field(name, std::to_string(value)); }

void PrintClientProfile(const v4::ClientProfile& p) {
  std::printf(" Client Profile:\n");
  Tag("Owner instance tag", p.owner_instance_tag);
  Field("Ed448 public key H", p.public_key);
  Field("Ed448 forging key F", p.forging_key);
  Text("Versions", AsBytes(p.versions));
  Number("Expiration", p.expiration);
  if (p.dsa_public_key) {
    Field("DSA p", p.dsa_public_key->p);
    Field("DSA q", p.dsa_public_key->q);
    Field("DSA g", p.dsa_public_key->g);
    Field("DSA y", p.dsa_public_key->y);
  }
  if (p.transitional_signature) Field("Transitional sig", *p.transitional_signature);
  Field("Signature", p.signature);
}

void PrintPrekeyProfile(const v4::PrekeyProfile& p) {
  std::printf(" Prekey Profile:\n");
  Tag("Owner instance tag", p.owner_instance_tag);
  Number("Expiration", p.expiration);
  Field("Shared prekey D", p.shared_prekey);
  Field("Signature", p.signature);
}

void PrintPrekeyMessage(const v4::PrekeyMessage& m) {
  std::printf(" Prekey Message:\n");
  Number("Identifier", m.identifier);
  Tag("Owner instance tag", m.owner_instance_tag);
  Field("Y (ECDH)", m.y);
  Field("B (DH)", m.b);
}

void PrintRingSig(const v4::RingSig& s) {
  Field("sigma c1", s.c1);
  Field("sigma r1", s.r1);
  Field("sigma c2", s.c2);
  Field("sigma r2", s.r2);
  Field("sigma c3", s.c3);
  Field("sigma r3", s.r3);
}

void Print(const prekey::Message& message);

void PrintBody(const prekey::Dake1& m) {
  Tag("Sender instance", m.sender_instance_tag);
  PrintClientProfile(m.client_profile);
  Field("I", m.i);
}
void PrintBody(const prekey::Dake2& m) {
  Tag("Receiver instance", m.receiver_instance_tag);
  Text("Server identity", m.server_identity.identity);
  Field("Server public key", m.server_identity.public_key);
  Field("S", m.s);
  PrintRingSig(m.sigma);
}
void PrintBody(const prekey::Dake3& m) {
  Tag("Sender instance", m.sender_instance_tag);
  PrintRingSig(m.sigma);
  auto attached = prekey::DecodeAttachedMessage(m.message);
  if (!attached.ok()) {
    Field("Message", m.message);
    std::printf("  (the attached message does not decode: %s)\n",
                ForTerminal(attached.error().context).c_str());
    return;
  }
  std::printf("Attached ");
  std::visit([](const auto& a) { Print(prekey::Message(a)); }, *attached);
}
void PrintBody(const prekey::PrekeyPublication& m) {
  Number("N (Prekey Messages)", static_cast<int64_t>(m.prekey_messages.size()));
  for (const v4::PrekeyMessage& pm : m.prekey_messages) PrintPrekeyMessage(pm);
  Number("K", m.client_profile ? 1 : 0);
  if (m.client_profile) PrintClientProfile(*m.client_profile);
  Number("J", m.prekey_profile ? 1 : 0);
  if (m.prekey_profile) PrintPrekeyProfile(*m.prekey_profile);
  if (m.prekey_message_proofs) {
    Field("ECDH proof C", m.prekey_message_proofs->ecdh.c);
    Field("ECDH proof V", m.prekey_message_proofs->ecdh.v);
    Field("DH proof C", m.prekey_message_proofs->dh.c);
    Field("DH proof V", m.prekey_message_proofs->dh.v);
  }
  if (m.prekey_profile_proof) {
    Field("Shared prekey proof C", m.prekey_profile_proof->c);
    Field("Shared prekey proof V", m.prekey_profile_proof->v);
  }
  Field("Prekey MAC", m.prekey_mac);
}
void PrintBody(const prekey::StorageInformationRequest& m) {
  Field("Storage info MAC", m.storage_information_mac);
}
void PrintBody(const prekey::StorageStatus& m) {
  Tag("Receiver instance", m.receiver_instance_tag);
  Number("Stored prekey messages", m.stored_prekey_messages);
  Field("Status MAC", m.status_mac);
}
void PrintBody(const prekey::Success& m) {
  Tag("Receiver instance", m.receiver_instance_tag);
  Field("Success MAC", m.success_mac);
}
void PrintBody(const prekey::Failure& m) {
  Tag("Receiver instance", m.receiver_instance_tag);
  Field("Failure MAC", m.failure_mac);
}
void PrintBody(const prekey::PrekeyEnsembleQueryRetrieval& m) {
  Tag("Sender instance", m.sender_instance_tag);
  Text("Participant identity", m.participant_identity);
  Text("Versions", m.versions);
}
void PrintBody(const prekey::PrekeyEnsembleRetrieval& m) {
  Tag("Receiver instance", m.receiver_instance_tag);
  Text("Participant identity", m.participant_identity);
  Number("L (ensembles)", static_cast<int64_t>(m.ensembles.size()));
  for (size_t i = 0; i < m.ensembles.size(); ++i) {
    std::printf(" Prekey Ensemble %zu:\n", i + 1);
    PrintClientProfile(m.ensembles[i].client_profile);
    PrintPrekeyProfile(m.ensembles[i].prekey_profile);
    PrintPrekeyMessage(m.ensembles[i].prekey_message);
  }
}
void PrintBody(const prekey::NoPrekeyEnsemblesInStorage& m) {
  Tag("Receiver instance", m.receiver_instance_tag);
  Text("Participant identity", m.participant_identity);
  Text("Text", m.text);
}

void Print(const prekey::Message& message) {
  std::printf(
      "Prekey-server %s Message (version 4, type 0x%02x):\n",
      std::string(prekey::MessageTypeName(static_cast<uint8_t>(prekey::TypeOf(message)))).c_str(),
      static_cast<unsigned>(prekey::TypeOf(message)));
  std::visit([](const auto& m) { PrintBody(m); }, message);
}

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/' || c == '=';
}

}  // namespace

int ParsePrekeyServerMessage(std::string_view text) {
  // "construct an ASCII string of the base-64 encoding of the binary form of
  // the message and, after this encoding, add the byte '.'."
  if (text.size() < 2 || text.back() != '.') return -1;
  const std::string_view base64 = text.substr(0, text.size() - 1);
  for (char c : base64) {
    if (!IsBase64Char(c)) return -1;
  }
  auto bytes = wire::DecodeBase64(base64);
  if (!bytes.ok() || bytes->size() < 3 || (*bytes)[0] != 0 || (*bytes)[1] != 4) return -1;
  const uint8_t type = (*bytes)[2];
  if (prekey::MessageTypeName(type) == "unknown") return -1;
  auto decoded = prekey::DecodeMessage(*bytes);
  if (!decoded.ok()) {
    std::printf("Malformed prekey-server %s Message (version 4, type 0x%02x): %s\n",
                std::string(prekey::MessageTypeName(type)).c_str(), type,
                ForTerminal(decoded.error().context).c_str());
    return 1;
  }
  Print(*decoded);
  return 0;
}

}  // namespace otr::tools
