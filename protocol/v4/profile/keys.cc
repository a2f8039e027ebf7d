#include "protocol/v4/profile/keys.h"

namespace otr::v4::profile {

Result<Ed448KeyPair> Ed448KeyPairFromSymKey(const crypto::Backend& backend,
                                            crypto::SecretBytes sym_key) {
  if (sym_key.size() != crypto::kEd448SeedSize) {
    return MakeError(ErrorCode::kInvalidKey, "an Ed448 symmetric key is 57 bytes");
  }
  OTR_ASSIGN_OR_RETURN(Bytes pub, backend.Ed448DerivePublicKey(sym_key));
  OTR_ASSIGN_OR_RETURN(crypto::Ed448Point point, backend.Ed448Decode(pub));
  Ed448KeyPair pair{std::move(sym_key), point, {}};
  pair.encoded = backend.Ed448Encode(point);
  return pair;
}

Result<Ed448KeyPair> GenerateEd448KeyPair(const crypto::Backend& backend, crypto::Random& random) {
  return Ed448KeyPairFromSymKey(backend, random.SecretOfSize(crypto::kEd448SeedSize));
}

}  // namespace otr::v4::profile
