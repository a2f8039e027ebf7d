#include "protocol/wire/reassembler.h"

#include <utility>

namespace otr::wire {

Reassembler::Key Reassembler::KeyOf(int version, InstanceTag sender) {
  // v2 fragments carry no instance tag: one slot for all of them.
  return (Key{static_cast<uint32_t>(version)} << 32) | (version == 2 ? 0 : sender);
}

void Reassembler::Erase(std::map<Key, Slot>::iterator it) {
  buffered_bytes_ -= it->second.data.size();
  slots_.erase(it);
}

void Reassembler::EvictLeastRecentlyUsed() {
  auto oldest = slots_.begin();
  for (auto it = slots_.begin(); it != slots_.end(); ++it) {
    if (it->second.last_used < oldest->second.last_used) oldest = it;
  }
  if (oldest != slots_.end()) Erase(oldest);
}

void Reassembler::Forget(int version, InstanceTag sender) {
  auto it = slots_.find(KeyOf(version, sender));
  if (it != slots_.end()) Erase(it);
}

void Reassembler::ForgetAll() {
  slots_.clear();
  buffered_bytes_ = 0;
}

Result<std::optional<std::string>> Reassembler::Add(const Fragment& fragment) {
  if (fragment.version != 2 && fragment.version != 3) {
    return MakeError(ErrorCode::kUnsupportedVersion, "fragments exist in v2 and v3 only");
  }
  const uint16_t k = fragment.k;
  const uint16_t n = fragment.n;
  if (k == 0 || n == 0 || k > n) {
    return MakeError(ErrorCode::kInvalidEncoding, "illegal fragment numbers");
  }
  // A piece may hold ',' (libotr's do; fragment.h), never a fragment marker.
  if (fragment.piece.empty() || ContainsFragmentMarker(fragment.piece)) {
    return MakeError(ErrorCode::kInvalidEncoding, "illegal fragment piece");
  }
  const Key key = KeyOf(fragment.version, fragment.sender);
  auto it = slots_.find(key);
  if (k == 1) {
    if (it != slots_.end()) Erase(it);
    if (fragment.piece.size() > limits_.max_message_size) {
      return MakeError(ErrorCode::kTooLarge, "fragment above the reassembly limit");
    }
    if (limits_.max_senders == 0) {
      return MakeError(ErrorCode::kTooLarge, "reassembler tracks no sender");
    }
    while (slots_.size() >= limits_.max_senders) EvictLeastRecentlyUsed();
    it = slots_.emplace(key, Slot{}).first;
    it->second.n = n;
  } else if (it != slots_.end() && n == it->second.n && k == it->second.k + 1) {
    if (fragment.piece.size() > limits_.max_message_size - it->second.data.size()) {
      Erase(it);
      return MakeError(ErrorCode::kTooLarge, "reassembled message above the limit");
    }
  } else {
    if (it != slots_.end()) Erase(it);
    return MakeError(ErrorCode::kBadState, "fragment out of sequence");
  }
  Slot& slot = it->second;
  slot.k = k;
  slot.data += fragment.piece;
  slot.last_used = ++clock_;
  buffered_bytes_ += fragment.piece.size();
  if (slot.k != slot.n) return std::optional<std::string>();
  std::string message = std::move(slot.data);
  slot.data.clear();
  buffered_bytes_ -= message.size();
  slots_.erase(it);
  if (ContainsFragmentMarker(message)) {
    return MakeError(ErrorCode::kInvalidEncoding, "reassembled message is a fragment");
  }
  return std::optional<std::string>(std::move(message));
}

}  // namespace otr::wire
