#include "tools/cmd_parse_v4.h"

#include <cstdio>
#include <string>
#include <type_traits>
#include <variant>

#include "protocol/v4/messages/messages.h"
#include "protocol/v4/messages/tlv.h"
#include "tools/forgery.h"
#include "tools/terminal_text.h"

namespace otr::tools {
namespace {

using namespace otr::v4;  // NOLINT: the v4 names read as in the spec

// The field printers of cmd_parse.cc, with an indent for nested values.
void Field(int indent, const char* name, const std::string& value) {
  std::printf("%*s%-*s %s\n", indent, "", 24 - indent, name, ForTerminal(value).c_str());
}
void Field(int indent, const char* name, ByteView value) { Field(indent, name, Hex(value)); }
void Field(int indent, const char* name, uint64_t value) {
  Field(indent, name, std::to_string(value));
}
void Tag(int indent, const char* name, uint32_t tag) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", tag);
  Field(indent, name, std::string(text));
}

void PrintHeader(const Header& h) {
  Field(2, "Version", uint64_t{kProtocolVersion});
  Tag(2, "Sender instance", h.sender_instance_tag);
  Tag(2, "Receiver instance", h.receiver_instance_tag);
}

const char* FieldName(ClientProfileField field) {
  switch (field) {
    case ClientProfileField::kOwnerInstanceTag:
      return "Owner instance tag";
    case ClientProfileField::kEd448PublicKey:
      return "Ed448 public key H";
    case ClientProfileField::kEd448ForgingKey:
      return "Ed448 forging key F";
    case ClientProfileField::kVersions:
      return "Versions";
    case ClientProfileField::kExpiration:
      return "Expiration";
    case ClientProfileField::kDsaPublicKey:
      return "OTRv3 DSA key";
    case ClientProfileField::kTransitionalSignature:
      return "Transitional signature";
  }
  return "?";
}

void PrintClientProfile(int indent, const ClientProfile& p) {
  for (ClientProfileField field : ClientProfileFieldsInOrder(p)) {
    const char* name = FieldName(field);
    switch (field) {
      case ClientProfileField::kOwnerInstanceTag:
        Tag(indent, name, p.owner_instance_tag);
        break;
      case ClientProfileField::kEd448PublicKey:
        Field(indent, name, p.public_key);
        break;
      case ClientProfileField::kEd448ForgingKey:
        Field(indent, name, p.forging_key);
        break;
      case ClientProfileField::kVersions:
        Field(indent, name, p.versions);
        break;
      case ClientProfileField::kExpiration:
        Field(indent, name, std::to_string(p.expiration));
        break;
      case ClientProfileField::kDsaPublicKey:
        Field(indent, "DSA p", p.dsa_public_key->p);
        Field(indent, "DSA q", p.dsa_public_key->q);
        Field(indent, "DSA g", p.dsa_public_key->g);
        Field(indent, "DSA y", p.dsa_public_key->y);
        break;
      case ClientProfileField::kTransitionalSignature:
        Field(indent, name, *p.transitional_signature);
        break;
    }
  }
  if (!p.field_order.empty()) Field(indent, "Field order", std::string("not canonical"));
  Field(indent, "Signature", p.signature);
}

void PrintRingSig(const RingSig& s) {
  Field(2, "sigma c1", s.c1);
  Field(2, "sigma r1", s.r1);
  Field(2, "sigma c2", s.c2);
  Field(2, "sigma r2", s.r2);
  Field(2, "sigma c3", s.c3);
  Field(2, "sigma r3", s.r3);
}

void PrintProfileOf(const ClientProfile& p) {
  std::printf("  Sender's Client Profile:\n");
  PrintClientProfile(4, p);
}

void Print(const Message& message) {
  std::printf("OTRv4 %s:\n", std::string(MessageTypeName(TypeOf(message))).c_str());
  std::visit(
      [](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, IdentityMessage>) {
          PrintHeader(m.header);
          PrintProfileOf(m.client_profile);
          Field(2, "Y", m.y);
          Field(2, "B", m.b);
          Field(2, "our_ecdh_first", m.our_ecdh_first);
          Field(2, "our_dh_first", m.our_dh_first);
        } else if constexpr (std::is_same_v<T, AuthR>) {
          PrintHeader(m.header);
          PrintProfileOf(m.client_profile);
          Field(2, "X", m.x);
          Field(2, "A", m.a);
          PrintRingSig(m.sigma);
          Field(2, "our_ecdh_first", m.our_ecdh_first);
          Field(2, "our_dh_first", m.our_dh_first);
        } else if constexpr (std::is_same_v<T, AuthI>) {
          PrintHeader(m.header);
          PrintRingSig(m.sigma);
        } else if constexpr (std::is_same_v<T, PrekeyMessage>) {
          Field(2, "Version", uint64_t{kProtocolVersion});
          Tag(2, "Prekey identifier", m.identifier);
          Tag(2, "Owner instance tag", m.owner_instance_tag);
          Field(2, "Y", m.y);
          Field(2, "B", m.b);
        } else if constexpr (std::is_same_v<T, NonInteractiveAuth>) {
          PrintHeader(m.header);
          PrintProfileOf(m.client_profile);
          Field(2, "X", m.x);
          Field(2, "A", m.a);
          PrintRingSig(m.sigma);
          Tag(2, "Prekey identifier", m.prekey_message_identifier);
          Field(2, "Auth MAC", m.auth_mac);
          Field(2, "our_ecdh_first", m.our_ecdh_first);
          Field(2, "our_dh_first", m.our_dh_first);
        } else if constexpr (std::is_same_v<T, DataMessage>) {
          PrintHeader(m.header);
          char flags[8];
          std::snprintf(flags, sizeof flags, "0x%02x", m.flags);
          Field(2, "Flags",
                std::string(flags) +
                    ((m.flags & kFlagIgnoreUnreadable) != 0 ? " IGNORE_UNREADABLE" : ""));
          Field(2, "Previous chain pn", uint64_t{m.previous_chain_length});
          Field(2, "Ratchet id i", uint64_t{m.ratchet_id});
          Field(2, "Message id j", uint64_t{m.message_id});
          Field(2, "Public ECDH key", m.ecdh);
          Field(2, "Public DH key", m.dh.empty() ? std::string("(empty)") : Hex(m.dh));
          Field(2, "Encrypted message", m.encrypted_message);
          Field(2, "Encrypted length", uint64_t{m.encrypted_message.size()});
          Field(2, "Authenticator", m.authenticator);
          for (const MacKey& k : m.revealed_mac_keys) Field(2, "Revealed MAC key", k);
        }
      },
      message);
}

void PrintTlv(const Tlv& tlv) {
  std::visit(
      [](const auto& t) {
        using T = std::decay_t<decltype(t)>;
        if constexpr (std::is_same_v<T, Padding>) {
          Field(4, "Padding bytes", uint64_t{t.data.size()});
        } else if constexpr (std::is_same_v<T, Disconnected>) {
          for (const MacKey& k : t.old_mac_keys) Field(4, "Old MAC key", k);
        } else if constexpr (std::is_same_v<T, SmpMessage1>) {
          Field(4, "Question", std::string(t.question.begin(), t.question.end()));
          Field(4, "G2a", t.g2a);
          Field(4, "c2", t.c2);
          Field(4, "d2", t.d2);
          Field(4, "G3a", t.g3a);
          Field(4, "c3", t.c3);
          Field(4, "d3", t.d3);
        } else if constexpr (std::is_same_v<T, SmpMessage2>) {
          Field(4, "G2b", t.g2b);
          Field(4, "c2", t.c2);
          Field(4, "d2", t.d2);
          Field(4, "G3b", t.g3b);
          Field(4, "c3", t.c3);
          Field(4, "d3", t.d3);
          Field(4, "Pb", t.pb);
          Field(4, "Qb", t.qb);
          Field(4, "cp", t.cp);
          Field(4, "d5", t.d5);
          Field(4, "d6", t.d6);
        } else if constexpr (std::is_same_v<T, SmpMessage3>) {
          Field(4, "Pa", t.pa);
          Field(4, "Qa", t.qa);
          Field(4, "cp", t.cp);
          Field(4, "d5", t.d5);
          Field(4, "d6", t.d6);
          Field(4, "Ra", t.ra);
          Field(4, "cr", t.cr);
          Field(4, "d7", t.d7);
        } else if constexpr (std::is_same_v<T, SmpMessage4>) {
          Field(4, "Rb", t.rb);
          Field(4, "cr", t.cr);
          Field(4, "d7", t.d7);
        } else if constexpr (std::is_same_v<T, ExtraSymmetricKey>) {
          char use[16];
          std::snprintf(use, sizeof use, "0x%08x", t.use);
          Field(4, "Use", std::string(use));
          Field(4, "Use data", t.use_data);
        } else if constexpr (std::is_same_v<T, UnknownTlv>) {
          Field(4, "Value", t.value);
        }
      },
      tlv);
}

}  // namespace

int PrintV4Message(ByteView message) {
  Result<Message> decoded = DecodeMessage(message);
  if (!decoded.ok()) {
    std::printf("Malformed OTRv4 message (type 0x%02x): %s\n", message.size() > 2 ? message[2] : 0,
                ForTerminal(decoded.error().context).c_str());
    return 1;
  }
  Print(*decoded);
  return 0;
}

int PrintV4ClientProfile(ByteView profile) {
  Result<ClientProfile> decoded = DecodeClientProfile(profile);
  if (!decoded.ok()) {
    std::printf("Malformed Client Profile: %s\n", ForTerminal(decoded.error().context).c_str());
    return 1;
  }
  std::printf("OTRv4 Client Profile:\n");
  PrintClientProfile(2, *decoded);
  return 0;
}

int PrintV4PrekeyProfile(ByteView profile) {
  Result<PrekeyProfile> decoded = DecodePrekeyProfile(profile);
  if (!decoded.ok()) {
    std::printf("Malformed Prekey Profile: %s\n", ForTerminal(decoded.error().context).c_str());
    return 1;
  }
  std::printf("OTRv4 Prekey Profile:\n");
  Tag(2, "Owner instance tag", decoded->owner_instance_tag);
  Field(2, "Expiration", std::to_string(decoded->expiration));
  Field(2, "Shared prekey D", decoded->shared_prekey);
  Field(2, "Signature", decoded->signature);
  return 0;
}

int PrintV4Payload(ByteView plaintext) {
  const DataPayload payload = DecodeDataPayload(plaintext);
  std::printf("OTRv4 Data Message plaintext:\n");
  Field(2, "Message", std::string(payload.message.begin(), payload.message.end()));
  int status = 0;
  for (const TlvRecord& record : payload.tlvs) {
    char title[80];
    std::snprintf(title, sizeof title, "  TLV type %u (%s), %zu bytes:\n", record.type,
                  std::string(TlvTypeName(record.type)).c_str(), record.value.size());
    std::printf("%s", title);
    Result<Tlv> tlv = DecodeTlv(record);
    if (!tlv.ok()) {
      // "stop processing it, but process the remaining data message"
      std::printf("    Malformed, ignored: %s\n", ForTerminal(tlv.error().context).c_str());
      status = 1;
      continue;
    }
    PrintTlv(*tlv);
  }
  if (!payload.incomplete_tail.empty()) {
    std::printf("  Incomplete TLV, ignored:\n");
    Field(4, "Bytes", payload.incomplete_tail);
    status = 1;
  }
  return status;
}

}  // namespace otr::tools
