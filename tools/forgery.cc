#include "tools/forgery.h"

#include <algorithm>
#include <iostream>
#include <iterator>
#include <variant>

#include "crypto/modp_group.h"
#include "protocol/v3/keys/ake_keys.h"
#include "protocol/v3/keys/data_keys.h"
#include "protocol/wire/armor.h"

namespace otr::tools {

Result<v3::DataMessage> DecodeArmoredDataMessage(std::string_view text) {
  OTR_ASSIGN_OR_RETURN(Bytes binary, wire::DecodeArmor(text));
  OTR_ASSIGN_OR_RETURN(v3::Message message, v3::DecodeMessage(binary));
  if (!std::holds_alternative<v3::DataMessage>(message)) {
    return MakeError(ErrorCode::kUnknownType, "forgery: not a Data Message");
  }
  return std::get<v3::DataMessage>(std::move(message));
}

std::string EncodeArmoredDataMessage(const v3::DataMessage& message) {
  return wire::EncodeArmor(v3::EncodeMessage(message));
}

crypto::SecretBytes MacKeyFromAesKey(const crypto::Backend& backend,
                                     const crypto::SecretBytes& aes_key) {
  auto ctx = backend.NewHash(crypto::HashAlgorithm::kSha1);
  ctx->Update(aes_key.view());
  return ctx->Finish();
}

v3::Mac Authenticator(const crypto::Backend& backend, ByteView mac_key,
                      const v3::DataMessage& message) {
  const crypto::SecretBytes full =
      backend.Hmac(crypto::HashAlgorithm::kSha1, mac_key, v3::EncodeDataMessageMacInput(message));
  v3::Mac mac{};
  std::copy_n(full.data(), mac.size(), mac.begin());
  return mac;
}

bool Authenticates(const crypto::Backend& backend, ByteView mac_key,
                   const v3::DataMessage& message) {
  const v3::Mac mac = Authenticator(backend, mac_key, message);
  return crypto::ConstantTimeEqual(mac, message.mac);
}

void Remac(const crypto::Backend& backend, ByteView mac_key, v3::DataMessage& message) {
  message.mac = Authenticator(backend, mac_key, message);
}

Result<Bytes> DecryptPayload(const crypto::Backend& backend, const crypto::SecretBytes& aes_key,
                             const v3::DataMessage& message) {
  if (aes_key.size() != crypto::kAes128KeySize) {
    return MakeError(ErrorCode::kInvalidKey, "forgery: AES key must be 16 bytes");
  }
  Bytes out(message.encrypted_message.size());
  OTR_RETURN_IF_ERROR(backend.Aes128Ctr(aes_key, message.ctr, message.encrypted_message, out));
  return out;
}

Status ReplacePayload(const crypto::Backend& backend, const crypto::SecretBytes& aes_key,
                      ByteView new_payload, v3::DataMessage& message) {
  if (aes_key.size() != crypto::kAes128KeySize) {
    return MakeError(ErrorCode::kInvalidKey, "forgery: AES key must be 16 bytes");
  }
  Bytes out(new_payload.size());
  OTR_RETURN_IF_ERROR(backend.Aes128Ctr(aes_key, message.ctr, new_payload, out));
  message.encrypted_message = std::move(out);
  return Status::Ok();
}

Status ModifyAtOffset(v3::DataMessage& message, size_t offset, ByteView known,
                      ByteView replacement) {
  return XorKnownText(message.encrypted_message, offset, known, replacement);
}

Status XorKnownText(Bytes& c, size_t offset, ByteView known, ByteView replacement) {
  if (known.size() != replacement.size()) {
    return MakeError(ErrorCode::kOutOfRange, "modify: old and new text differ in length");
  }
  if (offset > c.size() || known.size() > c.size() - offset) {
    return MakeError(ErrorCode::kOutOfRange, "modify: offset beyond the encrypted message");
  }
  for (size_t i = 0; i < known.size(); ++i) {
    c[offset + i] = static_cast<uint8_t>(c[offset + i] ^ known[i] ^ replacement[i]);
  }
  return Status::Ok();
}

Result<SessionKeys> DeriveSessionKeys(const crypto::Backend& backend,
                                      const crypto::SecretBytes& our_secret,
                                      ByteView their_public) {
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  OTR_ASSIGN_OR_RETURN(crypto::SecretBytes our_public_secret,
                       backend.ModExp(group.g, our_secret, group.p));
  OTR_ASSIGN_OR_RETURN(crypto::SecretBytes s,
                       crypto::DhSharedSecret(backend, group, our_secret, their_public));
  SessionKeys out;
  out.our_public = our_public_secret.Declassify();  // g^x is public
  out.we_are_high = backend.Compare(out.our_public, their_public) > 0;
  v3::DataKeys data = v3::DeriveDataKeys(backend, out.our_public, their_public, s);
  out.send_aes = std::move(data.send_aes);
  out.send_mac = std::move(data.send_mac);
  out.recv_aes = std::move(data.recv_aes);
  out.recv_mac = std::move(data.recv_mac);
  v3::AkeKeys ake = v3::DeriveAkeKeys(backend, s);
  out.ssid = ake.ssid;
  out.c = std::move(ake.c);
  out.c_prime = std::move(ake.c_prime);
  out.m1 = std::move(ake.m1);
  out.m2 = std::move(ake.m2);
  out.m1_prime = std::move(ake.m1_prime);
  out.m2_prime = std::move(ake.m2_prime);
  return out;
}

Result<Bytes> ParseHex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out;
  int high = -1;
  for (char c : hex) {
    if (c == ' ' || c == ':' || c == '\n') continue;
    const int v = nibble(c);
    if (v < 0) return MakeError(ErrorCode::kInvalidEncoding, "hex: not a hex digit");
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) return MakeError(ErrorCode::kInvalidEncoding, "hex: odd number of digits");
  return out;
}

std::string Hex(ByteView bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::string ReadStdin() {
  std::string in((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!in.empty() && (in.back() == '\n' || in.back() == '\r' || in.back() == ' ')) {
    in.pop_back();
  }
  return in;
}

}  // namespace otr::tools
