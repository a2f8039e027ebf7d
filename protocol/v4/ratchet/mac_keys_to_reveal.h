// "mac_keys_to_reveal" (otrv4.md, "Revealing MAC Keys"): the MAC keys the
// first Data Message of our next sending chain reveals, oldest first, at
// most a bound (Limits::max_mac_keys_to_reveal): past it the oldest go.
#ifndef OTR_PROTOCOL_V4_RATCHET_MAC_KEYS_TO_REVEAL_H_
#define OTR_PROTOCOL_V4_RATCHET_MAC_KEYS_TO_REVEAL_H_

#include <cstddef>
#include <vector>

#include "crypto/secret_bytes.h"

namespace otr::v4::ratchet {

// A vector with a moving front: dropping the oldest key wipes it and moves
// the front, and the dropped slots are given back once they are half the
// vector. (At the bound every message received drops one key: a plain
// vector shifted all 4096 per message, issue 20; a std::deque allocates
// when constructed, and a ratchet is made for every DAKE.)
class MacKeysToReveal {
 public:
  // Adds `key` last, then drops the oldest beyond `bound`.
  void Add(crypto::SecretBytes key, size_t bound);
  // Wipes and forgets every key.
  void Clear();

  size_t size() const { return keys_.size() - front_; }
  bool empty() const { return size() == 0; }
  const crypto::SecretBytes* begin() const { return keys_.data() + front_; }
  const crypto::SecretBytes* end() const { return keys_.data() + keys_.size(); }
  const crypto::SecretBytes& operator[](size_t i) const { return keys_[front_ + i]; }

 private:
  static constexpr size_t kFirstCapacity = 8;
  std::vector<crypto::SecretBytes> keys_;  // the held ones from front_ on
  size_t front_ = 0;                       // slots before it are empty
};

}  // namespace otr::v4::ratchet

#endif  // OTR_PROTOCOL_V4_RATCHET_MAC_KEYS_TO_REVEAL_H_
