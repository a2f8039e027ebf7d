// The key derivations of the double ratchet (otrv4.md, "Key Management"),
// each one line of the spec, through protocol/v4/crypto's KDF:
//   "Generating Shared Secrets":          ECDH(a, B) with the all-zero check
//   "Shared Secrets":                     brace_key, K
//   "Deriving Double Ratchet Keys":       derive_ratchet_keys
//   "Calculating Encryption and MAC Keys": derive_enc_mac_keys
//   "When you send a Data Message":       the next chain key, the extra
//                                         symmetric key, ChaCha20 with nonce
//                                         0, the Authenticator
// Every output is a SecretBytes; the inputs are not modified.
#ifndef OTR_PROTOCOL_V4_RATCHET_DERIVE_H_
#define OTR_PROTOCOL_V4_RATCHET_DERIVE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"

namespace otr::v4::ratchet {

inline constexpr size_t kRootKeySize = 64;       // KDF(usage_root_key || ..., 64)
inline constexpr size_t kChainKeySize = 64;      // KDF(usage_chain_key || ..., 64)
inline constexpr size_t kSharedSecretSize = 64;  // K = KDF(usage_shared_secret || ..., 64)
inline constexpr size_t kBraceKeySize = 32;      // KDF(usage_brace_key || ..., 32)
inline constexpr size_t kMessageKeySize = 64;    // MKenc
inline constexpr size_t kMacKeySize = 64;        // MKmac
inline constexpr size_t kExtraSymmetricKeySize = 64;
inline constexpr size_t kAuthenticatorSize = 64;  // MAC
// "Use only the first 32 bytes of MKenc to encrypt the message".
inline constexpr size_t kEncryptionKeySize = 32;

// ECDH(a, B): K_ecdh = a * B serialized as a POINT; kIdentityPoint when it is
// the all-zero value (the identity), checked in constant time.
Result<crypto::SecretBytes> Ecdh(const crypto::Backend& backend, const crypto::SecretBytes& a,
                                 const crypto::Ed448Point& their_public);

// k_dh = DH(our_dh.secret, their_dh) (their_dh checked to be in the group),
// then brace_key = KDF(usage_third_brace_key || k_dh, 32); k_dh is wiped.
Result<crypto::SecretBytes> DhBraceKey(const crypto::Backend& backend,
                                       const crypto::SecretBytes& our_dh_secret, ByteView their_dh);
// The same for a their_dh the DAKE already checked on receipt
// (DhSharedSecretOfChecked, decision 0033).
Result<crypto::SecretBytes> DhBraceKeyOfChecked(const crypto::Backend& backend,
                                                const crypto::SecretBytes& our_dh_secret,
                                                ByteView checked_their_dh);

// brace_key = KDF(usage_third_brace_key || k_dh, 32) (every third ratchet).
crypto::SecretBytes BraceKeyFromDh(const crypto::Backend& backend, const crypto::SecretBytes& k_dh);
// brace_key = KDF(usage_brace_key || brace_key, 32) (the other ratchets).
crypto::SecretBytes NextBraceKey(const crypto::Backend& backend,
                                 const crypto::SecretBytes& brace_key);

// K = KDF(usage_shared_secret || K_ecdh || brace_key, 64).
crypto::SecretBytes MixedSharedSecret(const crypto::Backend& backend,
                                      const crypto::SecretBytes& k_ecdh,
                                      const crypto::SecretBytes& brace_key);

// prev_root_key = KDF(usage_first_root_key || K, 64) (interactive DAKE).
crypto::SecretBytes FirstRootKey(const crypto::Backend& backend, const crypto::SecretBytes& k);

// derive_ratchet_keys(purpose, prev_root_key, K):
//   curr_root_key = KDF(usage_root_key || prev_root_key || K, 64)
//   chain_key     = KDF(usage_chain_key || prev_root_key || K, 64)
// The non-interactive DAKE uses the same with no prev_root_key
// (KDF(usage_root_key || K, 64), KDF(usage_chain_key || K, 64)): pass an
// empty prev_root_key.
struct RatchetKeys {
  crypto::SecretBytes root_key;
  crypto::SecretBytes chain_key;
};
RatchetKeys DeriveRatchetKeys(const crypto::Backend& backend,
                              const crypto::SecretBytes& prev_root_key,
                              const crypto::SecretBytes& k);

// chain_key[n+1] = KDF(usage_next_chain_key || chain_key[n], 64).
crypto::SecretBytes NextChainKey(const crypto::Backend& backend,
                                 const crypto::SecretBytes& chain_key);

// derive_enc_mac_keys(chain_key):
//   MKenc = KDF(usage_message_key || chain_key, 64)
//   MKmac = KDF(usage_MAC_key || MKenc, 64)
crypto::SecretBytes DeriveMessageKey(const crypto::Backend& backend,
                                     const crypto::SecretBytes& chain_key);
crypto::SecretBytes DeriveMacKey(const crypto::Backend& backend, const crypto::SecretBytes& mk_enc);

// extra_symm_key = KDF(usage_extra_symm_key || 0xFF || chain_key, 64).
crypto::SecretBytes ExtraSymmetricKey(const crypto::Backend& backend,
                                      const crypto::SecretBytes& chain_key);

// One message's extra symmetric key, derived when asked for: the sender
// derives it "if needed" (otrv4.md "When you send a Data Message"), and a
// received message needs it only when it carries a TLV 7, so the KDF is not
// paid on every message (decision 0044). Holds the chain key the message
// used (or, for a stored skipped key, the stored extra key itself), wiped
// when dropped; it never goes back into the ratchet.
class ExtraKeySource {
 public:
  ExtraKeySource() = default;
  // The chain key the message used, moved in by the ratchet when it is done
  // with it (no copy).
  static ExtraKeySource OfChainKey(crypto::SecretBytes chain_key) {
    ExtraKeySource source;
    source.chain_key_ = std::move(chain_key);
    return source;
  }
  static ExtraKeySource OfKey(crypto::SecretBytes key) {
    ExtraKeySource source;
    source.key_ = std::move(key);
    return source;
  }
  bool empty() const { return chain_key_.empty() && key_.empty(); }
  // The key; empty when the source is.
  crypto::SecretBytes Derive(const crypto::Backend& backend) const {
    if (!chain_key_.empty()) return ExtraSymmetricKey(backend, chain_key_);
    return key_;
  }

 private:
  crypto::SecretBytes chain_key_;
  crypto::SecretBytes key_;
};

// "Extra Symmetric Key", more keys from one message's:
//   extra_sym_key_n = KDF(index || context || extra_sym_key_{n-1}, 64)
// index: the TLV 7's position in the message's TLV list, one byte (where
// KDF takes its usage ID; the spec's example writes 0x01); context: its
// 4-byte use, big-endian. README.md, "Chained extra symmetric keys".
inline constexpr size_t kMaxExtraSymmetricKeys = 10;  // "only 10 extra symmetric keys"
crypto::SecretBytes NextExtraSymmetricKey(const crypto::Backend& backend, uint8_t index,
                                          uint32_t context, const crypto::SecretBytes& previous);

// Authenticator = HCMAC(usage_authenticator || MKmac || data_message_sections, 64)
// (the spec writes HWMAC; "Key Derivation Function, Hash Function and MAC
// Function" defines HCMAC for MACs, and the two compute the same).
crypto::SecretBytes Authenticator(const crypto::Backend& backend, const crypto::SecretBytes& mk_mac,
                                  ByteView sections);
// The same into `out` (kAuthenticatorSize bytes), no heap buffer: the
// sender writes it into the message, the receiver into a local it wipes.
void AuthenticatorInto(const crypto::Backend& backend, const crypto::SecretBytes& mk_mac,
                       ByteView sections, std::span<uint8_t, kAuthenticatorSize> out);

// Chacha20_Enc(MKenc, nonce, m) / ChaCha20_Dec: the first 32 bytes of MKenc,
// "Set nonce to 0" (12 zero bytes), block counter 0 (the spec names none;
// RFC 7539's stream starts at 0).
Result<Bytes> ChaCha20(const crypto::Backend& backend, const crypto::SecretBytes& mk_enc,
                       ByteView in);
// The same, decrypting: the plaintext in a SecretBytes (wiped when dropped).
Result<crypto::SecretBytes> ChaCha20Open(const crypto::Backend& backend,
                                         const crypto::SecretBytes& mk_enc, ByteView in);

}  // namespace otr::v4::ratchet

#endif  // OTR_PROTOCOL_V4_RATCHET_DERIVE_H_
