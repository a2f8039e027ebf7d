// The double ratchet's variables as data (otrv4.md, "Key Management": "State
// variables" and "Key variables"). Secrets are SecretBytes, wiped when
// replaced or dropped. How the spec's ratchet id `i` is read here (and why
// max_remote_i_seen is not needed) is in README.md, "Ratchet ids".
#ifndef OTR_PROTOCOL_V4_RATCHET_STATE_H_
#define OTR_PROTOCOL_V4_RATCHET_STATE_H_

#include <compare>
#include <cstdint>
#include <map>
#include <optional>

#include "base/bytes.h"
#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/keys.h"

namespace otr::v4::ratchet {

// Everything but the stored message keys and the MAC keys to reveal (those
// live beside it in Ratchet, so that preparing a message copies only this).
struct RatchetState {
  // 'root_key' (curr_root_key).
  crypto::SecretBytes root_key;
  // 'chain_key_s[j]': empty when the next send turns the ratchet (a DH
  // ratchet as sender), and after a new ratchet was received.
  crypto::SecretBytes chain_key_s;
  // The ratchet id our Data Messages carry while chain_key_s lasts.
  uint32_t sending_ratchet_id = 0;
  // 'chain_key_r[k]': empty before the first receiving chain.
  crypto::SecretBytes chain_key_r;
  // The ratchet id of the receiving chain.
  uint32_t receiving_ratchet_id = 0;
  // i: the id of the next ratchet, ours or theirs (README.md).
  uint32_t i = 0;
  uint32_t j = 0;   // the sending message id
  uint32_t k = 0;   // the receiving message id
  uint32_t pn = 0;  // the number of messages in our previous sending chain
  // "When a participant wants to send a data message after receiving
  // another one, ratchet keys should be rotated".
  bool ratchet_on_next_send = false;
  // 'our_ecdh': gone once a received ratchet used its secret
  // ("Securely delete our_ecdh.secret"), until the next send makes one.
  std::optional<EcdhKeyPair> our_ecdh;
  // 'our_dh': gone once a received DH ratchet used its secret.
  std::optional<crypto::DhKeyPair> our_dh;
  crypto::Ed448Point their_ecdh;  // 'their_ecdh'
  crypto::DhPublic their_dh;      // 'their_dh' (the last one received)
  crypto::SecretBytes brace_key;  // 'brace_key', 32 bytes
  // "Session Expiration": when we last generated an ECDH key (or sent or
  // received the first data message); unset before that.
  std::optional<uint64_t> expiry_timer_start;
};

// 'skipped_MKenc': "indexed by 'their_ecdh' and the message number". Ratchet
// ids are distinct among the chains one side receives (README.md), so the
// key here is (ratchet id, message id); the chain's ECDH key is kept and must
// match too.
struct SkippedKeyId {
  uint32_t ratchet_id = 0;
  uint32_t message_id = 0;
  friend auto operator<=>(const SkippedKeyId&, const SkippedKeyId&) = default;
};

struct SkippedKey {
  crypto::Ed448Encoding their_ecdh{};  // the chain's Public ECDH Key
  crypto::SecretBytes mk_enc;          // MKenc
  crypto::SecretBytes extra_symm_key;  // stored with it, as the spec says
  uint64_t stored_at = 0;              // for "Deletion of Stored Message Keys"
};

using SkippedKeys = std::map<SkippedKeyId, SkippedKey>;

}  // namespace otr::v4::ratchet

#endif  // OTR_PROTOCOL_V4_RATCHET_STATE_H_
