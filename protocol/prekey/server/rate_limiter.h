// Rate limiting of ensemble retrieval (otr-v4-prekey-server.md, "Prekey
// Server Requirements": the draining of another user's Prekey Ensembles "can
// be partially mitigated using fetch rate limiting"). A token bucket per
// key, with time as an input; the number of keys is bounded.
#ifndef OTR_PROTOCOL_PREKEY_SERVER_RATE_LIMITER_H_
#define OTR_PROTOCOL_PREKEY_SERVER_RATE_LIMITER_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>

namespace otr::prekey {

struct TokenBucketLimit {
  uint32_t burst = 0;                   // tokens when full (0: no limit)
  int64_t refill_interval_seconds = 0;  // one token back per interval
};

class RateLimiter {
 public:
  RateLimiter(TokenBucketLimit limit, size_t max_keys) : limit_(limit), max_keys_(max_keys) {}

  // Takes one token of `key` if it has one. With no room for a new key
  // (max_keys tracked, none of them full again) the request is refused:
  // under a flood of new keys the limiter fails closed. (The full buckets
  // are looked for at most once a second, so a flood costs no more.)
  bool Allow(std::string_view key, int64_t now);
  // Would Allow succeed? (No token taken.)
  bool WouldAllow(std::string_view key, int64_t now);
  // Forgets the keys whose bucket is full again (the same as unknown).
  void Prune(int64_t now);
  size_t tracked() const { return buckets_.size(); }

 private:
  struct Bucket {
    uint32_t tokens = 0;
    int64_t last_refill = 0;
  };
  void Refill(Bucket& b, int64_t now) const;

  TokenBucketLimit limit_;
  size_t max_keys_;
  std::map<std::string, Bucket, std::less<>> buckets_;
  int64_t last_prune_ = INT64_MIN;
};

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_SERVER_RATE_LIMITER_H_
