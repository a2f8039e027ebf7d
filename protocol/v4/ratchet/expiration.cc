// otrv4.md, "Deletion of Stored Message Keys", "Revealing MAC Keys" and
// "Session Expiration".
#include <algorithm>

#include "protocol/v4/ratchet/derive.h"
#include "protocol/v4/ratchet/ratchet.h"

namespace otr::v4::ratchet {

using crypto::SecretBytes;

size_t Ratchet::DeleteExpiredKeys(uint64_t now) {
  // "parties should delete stored message keys after an appropriate
  // interval"; "They are also added [to mac_keys_to_reveal] [...] when the
  // storage of message keys gets deleted, and the MAC keys for messages that
  // have not arrived are derived."
  size_t deleted = 0;
  for (auto it = skipped_.begin(); it != skipped_.end();) {
    const SkippedKey& key = it->second;
    if (now >= key.stored_at && now - key.stored_at >= limits_.stored_key_lifetime) {
      mac_keys_to_reveal_.Add(DeriveMacKey(*backend_, key.mk_enc), limits_.max_mac_keys_to_reveal);
      it = skipped_.erase(it);
      ++deleted;
    } else {
      ++it;
    }
  }
  if (deleted > 0) ++generation_;
  return deleted;
}

bool Ratchet::SessionExpired(uint64_t now, uint64_t lifetime) const {
  // "detecting whether a new ECDH key has been generated within a certain
  // amount of time. If it hasn't, the session is expired."
  const std::optional<uint64_t>& start = state_.expiry_timer_start;
  return !ended_ && start.has_value() && now >= *start && now - *start >= lifetime;
}

std::vector<v4::MacKey> Ratchet::Expire() {
  std::vector<v4::MacKey> old_mac_keys;
  auto add = [&](const SecretBytes& key) {
    v4::MacKey out{};
    std::copy(key.view().begin(), key.view().end(), out.begin());
    old_mac_keys.push_back(out);
  };
  // "Calculate the MAC keys corresponding to the stored message keys in the
  // skipped_MKenc dictionary and put them on the old_mac_keys list", with
  // those not yet revealed.
  for (const SecretBytes& key : mac_keys_to_reveal_) add(key);
  for (const auto& [id, key] : skipped_) add(DeriveMacKey(*backend_, key.mk_enc));
  // "Securely delete all keys and data associated with the conversation [...]
  // Reset the state and key variables".
  state_ = RatchetState{};
  skipped_.clear();
  mac_keys_to_reveal_.Clear();
  ended_ = true;
  ++generation_;
  return old_mac_keys;
}

std::vector<const SecretBytes*> Ratchet::HeldSecrets() const {
  std::vector<const SecretBytes*> out;
  out.reserve(6 + 2 * skipped_.size() + mac_keys_to_reveal_.size());
  ForEachHeldSecret([&](const SecretBytes& s) { out.push_back(&s); });
  return out;
}

}  // namespace otr::v4::ratchet
