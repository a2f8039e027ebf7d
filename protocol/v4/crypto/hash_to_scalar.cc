#include "protocol/v4/crypto/hash_to_scalar.h"

namespace otr::v4 {

crypto::SecretBytes HashToScalarInDomain(const crypto::Backend& backend, std::string_view domain,
                                         uint8_t usage_id, std::initializer_list<ByteView> d) {
  crypto::SecretBytes h(kHashToScalarHashSize);
  DomainShake256(backend, domain, usage_id, d, h.mutable_view());
  return backend.Ed448ScalarReduce(h.view());
}

crypto::SecretBytes HashToScalar(const crypto::Backend& backend, Usage usage,
                                 std::initializer_list<ByteView> d) {
  return HashToScalarInDomain(backend, kOtrv4Domain, static_cast<uint8_t>(usage), d);
}

}  // namespace otr::v4
