#include "protocol/v4/crypto/fingerprint.h"

#include <algorithm>

#include "protocol/v4/crypto/kdf.h"

namespace otr::v4 {

Fingerprint ComputeFingerprint(const crypto::Backend& backend, const crypto::Ed448Point& h,
                               const crypto::Ed448Point& f) {
  const crypto::Ed448Encoding byte_h = backend.Ed448Encode(h);
  const crypto::Ed448Encoding byte_f = backend.Ed448Encode(f);
  Fingerprint fp{};
  DomainShake256(backend, kOtrv4Domain, static_cast<uint8_t>(Usage::kFingerprint), {byte_h, byte_f},
                 fp);
  return fp;
}

Fingerprint ComputePrekeyServerFingerprint(const crypto::Backend& backend,
                                           const crypto::Ed448Point& h) {
  const crypto::Ed448Encoding byte_h = backend.Ed448Encode(h);
  Fingerprint fp{};
  DomainShake256(backend, kOtrv4Domain, static_cast<uint8_t>(Usage::kFingerprint), {byte_h}, fp);
  return fp;
}

store::PeerFingerprint ToPeerFingerprint(const Fingerprint& fp) {
  return store::PeerFingerprint(store::FingerprintKind::kV4Ed448, ByteView(fp));
}

std::string FingerprintToHuman(const Fingerprint& fp) {
  return store::PeerFingerprintToHuman(ToPeerFingerprint(fp));
}

}  // namespace otr::v4
