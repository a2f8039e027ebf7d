#include "protocol/v4/ratchet/mac_keys_to_reveal.h"

#include <utility>

namespace otr::v4::ratchet {

void MacKeysToReveal::Add(crypto::SecretBytes key, size_t bound) {
  // One allocation for the first keys of a chain instead of one per
  // doubling (a chain reveals a key per message received).
  if (keys_.capacity() == 0) keys_.reserve(kFirstCapacity);
  keys_.push_back(std::move(key));
  while (size() > bound) keys_[front_++].Clear();
  // The dropped slots go once they are half the vector (amortised: each
  // key is moved at most once per halving).
  if (front_ > 0 && 2 * front_ >= keys_.size()) {
    keys_.erase(keys_.begin(), keys_.begin() + static_cast<std::ptrdiff_t>(front_));
    front_ = 0;
  }
}

void MacKeysToReveal::Clear() {
  keys_.clear();  // each SecretBytes wipes itself
  front_ = 0;
}

}  // namespace otr::v4::ratchet
