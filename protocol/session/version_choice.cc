#include "protocol/session/version_choice.h"

namespace otr {

bool OffersSpeakableV3(wire::VersionSet offered, const Policy& policy) {
  return (offered.Has(3) && policy.allow_v3) || (offered.Has(2) && policy.allow_v2);
}

OfferAnswer ChooseVersion(wire::VersionSet offered, const Policy& policy) {
  if (offered.Has(4) && policy.allow_v4) return OfferAnswer::kV4;
  if (policy.SpeaksV3() && OffersSpeakableV3(offered, policy)) return OfferAnswer::kV3;
  if (policy.allow_v4 && policy.v4_mode != V4Mode::kV3Compatible &&
      (offered.Has(3) || offered.Has(2))) {
    return OfferAnswer::kRefusedV3;
  }
  return OfferAnswer::kNone;
}

}  // namespace otr
