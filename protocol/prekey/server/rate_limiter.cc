#include "protocol/prekey/server/rate_limiter.h"

#include <algorithm>

namespace otr::prekey {

void RateLimiter::Refill(Bucket& b, int64_t now) const {
  if (now <= b.last_refill || limit_.refill_interval_seconds <= 0) return;
  const int64_t earned = (now - b.last_refill) / limit_.refill_interval_seconds;
  if (earned <= 0) return;
  const int64_t tokens = std::min<int64_t>(limit_.burst, int64_t{b.tokens} + earned);
  b.tokens = static_cast<uint32_t>(tokens);
  b.last_refill =
      b.tokens == limit_.burst ? now : b.last_refill + earned * limit_.refill_interval_seconds;
}

bool RateLimiter::WouldAllow(std::string_view key, int64_t now) {
  if (limit_.burst == 0) return true;
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() < max_keys_) return true;
    if (now != last_prune_) Prune(now);
    return buckets_.size() < max_keys_;
  }
  Refill(it->second, now);
  return it->second.tokens > 0;
}

bool RateLimiter::Allow(std::string_view key, int64_t now) {
  if (limit_.burst == 0) return true;
  if (!WouldAllow(key, now)) return false;
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    it = buckets_.emplace(std::string(key), Bucket{limit_.burst, now}).first;
  }
  --it->second.tokens;
  return true;
}

void RateLimiter::Prune(int64_t now) {
  last_prune_ = now;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Refill(it->second, now);
    if (it->second.tokens >= limit_.burst) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace otr::prekey
