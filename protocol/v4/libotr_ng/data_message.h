// libotr-ng's Data Message and its message keys (issue 20), for the
// `libotr-ng` compatibility profile. Differences from otrv4.md
// (docs/libotr-ng-deviations.md):
//   #5  a random 24-byte nonce travels between the Public DH Key and the
//       Encrypted message, and the message is XSalsa20 under it with the
//       first 32 bytes of MKenc (protocol.c, encrypt_data_message;
//       libsodium's crypto_stream_xor); the spec has ChaCha20, nonce 0;
//   #6  the revealed MAC keys follow the MAC raw, no DATA length
//       (protocol.c, serialize_and_encode_data_message);
//   #12 the message keys (key_management.c, derive_encryption_and_mac_keys,
//       calculate_extra_key, otrng_key_manager_calculate_authenticator):
//         MKenc = SHAKE-256("OTRv4" || 0x17 || chain_key, 64)
//         MKmac = SHAKE-256("OTRv4" || 0x18 || MKenc, 64)
//         extra_symm_key = SHAKE-256("OTRv4" || 0x19 || 0xFF || chain_key, 64)
//         Authenticator = SHAKE-256("OTRv4" || 0x1A || MKmac || body, 64)
//       where body is the message up to the MAC; the spec's usage IDs are
//       0x15, 0x16, 0x17 and 0x18 ("Calculating Encryption and MAC Keys",
//       "When you send a Data Message"); the sizes agree.
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_DATA_MESSAGE_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_DATA_MESSAGE_H_

#include <array>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"

namespace otr::v4::libotr_ng {

inline constexpr size_t kNonceSize = 24;       // DATA_MSG_NONCE_BYTES
inline constexpr size_t kChainKeySize = 64;    // CHAIN_KEY_BYTES
inline constexpr size_t kMessageKeySize = 64;  // ENC_KEY_BYTES, MAC_KEY_BYTES
inline constexpr size_t kMacSize = 64;         // DATA_MSG_MAC_BYTES
inline constexpr size_t kExtraSymmetricKeySize = 64;

struct DataMessage {
  uint32_t sender_tag = 0, receiver_tag = 0;
  uint8_t flags = 0;
  uint32_t previous_chain_length = 0;  // pn
  uint32_t ratchet_id = 0;             // i
  uint32_t message_id = 0;             // j
  std::array<uint8_t, 57> ecdh{};      // POINT
  crypto::DhPublic dh;                 // a 3072-bit value (empty: length zero)
  std::array<uint8_t, kNonceSize> nonce{};
  Bytes encrypted_message;  // DATA
  std::array<uint8_t, kMacSize> mac{};
  std::vector<std::array<uint8_t, kMacSize>> revealed_mac_keys;  // raw
};

// The bytes the Authenticator covers: the message up to the MAC.
Bytes EncodeBody(const DataMessage& m);
// The whole message: body, MAC, revealed keys.
Bytes Encode(const DataMessage& m);
// kTruncated / kTrailingBytes-style errors for anything else; the header
// must be version 4, type 0x03.
Result<DataMessage> Decode(ByteView bytes);

// libotr-ng's shake_256_kdf1 (shake_256_kdf1, shake.c): SHAKE-256("OTRv4"
// || usage || values, size), the spec's KDF with a raw usage byte (its usage
// IDs are not the spec's, #12, #16).
crypto::SecretBytes Kdf1(const crypto::Backend& backend, uint8_t usage,
                         std::initializer_list<ByteView> values, size_t size);

struct MessageKeys {
  crypto::SecretBytes enc;  // 64 bytes; XSalsa20 takes the first 32
  crypto::SecretBytes mac;  // 64 bytes
};
MessageKeys DeriveMessageKeys(const crypto::Backend& backend, const crypto::SecretBytes& chain_key);
crypto::SecretBytes ExtraSymmetricKey(const crypto::Backend& backend,
                                      const crypto::SecretBytes& chain_key);
std::array<uint8_t, kMacSize> Authenticator(const crypto::Backend& backend,
                                            const crypto::SecretBytes& mac_key, ByteView body);

// Fills nonce, encrypted_message and mac of `m` (its other fields set) for
// `plaintext` under the keys of `chain_key`.
Status Seal(const crypto::Backend& backend, const crypto::SecretBytes& chain_key,
            ByteView plaintext, crypto::Random& random, DataMessage& m);
// The same with the message keys derived and m.nonce already set.
Status SealWithKeys(const crypto::Backend& backend, const MessageKeys& keys, ByteView plaintext,
                    DataMessage& m);
// Checks the MAC (constant time; kBadMac) and decrypts.
Result<crypto::SecretBytes> Open(const crypto::Backend& backend,
                                 const crypto::SecretBytes& chain_key, const DataMessage& m);
// The same with the message keys already derived (a stored skipped key).
Result<crypto::SecretBytes> OpenWithKeys(const crypto::Backend& backend, const MessageKeys& keys,
                                         const DataMessage& m);

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_DATA_MESSAGE_H_
