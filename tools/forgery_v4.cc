#include "tools/forgery_v4.h"

#include <algorithm>
#include <variant>

#include "protocol/prekey/common/transport.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/wire/armor.h"
#include "tools/forgery.h"

namespace otr::tools {
namespace {

Status CheckMessageKey(const crypto::SecretBytes& mk_enc) {
  if (mk_enc.size() != v4::ratchet::kMessageKeySize) {
    return MakeError(ErrorCode::kInvalidKey, "forgery: a v4 message key must be 64 bytes");
  }
  return Status::Ok();
}

crypto::SecretBytes Tag(const crypto::Backend& backend, ByteView mac_key,
                        const v4::DataMessage& message) {
  return v4::ratchet::Authenticator(backend, crypto::SecretBytes(mac_key),
                                    v4::DataMessageMacInput(message));
}

}  // namespace

Result<v4::DataMessage> DecodeArmoredV4DataMessage(std::string_view text) {
  OTR_ASSIGN_OR_RETURN(Bytes binary, wire::DecodeArmor(text));
  return v4::DecodeDataMessage(binary);
}

std::string EncodeArmoredV4Message(const v4::Message& message) {
  return wire::EncodeArmor(v4::EncodeMessage(message));
}

crypto::SecretBytes MessageKeyFromChainKey(const crypto::Backend& backend,
                                           const crypto::SecretBytes& chain_key) {
  return v4::ratchet::DeriveMessageKey(backend, chain_key);
}

crypto::SecretBytes MacKeyFromMessageKey(const crypto::Backend& backend,
                                         const crypto::SecretBytes& mk_enc) {
  return v4::ratchet::DeriveMacKey(backend, mk_enc);
}

bool Authenticates(const crypto::Backend& backend, ByteView mac_key,
                   const v4::DataMessage& message) {
  return crypto::ConstantTimeEqual(Tag(backend, mac_key, message).view(), message.authenticator);
}

void Remac(const crypto::Backend& backend, ByteView mac_key, v4::DataMessage& message) {
  const crypto::SecretBytes tag = Tag(backend, mac_key, message);
  std::copy(tag.view().begin(), tag.view().end(), message.authenticator.begin());
}

Result<Bytes> DecryptPayload(const crypto::Backend& backend, const crypto::SecretBytes& mk_enc,
                             const v4::DataMessage& message) {
  OTR_RETURN_IF_ERROR(CheckMessageKey(mk_enc));
  return v4::ratchet::ChaCha20(backend, mk_enc, message.encrypted_message);
}

Status ReplacePayload(const crypto::Backend& backend, const crypto::SecretBytes& mk_enc,
                      ByteView new_payload, v4::DataMessage& message) {
  OTR_RETURN_IF_ERROR(CheckMessageKey(mk_enc));
  OTR_ASSIGN_OR_RETURN(Bytes encrypted, v4::ratchet::ChaCha20(backend, mk_enc, new_payload));
  message.encrypted_message = std::move(encrypted);
  return Status::Ok();
}

Status ModifyAtOffset(v4::DataMessage& message, size_t offset, ByteView known,
                      ByteView replacement) {
  return XorKnownText(message.encrypted_message, offset, known, replacement);
}

DakeTranscript FindDake(std::string_view text) {
  DakeTranscript out;
  size_t at = 0;
  while ((at = text.find("?OTR:", at)) != std::string_view::npos) {
    const size_t end = text.find('.', at);
    if (end == std::string_view::npos) break;
    auto binary = wire::DecodeArmor(text.substr(at, end + 1 - at));
    at = end + 1;
    if (!binary.ok()) continue;
    auto message = v4::DecodeMessage(*binary);
    if (!message.ok()) continue;
    if (auto* m = std::get_if<v4::IdentityMessage>(&*message); m && !out.identity) {
      out.identity = std::move(*m);
    } else if (auto* r = std::get_if<v4::AuthR>(&*message); r && !out.auth_r) {
      out.auth_r = std::move(*r);
    } else if (auto* i = std::get_if<v4::AuthI>(&*message); i && !out.auth_i) {
      out.auth_i = std::move(*i);
    } else if (auto* n = std::get_if<v4::NonInteractiveAuth>(&*message);
               n && !out.non_interactive_auth) {
      out.non_interactive_auth = std::move(*n);
    }
  }
  // "server: <base64>." lines: the prekey server's answers.
  constexpr std::string_view kServer = "server: ";
  for (size_t line = 0; line < text.size() && !out.retrieval;) {
    size_t end = text.find('\n', line);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view l = text.substr(line, end - line);
    line = end + 1;
    if (l.substr(0, kServer.size()) != kServer) continue;
    auto message = prekey::DecodeFromTransport(l.substr(kServer.size()));
    if (!message.ok()) continue;
    if (auto* r = std::get_if<prekey::PrekeyEnsembleRetrieval>(&*message)) {
      out.retrieval = std::move(*r);
    }
  }
  return out;
}

}  // namespace otr::tools
