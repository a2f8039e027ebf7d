// The arithmetic behind the toolkit subcommands (libotr's otr_mackey,
// otr_sesskeys, otr_readforge, otr_modify, otr_remac), shared with the
// deniability property tests. Everything here works on public transcript
// data plus whatever key the caller supplies; nothing is session state.
//
// otr v3 spec, "Data Message": the message is AES-128 in counter mode (so
// flipping ciphertext bits flips the same plaintext bits) and is
// authenticated by SHA1-HMAC under a key that "Revealing MAC keys" later
// publishes. That pair of facts is OTR's deniability.
#ifndef OTR_TOOLS_FORGERY_H_
#define OTR_TOOLS_FORGERY_H_

#include <array>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "protocol/v3/messages.h"

namespace otr::tools {

// "?OTR:<base64>." holding a v2/v3 Data Message (kUnknownType otherwise).
Result<v3::DataMessage> DecodeArmoredDataMessage(std::string_view text);
std::string EncodeArmoredDataMessage(const v3::DataMessage& message);

// "The MAC key is the SHA-1 hash of the AES key" (v3 spec, "Computing AES
// keys, MAC keys, and the secure session id").
crypto::SecretBytes MacKeyFromAesKey(const crypto::Backend& backend,
                                     const crypto::SecretBytes& aes_key);

// SHA1-HMAC over "everything from the Protocol version to the end of the
// encrypted message", under `mac_key`.
v3::Mac Authenticator(const crypto::Backend& backend, ByteView mac_key,
                      const v3::DataMessage& message);
bool Authenticates(const crypto::Backend& backend, ByteView mac_key,
                   const v3::DataMessage& message);
// Replaces the message's MAC with Authenticator(mac_key, message).
void Remac(const crypto::Backend& backend, ByteView mac_key, v3::DataMessage& message);

// AES-128-CTR with the message's counter: decrypts (or, with new text,
// encrypts) the message's payload.
Result<Bytes> DecryptPayload(const crypto::Backend& backend, const crypto::SecretBytes& aes_key,
                             const v3::DataMessage& message);
Status ReplacePayload(const crypto::Backend& backend, const crypto::SecretBytes& aes_key,
                      ByteView new_payload, v3::DataMessage& message);

// Counter-mode malleability, no key needed: where the payload holds
// `known` at `offset`, make it hold `replacement` (same length) by XORing
// known ^ replacement into the ciphertext. kOutOfRange if the lengths
// differ or the span does not fit in the payload.
Status ModifyAtOffset(v3::DataMessage& message, size_t offset, ByteView known,
                      ByteView replacement);
// The same edit on any stream-cipher text (v4's ChaCha20 too): the spec's
// "Modify an Encrypted Data Message" loop.
Status XorKnownText(Bytes& ciphertext, size_t offset, ByteView known, ByteView replacement);

// What otr_sesskeys prints: from our D-H secret x and their g^y.
struct SessionKeys {
  std::array<uint8_t, 8> ssid{};
  bool we_are_high = false;  // our g^x > their g^y: sendbyte 0x01
  crypto::SecretBytes send_aes, send_mac, recv_aes, recv_mac;
  crypto::SecretBytes c, c_prime, m1, m2, m1_prime, m2_prime;
  Bytes our_public;
};
Result<SessionKeys> DeriveSessionKeys(const crypto::Backend& backend,
                                      const crypto::SecretBytes& our_secret, ByteView their_public);

// Command-line helpers: hex in and out, and stdin as one string (trailing
// newlines and spaces removed).
Result<Bytes> ParseHex(std::string_view hex);
std::string Hex(ByteView bytes);
std::string ReadStdin();

}  // namespace otr::tools

#endif  // OTR_TOOLS_FORGERY_H_
