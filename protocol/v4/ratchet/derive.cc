#include "protocol/v4/ratchet/derive.h"

#include <array>
#include <cstdint>

#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/crypto/kdf.h"

namespace otr::v4::ratchet {

using crypto::SecretBytes;

Result<SecretBytes> Ecdh(const crypto::Backend& backend, const SecretBytes& a,
                         const crypto::Ed448Point& their_public) {
  // otrv4.md, "Generating Shared Secrets": K_ecdh = a * B; "Check, without
  // leaking extra information about the value of K_ecdh, whether K_ecdh is
  // the all-zero value and abort if so".
  crypto::Ed448Encoding encoded = backend.Ed448Encode(backend.Ed448Mul(their_public, a));
  SecretBytes k_ecdh{ByteView(encoded)};
  crypto::SecureWipe(encoded.data(), encoded.size());
  const crypto::Ed448Encoding identity = backend.Ed448Encode(backend.Ed448Identity());
  static constexpr std::array<uint8_t, crypto::kEd448PointSize> kZero{};
  if (crypto::ConstantTimeEqual(k_ecdh.view(), identity) ||
      crypto::ConstantTimeEqual(k_ecdh.view(), kZero)) {
    return MakeError(ErrorCode::kIdentityPoint, "ECDH: all-zero shared secret");
  }
  return k_ecdh;
}

SecretBytes BraceKeyFromDh(const crypto::Backend& backend, const SecretBytes& k_dh) {
  return Kdf(backend, Usage::kThirdBraceKey, {k_dh.view()}, kBraceKeySize);
}

Result<SecretBytes> DhBraceKey(const crypto::Backend& backend, const SecretBytes& our_dh_secret,
                               ByteView their_dh) {
  // "Calculate k_dh = DH(our_dh.secret, their_dh). Calculate a brace_key =
  // KDF(usage_third_brace_key || k_dh, 32). Securely delete k_dh."
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_dh, DhSharedSecret(backend, our_dh_secret, their_dh));
  return BraceKeyFromDh(backend, k_dh);
}

Result<SecretBytes> DhBraceKeyOfChecked(const crypto::Backend& backend,
                                        const SecretBytes& our_dh_secret,
                                        ByteView checked_their_dh) {
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_dh,
                       DhSharedSecretOfChecked(backend, our_dh_secret, checked_their_dh));
  return BraceKeyFromDh(backend, k_dh);
}

SecretBytes NextBraceKey(const crypto::Backend& backend, const SecretBytes& brace_key) {
  return Kdf(backend, Usage::kBraceKey, {brace_key.view()}, kBraceKeySize);
}

SecretBytes MixedSharedSecret(const crypto::Backend& backend, const SecretBytes& k_ecdh,
                              const SecretBytes& brace_key) {
  return Kdf(backend, Usage::kSharedSecret, {k_ecdh.view(), brace_key.view()}, kSharedSecretSize);
}

SecretBytes FirstRootKey(const crypto::Backend& backend, const SecretBytes& k) {
  return Kdf(backend, Usage::kFirstRootKey, {k.view()}, kRootKeySize);
}

RatchetKeys DeriveRatchetKeys(const crypto::Backend& backend, const SecretBytes& prev_root_key,
                              const SecretBytes& k) {
  return RatchetKeys{
      .root_key = Kdf(backend, Usage::kRootKey, {prev_root_key.view(), k.view()}, kRootKeySize),
      .chain_key = Kdf(backend, Usage::kChainKey, {prev_root_key.view(), k.view()}, kChainKeySize),
  };
}

SecretBytes NextChainKey(const crypto::Backend& backend, const SecretBytes& chain_key) {
  return Kdf(backend, Usage::kNextChainKey, {chain_key.view()}, kChainKeySize);
}

SecretBytes DeriveMessageKey(const crypto::Backend& backend, const SecretBytes& chain_key) {
  return Kdf(backend, Usage::kMessageKey, {chain_key.view()}, kMessageKeySize);
}

SecretBytes DeriveMacKey(const crypto::Backend& backend, const SecretBytes& mk_enc) {
  return Kdf(backend, Usage::kMacKey, {mk_enc.view()}, kMacKeySize);
}

SecretBytes ExtraSymmetricKey(const crypto::Backend& backend, const SecretBytes& chain_key) {
  static constexpr uint8_t kMagic[1] = {0xFF};
  return Kdf(backend, Usage::kExtraSymmKey, {ByteView(kMagic), chain_key.view()},
             kExtraSymmetricKeySize);
}

SecretBytes NextExtraSymmetricKey(const crypto::Backend& backend, uint8_t index, uint32_t context,
                                  const SecretBytes& previous) {
  const std::array<uint8_t, 4> use = {
      static_cast<uint8_t>(context >> 24), static_cast<uint8_t>(context >> 16),
      static_cast<uint8_t>(context >> 8), static_cast<uint8_t>(context)};
  SecretBytes next(kExtraSymmetricKeySize);
  DomainShake256(backend, kOtrv4Domain, index, {ByteView(use), previous.view()},
                 next.mutable_view());
  return next;
}

void AuthenticatorInto(const crypto::Backend& backend, const SecretBytes& mk_mac, ByteView sections,
                       std::span<uint8_t, kAuthenticatorSize> out) {
  HcmacInto(backend, Usage::kAuthenticator, {mk_mac.view(), sections}, out);
}

SecretBytes Authenticator(const crypto::Backend& backend, const SecretBytes& mk_mac,
                          ByteView sections) {
  SecretBytes out(kAuthenticatorSize);
  AuthenticatorInto(backend, mk_mac, sections,
                    std::span<uint8_t, kAuthenticatorSize>(out.data(), kAuthenticatorSize));
  return out;
}

Result<Bytes> ChaCha20(const crypto::Backend& backend, const SecretBytes& mk_enc, ByteView in) {
  if (mk_enc.size() < kEncryptionKeySize) {
    return MakeError(ErrorCode::kInvalidKey, "ChaCha20: MKenc too short");
  }
  const SecretBytes key(mk_enc.view().first(kEncryptionKeySize));
  static constexpr std::array<uint8_t, crypto::kChaCha20NonceSize> kNonce{};
  Bytes out(in.size());
  OTR_RETURN_IF_ERROR(backend.ChaCha20(key, kNonce, 0, in, out));
  return out;
}

Result<SecretBytes> ChaCha20Open(const crypto::Backend& backend, const SecretBytes& mk_enc,
                                 ByteView in) {
  if (mk_enc.size() < kEncryptionKeySize) {
    return MakeError(ErrorCode::kInvalidKey, "ChaCha20: MKenc too short");
  }
  const SecretBytes key(mk_enc.view().first(kEncryptionKeySize));
  static constexpr std::array<uint8_t, crypto::kChaCha20NonceSize> kNonce{};
  SecretBytes out(in.size());
  OTR_RETURN_IF_ERROR(backend.ChaCha20(key, kNonce, 0, in, out.mutable_view()));
  return out;
}

}  // namespace otr::v4::ratchet
