#include "protocol/v4/smp/smp_hash.h"

#include <algorithm>
#include <limits>

#include "protocol/v4/crypto/hash_to_scalar.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/crypto/keys.h"

namespace otr::v4::smp {
namespace {

constexpr size_t kScalarSize = crypto::kEd448ScalarSize;

}  // namespace

crypto::SecretBytes ComputeSecret(const crypto::Backend& backend, const Fingerprint& initiator,
                                  const Fingerprint& responder, const Ssid& ssid,
                                  ByteView user_secret) {
  const uint8_t version[1] = {kSmpSecretVersion};
  // "User-specified secret (DATA)": 4-byte big-endian length, then the
  // bytes. A secret of 4 GiB or more cannot be typed; it is cut to what a
  // DATA can carry.
  const auto n = static_cast<uint32_t>(
      std::min<size_t>(user_secret.size(), std::numeric_limits<uint32_t>::max()));
  const uint8_t length[4] = {static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16),
                             static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
  crypto::SecretBytes secret(kScalarSize);
  DomainShake256(backend, kOtrv4Domain, static_cast<uint8_t>(Usage::kSmpSecret),
                 {version, initiator, responder, ssid, length, user_secret.first(n)},
                 secret.mutable_view());
  // "the digest is then pruned" (57 bytes: PruneScalar cannot fail).
  (void)PruneScalar(secret.mutable_view());
  return secret;
}

crypto::SecretBytes HashToScalar(const crypto::Backend& backend, ProofId i,
                                 const crypto::Ed448Point& p) {
  const crypto::Ed448Encoding e = backend.Ed448Encode(p);
  return HashToScalarInDomain(backend, kOtrv4Domain, static_cast<uint8_t>(i), {e});
}

crypto::SecretBytes HashToScalar(const crypto::Backend& backend, ProofId i,
                                 const crypto::Ed448Point& p1, const crypto::Ed448Point& p2) {
  const crypto::Ed448Encoding e1 = backend.Ed448Encode(p1), e2 = backend.Ed448Encode(p2);
  return HashToScalarInDomain(backend, kOtrv4Domain, static_cast<uint8_t>(i), {e1, e2});
}

crypto::SecretBytes RandomScalar(const crypto::Backend& backend, crypto::Random& random) {
  // 57 bytes in, so HashAndPrune cannot fail.
  auto h = HashAndPrune(backend, random.SecretOfSize(kScalarSize));
  return backend.Ed448ScalarReduce(h.ok() ? h->view() : ByteView());
}

}  // namespace otr::v4::smp
