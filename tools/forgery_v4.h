// The OTRv4 side of the forgery toolkit (otrv4.md, "Forging Transcripts" and
// appendix "Modify an Encrypted Data Message"), through protocol/v4's own
// functions ("These forging operations must use the same functions used for
// honest conversations"): the KDFs of protocol/v4/ratchet/derive.h, the
// Authenticator over v4::DataMessageMacInput, ChaCha20 with nonce 0, and
// protocol/v4/dake/forge.h for whole DAKE transcripts. Public transcript data
// plus whatever key the caller supplies; nothing is session state.
//
// A v4 Data Message is ChaCha20 under MKenc (so flipping ciphertext bits
// flips the same plaintext bits) and authenticated under
// MKmac = KDF(usage_MAC_key || MKenc, 64), which "Revealing MAC Keys" later
// publishes in the receiver's Data Messages.
#ifndef OTR_TOOLS_FORGERY_V4_H_
#define OTR_TOOLS_FORGERY_V4_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "protocol/prekey/messages/messages.h"
#include "protocol/v4/messages/messages.h"

namespace otr::tools {

// "?OTR:<base64>." holding an OTRv4 Data Message (kUnknownType otherwise).
Result<v4::DataMessage> DecodeArmoredV4DataMessage(std::string_view text);
std::string EncodeArmoredV4Message(const v4::Message& message);

// "Read and Forge": MKenc = KDF(usage_message_key || chain_key, 64).
crypto::SecretBytes MessageKeyFromChainKey(const crypto::Backend& backend,
                                           const crypto::SecretBytes& chain_key);
// "Show MAC Key": MKmac = KDF(usage_MAC_key || MKenc, 64).
crypto::SecretBytes MacKeyFromMessageKey(const crypto::Backend& backend,
                                         const crypto::SecretBytes& mk_enc);

// The Authenticator under `mac_key` (MKmac, 64 bytes), and "ReMAC Message".
bool Authenticates(const crypto::Backend& backend, ByteView mac_key,
                   const v4::DataMessage& message);
void Remac(const crypto::Backend& backend, ByteView mac_key, v4::DataMessage& message);

// ChaCha20 under the first 32 bytes of MKenc, nonce 0: the plaintext (the
// message, NUL, TLVs), or new plaintext encrypted into the message.
Result<Bytes> DecryptPayload(const crypto::Backend& backend, const crypto::SecretBytes& mk_enc,
                             const v4::DataMessage& message);
Status ReplacePayload(const crypto::Backend& backend, const crypto::SecretBytes& mk_enc,
                      ByteView new_payload, v4::DataMessage& message);

// "Modify Data Message" without a key: XOR known ^ replacement into the
// encrypted message at `offset` (kOutOfRange if it does not fit).
Status ModifyAtOffset(v4::DataMessage& message, size_t offset, ByteView known,
                      ByteView replacement);

// The DAKE found in a transcript's text: the first Identity, Auth-R and
// Auth-I messages ("?OTR:" anywhere on a line, so "alice: ?OTR:..." lines of
// `otr transcript` work); for the non-interactive DAKE the first
// Non-Interactive-Auth and the prekey server's first Prekey Ensemble
// Retrieval (a "server: <base64>." line, as `otr transcript --v4 --offline`
// prints it). Missing ones stay empty.
struct DakeTranscript {
  std::optional<v4::IdentityMessage> identity;
  std::optional<v4::AuthR> auth_r;
  std::optional<v4::AuthI> auth_i;
  std::optional<v4::NonInteractiveAuth> non_interactive_auth;
  std::optional<prekey::PrekeyEnsembleRetrieval> retrieval;
};
DakeTranscript FindDake(std::string_view text);

}  // namespace otr::tools

#endif  // OTR_TOOLS_FORGERY_V4_H_
