// Storing the message keys of skipped messages (otrv4.md, "When you receive
// a Data Message": "Store any message keys from the previous DH Ratchet
// [...] from the current DH Ratchet that correspond to messages that have
// not yet arrived"), bounded by Limits::max_skip per chain.
#ifndef OTR_PROTOCOL_V4_RATCHET_SKIPPED_KEYS_H_
#define OTR_PROTOCOL_V4_RATCHET_SKIPPED_KEYS_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/ratchet/limits.h"
#include "protocol/v4/ratchet/state.h"

namespace otr::v4::ratchet {

using NewSkippedKeys = std::vector<std::pair<SkippedKeyId, SkippedKey>>;

// "If k + max_skip < until: raise [...] while k < until: derive
// chain_key_r[k+1] and MKenc [...] extra_symm_key [...] store MKenc,
// extra_sym_key = skipped_MKenc[their_ecdh, k]; k = k + 1". Advances
// `chain_key` and `k` (copies owned by the caller) and appends to `out`;
// kTooLarge (and nothing derived) when until - k exceeds max_skip. Nothing
// when until <= k.
Status SkipMessageKeys(const crypto::Backend& backend, const Limits& limits,
                       crypto::SecretBytes& chain_key, uint32_t& k, uint32_t until,
                       uint32_t ratchet_id, const crypto::Ed448Encoding& their_ecdh, uint64_t now,
                       NewSkippedKeys& out);

}  // namespace otr::v4::ratchet

#endif  // OTR_PROTOCOL_V4_RATCHET_SKIPPED_KEYS_H_
