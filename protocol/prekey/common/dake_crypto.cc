// otr-v4-prekey-server.md, "Key Exchange" and the MACs of its messages.
#include "protocol/prekey/common/dake_crypto.h"

#include <algorithm>

#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/wire/writer.h"

namespace otr::prekey {
namespace {

using crypto::SecretBytes;
using v4::PrekeyUsage;

constexpr size_t kHashSize = 64;

void AppendKdf(const crypto::Backend& backend, PrekeyUsage usage, ByteView value, Bytes& out) {
  const SecretBytes h = v4::PrekeyKdf(backend, usage, {value}, kHashSize);
  out.insert(out.end(), h.view().begin(), h.view().end());
}

v4::Mac ToMac(const SecretBytes& s) {
  v4::Mac mac{};
  std::copy(s.view().begin(), s.view().end(), mac.begin());
  return mac;
}

v4::Mac MacOver(const crypto::Backend& backend, PrekeyUsage usage, const SecretBytes& mac_key,
                ByteView input) {
  return ToMac(v4::PrekeyKdf(backend, usage, {mac_key.view(), input}, v4::kMacSize));
}

}  // namespace

Bytes ServerDakePhi(std::string_view publisher_identity, std::string_view server_identity) {
  wire::Writer w;
  w.WriteData(AsBytes(publisher_identity));
  w.WriteData(AsBytes(server_identity));
  return std::move(w).Finish();
}

Bytes ServerDakeT(const crypto::Backend& backend, DakeTranscript which,
                  ByteView client_profile_encoding, ByteView composite_identity_encoding,
                  const v4::Point& i, const v4::Point& s, ByteView phi) {
  const bool dake2 = which == DakeTranscript::kDake2;
  Bytes t;
  t.reserve(1 + 3 * kHashSize + 2 * crypto::kEd448PointSize);
  t.push_back(static_cast<uint8_t>(which));
  AppendKdf(backend,
            dake2 ? PrekeyUsage::kInitiatorClientProfile : PrekeyUsage::kReceiverClientProfile,
            client_profile_encoding, t);
  AppendKdf(backend,
            dake2 ? PrekeyUsage::kInitiatorPrekeyCompositeIdentity
                  : PrekeyUsage::kReceiverPrekeyCompositeIdentity,
            composite_identity_encoding, t);
  t.insert(t.end(), i.begin(), i.end());
  t.insert(t.end(), s.begin(), s.end());
  AppendKdf(
      backend,
      dake2 ? PrekeyUsage::kInitiatorPrekeyCompositePhi : PrekeyUsage::kReceiverPrekeyCompositePhi,
      phi, t);
  return t;
}

Result<SecretBytes> ServerDakeSharedSecret(const crypto::Backend& backend,
                                           const SecretBytes& our_secret,
                                           const crypto::Ed448Point& their_public) {
  // "SK_ecdh = ECDH(s, I)" / "ECDH(i, S)", where this spec's "Generating
  // Shared Secrets" first sets "B = B * cofactor" (OTRv4's does not; decision
  // 0012), then a * B with the all-zero check as OTRv4's ECDH.
  const crypto::Ed448Point two = backend.Ed448Add(their_public, their_public);
  const crypto::Ed448Point four = backend.Ed448Add(two, two);
  OTR_ASSIGN_OR_RETURN(const SecretBytes sk_ecdh, v4::ratchet::Ecdh(backend, our_secret, four));
  // "SK = KDF(usage_SK, SK_ecdh, 64)".
  return v4::PrekeyKdf(backend, PrekeyUsage::kSk, {sk_ecdh.view()}, kSharedSecretSize);
}

SecretBytes PrekeyMacKey(const crypto::Backend& backend, const SecretBytes& sk) {
  return v4::PrekeyKdf(backend, PrekeyUsage::kPreMacKey, {sk.view()}, kPrekeyMacKeySize);
}

v4::Mac PrekeyPublicationMac(const crypto::Backend& backend, const SecretBytes& mac_key,
                             const PrekeyPublicationMacParts& parts) {
  // KDF(usage_preMAC, prekey_mac_k || message type || N ||
  //     KDF(usage_prekey_message, Prekey Messages, 64) || K ||
  //     [KDF(usage_client_profile, Client Profile, 64)] || J ||
  //     [KDF(usage_prekey_profile, Prekey Profile, 64)] ||
  //     KDF(usage_mac_proofs, Proofs, 64), 64)
  Bytes in;
  in.push_back(parts.message_type);
  in.push_back(parts.n);
  AppendKdf(backend, PrekeyUsage::kPrekeyMessage, parts.prekey_messages, in);
  in.push_back(parts.k);
  if (parts.k == 1) AppendKdf(backend, PrekeyUsage::kClientProfile, parts.client_profile, in);
  in.push_back(parts.j);
  if (parts.j == 1) AppendKdf(backend, PrekeyUsage::kPrekeyProfile, parts.prekey_profile, in);
  AppendKdf(backend, PrekeyUsage::kMacProofs, parts.proofs, in);
  return MacOver(backend, PrekeyUsage::kPreMac, mac_key, in);
}

v4::Mac StorageInformationMac(const crypto::Backend& backend, const SecretBytes& mac_key) {
  return MacOver(backend, PrekeyUsage::kStorageInfoMac, mac_key, StorageInformationMacInput());
}

v4::Mac StorageStatusMac(const crypto::Backend& backend, const SecretBytes& mac_key,
                         const StorageStatus& m) {
  return MacOver(backend, PrekeyUsage::kStatusMac, mac_key, StatusMacInput(m));
}

v4::Mac SuccessMac(const crypto::Backend& backend, const SecretBytes& mac_key, const Success& m) {
  return MacOver(backend, PrekeyUsage::kSuccessMac, mac_key, SuccessMacInput(m));
}

v4::Mac FailureMac(const crypto::Backend& backend, const SecretBytes& mac_key, const Failure& m) {
  return MacOver(backend, PrekeyUsage::kFailureMac, mac_key, FailureMacInput(m));
}

bool MacEqual(const v4::Mac& a, const v4::Mac& b) { return crypto::ConstantTimeEqual(a, b); }

}  // namespace otr::prekey
