#include "protocol/v4/smp/smp_hash.h"

#include <algorithm>
#include <limits>

namespace otr::v4::smp {
namespace {

// "KDF/HWC(usage_ID || values, size) = SHAKE-256("OTRv4" || usage_ID ||
// values, size)" (otrv4.md, "Key Derivation Function, Hash Function and MAC
// Function").
constexpr uint8_t kDomain[] = {'O', 'T', 'R', 'v', '4'};
constexpr size_t kScalarSize = crypto::kEd448ScalarSize;

std::unique_ptr<crypto::XofContext> Hwc(const crypto::Backend& backend, uint8_t usage) {
  auto xof = backend.NewShake256();
  xof->Update(kDomain);
  const uint8_t u[1] = {usage};
  xof->Update(u);
  return xof;
}

}  // namespace

void Prune(MutableByteView h57) {
  h57[0] &= 0xfc;
  h57[kScalarSize - 1] = 0;
  h57[kScalarSize - 2] |= 0x80;
}

crypto::SecretBytes ComputeSecret(const crypto::Backend& backend, const Fingerprint& initiator,
                                  const Fingerprint& responder, const Ssid& ssid,
                                  ByteView user_secret) {
  auto xof = Hwc(backend, kUsageSmpSecret);
  const uint8_t version[1] = {kSmpSecretVersion};
  xof->Update(version);
  xof->Update(initiator);
  xof->Update(responder);
  xof->Update(ssid);
  // "User-specified secret (DATA)": 4-byte big-endian length, then the
  // bytes. A secret of 4 GiB or more cannot be typed; its length is
  // truncated to 32 bits like any DATA writer would have to.
  const auto n = static_cast<uint32_t>(
      std::min<size_t>(user_secret.size(), std::numeric_limits<uint32_t>::max()));
  const uint8_t length[4] = {static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16),
                             static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
  xof->Update(length);
  xof->Update(user_secret.first(n));
  crypto::SecretBytes secret(kScalarSize);
  xof->Finish(secret.mutable_view());
  Prune(secret.mutable_view());
  return secret;
}

crypto::SecretBytes HashToScalar(const crypto::Backend& backend, ProofId i,
                                 std::initializer_list<const crypto::Ed448Point*> points) {
  auto xof = Hwc(backend, static_cast<uint8_t>(i));
  for (const crypto::Ed448Point* p : points) {
    const crypto::Ed448Encoding encoded = backend.Ed448Encode(*p);
    xof->Update(encoded);
  }
  crypto::SecretBytes h(kScalarSize);
  xof->Finish(h.mutable_view());
  return backend.Ed448ScalarReduce(h.view());
}

crypto::SecretBytes RandomScalar(const crypto::Backend& backend, crypto::Random& random) {
  const crypto::SecretBytes value = random.SecretOfSize(kScalarSize);
  crypto::SecretBytes h = backend.Shake256(value.view(), kScalarSize);
  Prune(h.mutable_view());
  return backend.Ed448ScalarReduce(h.view());
}

}  // namespace otr::v4::smp
