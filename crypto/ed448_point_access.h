// The backends' side of the opaque crypto::Ed448Point (crypto/backend.h):
// storing a backend's internal form in a point, reading it back, and the
// check that a point is handed back to the backend that made it. Only the
// backends and their test doubles see this header (crypto/BUILD).
#ifndef OTR_CRYPTO_ED448_POINT_ACCESS_H_
#define OTR_CRYPTO_ED448_POINT_ACCESS_H_

#include <cstring>
#include <optional>
#include <type_traits>

#include "crypto/backend.h"

namespace otr::crypto {

// One per backend, with static storage duration: its address marks the
// points the backend made.
struct Ed448PointOwner {
  const char* backend_name;
};

class Ed448PointAccess {
 public:
  // A point of `owner` holding `internal`, with its encoding if known.
  template <typename Internal>
  static Ed448Point Make(const Ed448PointOwner& owner, const Internal& internal,
                         const Ed448Encoding* encoding = nullptr) {
    static_assert(std::is_trivially_copyable_v<Internal>);
    static_assert(sizeof(Internal) <= Ed448Point::kInternalSize);
    Ed448Point point;
    std::memcpy(point.internal_.data(), &internal, sizeof(Internal));
    point.owner_ = &owner;
    if (encoding != nullptr) {
      point.encoding_ = *encoding;
      point.has_encoding_ = true;
    }
    return point;
  }

  // The internal form of a point that `owner` made; aborts (CheckOwner)
  // otherwise.
  template <typename Internal>
  static void Read(const Ed448PointOwner& owner, const Ed448Point& point, Internal& out) {
    static_assert(std::is_trivially_copyable_v<Internal>);
    static_assert(sizeof(Internal) <= Ed448Point::kInternalSize);
    CheckOwner(owner, point);
    std::memcpy(&out, point.internal_.data(), sizeof(Internal));
  }

  // The encoding the point carries, if any (after CheckOwner).
  static std::optional<Ed448Encoding> KnownEncoding(const Ed448PointOwner& owner,
                                                    const Ed448Point& point) {
    CheckOwner(owner, point);
    if (!point.has_encoding_) return std::nullopt;
    return point.encoding_;
  }

  // Aborts with a message naming both backends unless `owner` made `point`
  // (a default-constructed point has no owner).
  static void CheckOwner(const Ed448PointOwner& owner, const Ed448Point& point);
};

}  // namespace otr::crypto

#endif  // OTR_CRYPTO_ED448_POINT_ACCESS_H_
