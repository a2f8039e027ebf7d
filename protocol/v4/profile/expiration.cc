#include "protocol/v4/profile/expiration.h"

#include <limits>

namespace otr::v4::profile {
namespace {

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t out;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

int64_t SaturatingSub(int64_t a, int64_t b) {
  int64_t out;
  if (!__builtin_sub_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
}

}  // namespace

bool IsExpired(int64_t expiration, int64_t now) { return now >= expiration; }

bool IsUsableLocally(int64_t expiration, int64_t now, int64_t extra_validity) {
  return now < SaturatingAdd(expiration, extra_validity);
}

bool ShouldRenew(int64_t expiration, int64_t now, int64_t margin) {
  return now >= SaturatingSub(expiration, margin);
}

int64_t ExpirationFrom(int64_t now, int64_t lifetime) { return SaturatingAdd(now, lifetime); }

}  // namespace otr::v4::profile
