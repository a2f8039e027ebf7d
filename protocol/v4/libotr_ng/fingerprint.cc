#include "protocol/v4/libotr_ng/fingerprint.h"

#include <algorithm>
#include <array>

#include "protocol/v4/crypto/kdf.h"

namespace otr::v4::libotr_ng {

Fingerprint ComputeFingerprint(const crypto::Backend& backend, const crypto::Ed448Encoding& h,
                               const crypto::Ed448Encoding& f) {
  static constexpr std::array<uint8_t, 2> kPubkeyType = {0x00, 0x10};
  static constexpr std::array<uint8_t, 2> kForgingKeyType = {0x00, 0x12};
  const Bytes digest =
      Hwc(backend, Usage::kFingerprint, {kPubkeyType, h, kForgingKeyType, f}, kFingerprintSize);
  Fingerprint out{};
  std::copy_n(digest.begin(), out.size(), out.begin());
  return out;
}

}  // namespace otr::v4::libotr_ng
