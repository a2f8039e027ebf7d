// The parts of crypto::Ed448Point that belong to no backend: wiping, and the
// ownership check of ed448_point_access.h.
#include <cstdio>
#include <cstdlib>

#include "crypto/backend.h"
#include "crypto/ed448_point_access.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto {

Ed448Point::~Ed448Point() {
  SecureWipe(internal_.data(), internal_.size());
  SecureWipe(encoding_.data(), encoding_.size());
}

void Ed448PointAccess::CheckOwner(const Ed448PointOwner& owner, const Ed448Point& point) {
  if (point.owner_ == &owner) return;
  // A caller bug, never input: say which backends were mixed up and stop.
  if (point.owner_ == nullptr) {
    std::fprintf(stderr,
                 "otr crypto: an Ed448Point that no backend made (default-constructed) was "
                 "passed to the %s backend\n",
                 owner.backend_name);
  } else {
    std::fprintf(stderr,
                 "otr crypto: an Ed448Point made by the %s backend was passed to the %s "
                 "backend (points belong to the backend that made them)\n",
                 static_cast<const Ed448PointOwner*>(point.owner_)->backend_name,
                 owner.backend_name);
  }
  std::abort();
}

}  // namespace otr::crypto
