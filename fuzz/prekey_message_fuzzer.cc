// Fuzzes the prekey-server messages (otr-v4-prekey-server.md) through the
// dispatcher, DecodeMessage. Decoders accept only canonical bytes, so
// whatever decodes must satisfy the decode rules, re-encode to exactly the
// input and decode again to the same value; a DAKE-3's attachment goes
// through DecodeAttachedMessage the same way, and a Prekey Publication's MAC
// parts must be pieces of its encoding.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "protocol/prekey/messages/messages.h"

namespace {

bool Contains(const otr::Bytes& whole, const otr::Bytes& part) {
  return part.empty() ||
         std::search(whole.begin(), whole.end(), part.begin(), part.end()) != whole.end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const otr::ByteView input(data, size);
  auto decoded = otr::prekey::DecodeMessage(input);
  if (!decoded.ok()) return 0;
  if (!otr::prekey::ValidateMessage(*decoded).ok()) __builtin_trap();
  const otr::Bytes encoded = otr::prekey::EncodeMessage(*decoded);
  if (encoded != otr::Bytes(input.begin(), input.end())) __builtin_trap();
  auto again = otr::prekey::DecodeMessage(encoded);
  if (!again.ok() || !(*again == *decoded)) __builtin_trap();
  if (const auto* dake3 = std::get_if<otr::prekey::Dake3>(&*decoded)) {
    auto attached = otr::prekey::DecodeAttachedMessage(dake3->message);
    if (attached.ok() && otr::prekey::EncodeAttachedMessage(*attached) != dake3->message) {
      __builtin_trap();
    }
  }
  if (const auto* publication = std::get_if<otr::prekey::PrekeyPublication>(&*decoded)) {
    const otr::prekey::PrekeyPublicationMacParts parts =
        otr::prekey::PublicationMacParts(*publication);
    if (!Contains(encoded, parts.prekey_messages) || !Contains(encoded, parts.client_profile) ||
        !Contains(encoded, parts.prekey_profile) || !Contains(encoded, parts.proofs)) {
      __builtin_trap();
    }
  }
  return 0;
}
