#include "protocol/v4/crypto/kdf.h"

#include <algorithm>
#include <array>
#include <vector>

namespace otr::v4 {

// otrv4.md, "Key Derivation Function, Hash Function and MAC Function".
const std::array<UsageName<Usage>, 27> kAllUsages = {{
    {Usage::kFingerprint, "usage_fingerprint"},
    {Usage::kThirdBraceKey, "usage_third_brace_key"},
    {Usage::kBraceKey, "usage_brace_key"},
    {Usage::kSharedSecret, "usage_shared_secret"},
    {Usage::kSsid, "usage_SSID"},
    {Usage::kAuthRBobClientProfile, "usage_auth_r_bob_client_profile"},
    {Usage::kAuthRAliceClientProfile, "usage_auth_r_alice_client_profile"},
    {Usage::kAuthRPhi, "usage_auth_r_phi"},
    {Usage::kAuthIBobClientProfile, "usage_auth_i_bob_client_profile"},
    {Usage::kAuthIAliceClientProfile, "usage_auth_i_alice_client_profile"},
    {Usage::kAuthIPhi, "usage_auth_i_phi"},
    {Usage::kFirstRootKey, "usage_first_root_key"},
    {Usage::kTmpKey, "usage_tmp_key"},
    {Usage::kAuthMacKey, "usage_auth_MAC_key"},
    {Usage::kNonIntAuthBobClientProfile, "usage_non_int_auth_bob_client_profile"},
    {Usage::kNonIntAuthAliceClientProfile, "usage_non_int_auth_alice_client_profile"},
    {Usage::kNonIntAuthPhi, "usage_non_int_auth_phi"},
    {Usage::kAuthMac, "usage_auth_MAC"},
    {Usage::kRootKey, "usage_root_key"},
    {Usage::kChainKey, "usage_chain_key"},
    {Usage::kNextChainKey, "usage_next_chain_key"},
    {Usage::kMessageKey, "usage_message_key"},
    {Usage::kMacKey, "usage_MAC_key"},
    {Usage::kExtraSymmKey, "usage_extra_symm_key"},
    {Usage::kAuthenticator, "usage_authenticator"},
    {Usage::kSmpSecret, "usage_SMP_secret"},
    {Usage::kAuth, "usage_auth"},
}};

// otr-v4-prekey-server.md, "Key Derivation Functions".
const std::array<UsageName<PrekeyUsage>, 24> kAllPrekeyUsages = {{
    {PrekeyUsage::kFingerprint, "usage_Fingerprint"},
    {PrekeyUsage::kSk, "usage_SK"},
    {PrekeyUsage::kInitiatorClientProfile, "usage_initiator_client_profile"},
    {PrekeyUsage::kInitiatorPrekeyCompositeIdentity, "usage_initiator_prekey_composite_identity"},
    {PrekeyUsage::kInitiatorPrekeyCompositePhi, "usage_initiator_prekey_composite_PHI"},
    {PrekeyUsage::kReceiverClientProfile, "usage_receiver_client_profile"},
    {PrekeyUsage::kReceiverPrekeyCompositeIdentity, "usage_receiver_prekey_composite_identity"},
    {PrekeyUsage::kReceiverPrekeyCompositePhi, "usage_receiver_prekey_composite_PHI"},
    {PrekeyUsage::kPreMacKey, "usage_preMAC_key"},
    {PrekeyUsage::kPreMac, "usage_preMAC"},
    {PrekeyUsage::kStorageInfoMac, "usage_storage_info_MAC"},
    {PrekeyUsage::kStatusMac, "usage_status_MAC"},
    {PrekeyUsage::kSuccessMac, "usage_success_MAC"},
    {PrekeyUsage::kFailureMac, "usage_failure_MAC"},
    {PrekeyUsage::kPrekeyMessage, "usage_prekey_message"},
    {PrekeyUsage::kClientProfile, "usage_client_profile"},
    {PrekeyUsage::kPrekeyProfile, "usage_prekey_profile"},
    {PrekeyUsage::kAuth, "usage_auth"},
    {PrekeyUsage::kProofContext, "usage_proof_context"},
    {PrekeyUsage::kProofMessageEcdh, "usage_proof_message_ecdh"},
    {PrekeyUsage::kProofMessageDh, "usage_proof_message_dh"},
    {PrekeyUsage::kProofSharedEcdh, "usage_proof_shared_ecdh"},
    {PrekeyUsage::kMacProofs, "usage_mac_proofs"},
    {PrekeyUsage::kProofCLambda, "usage_proof_c_lambda"},
}};

namespace {

template <typename UsageT, size_t N>
std::string_view Lookup(const std::array<UsageName<UsageT>, N>& table, UsageT usage) {
  for (const auto& entry : table) {
    if (entry.usage == usage) return entry.name;
  }
  return "unknown usage";
}

crypto::SecretBytes Shake(const crypto::Backend& backend, std::string_view domain, uint8_t usage_id,
                          std::initializer_list<ByteView> values, size_t size) {
  crypto::SecretBytes out(size);
  DomainShake256(backend, domain, usage_id, values, out.mutable_view());
  return out;
}

}  // namespace

std::string_view SpecName(Usage usage) { return Lookup(kAllUsages, usage); }
std::string_view SpecName(PrekeyUsage usage) { return Lookup(kAllPrekeyUsages, usage); }

void DomainShake256(const crypto::Backend& backend, std::string_view domain, uint8_t usage_id,
                    std::initializer_list<ByteView> values, MutableByteView out) {
  // domain || usage_id || values, handed over at once (Shake256Of). The
  // spec's KDF inputs have a handful of values: they fit on the stack.
  constexpr size_t kOnStack = 16;
  const size_t count = values.size() + 2;
  std::array<ByteView, kOnStack> small;
  std::vector<ByteView> large(count > kOnStack ? count : 0);
  const std::span<ByteView> parts =
      count > kOnStack ? std::span<ByteView>(large) : std::span<ByteView>(small).first(count);
  parts[0] = AsBytes(domain);
  parts[1] = ByteView(&usage_id, 1);
  std::copy(values.begin(), values.end(), parts.begin() + 2);
  backend.Shake256Of(parts, out);
}

crypto::SecretBytes Kdf(const crypto::Backend& backend, Usage usage,
                        std::initializer_list<ByteView> values, size_t size) {
  return Shake(backend, kOtrv4Domain, static_cast<uint8_t>(usage), values, size);
}

Bytes Hwc(const crypto::Backend& backend, Usage usage, std::initializer_list<ByteView> values,
          size_t size) {
  Bytes out(size);
  HwcInto(backend, usage, values, out);
  return out;
}

crypto::SecretBytes Hcmac(const crypto::Backend& backend, Usage usage,
                          std::initializer_list<ByteView> values, size_t size) {
  crypto::SecretBytes out(size);
  HcmacInto(backend, usage, values, out.mutable_view());
  return out;
}

void HwcInto(const crypto::Backend& backend, Usage usage, std::initializer_list<ByteView> values,
             MutableByteView out) {
  DomainShake256(backend, kOtrv4Domain, static_cast<uint8_t>(usage), values, out);
}

void HcmacInto(const crypto::Backend& backend, Usage usage, std::initializer_list<ByteView> values,
               MutableByteView out) {
  DomainShake256(backend, kOtrv4Domain, static_cast<uint8_t>(usage), values, out);
}

crypto::SecretBytes PrekeyKdf(const crypto::Backend& backend, PrekeyUsage usage,
                              std::initializer_list<ByteView> values, size_t size) {
  return Shake(backend, kPrekeyServerDomain, static_cast<uint8_t>(usage), values, size);
}

}  // namespace otr::v4
