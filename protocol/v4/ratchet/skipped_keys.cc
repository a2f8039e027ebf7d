#include "protocol/v4/ratchet/skipped_keys.h"

#include "protocol/v4/ratchet/derive.h"

namespace otr::v4::ratchet {

Status SkipMessageKeys(const crypto::Backend& backend, const Limits& limits,
                       crypto::SecretBytes& chain_key, uint32_t& k, uint32_t until,
                       uint32_t ratchet_id, const crypto::Ed448Encoding& their_ecdh, uint64_t now,
                       NewSkippedKeys& out) {
  if (until <= k) return Status::Ok();
  if (until - k > limits.max_skip) {
    return MakeError(ErrorCode::kTooLarge, "ratchet receive: more than max_skip skipped keys");
  }
  out.reserve(out.size() + (until - k));  // at most max_skip more
  while (k < until) {
    SkippedKey key;
    key.their_ecdh = their_ecdh;
    key.mk_enc = DeriveMessageKey(backend, chain_key);
    // "this is done any time a message key is stored as there is no way of
    // knowing if the message [...] will ask for the computation of the extra
    // symmetric key".
    key.extra_symm_key = ExtraSymmetricKey(backend, chain_key);
    key.stored_at = now;
    out.emplace_back(SkippedKeyId{ratchet_id, k}, std::move(key));
    chain_key = NextChainKey(backend, chain_key);
    ++k;
  }
  return Status::Ok();
}

}  // namespace otr::v4::ratchet
