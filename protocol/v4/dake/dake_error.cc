#include "protocol/v4/dake/dake_error.h"

namespace otr::v4::dake {

std::string_view DakeCheckName(DakeCheck check) {
  switch (check) {
    case DakeCheck::kSenderInstanceTag:
      return "DAKE: sender instance tag";
    case DakeCheck::kReceiverInstanceTag:
      return "DAKE: receiver instance tag";
    case DakeCheck::kClientProfile:
      return "DAKE: Client Profile";
    case DakeCheck::kEcdhKey:
      return "DAKE: ephemeral ECDH key (Y or X)";
    case DakeCheck::kDhKey:
      return "DAKE: ephemeral DH key (B or A)";
    case DakeCheck::kEcdhFirst:
      return "DAKE: our_ecdh_first.public";
    case DakeCheck::kDhFirst:
      return "DAKE: our_dh_first.public";
    case DakeCheck::kRingSignature:
      return "DAKE: sigma (RVrf)";
    case DakeCheck::kSharedSecret:
      return "DAKE: shared secret";
    case DakeCheck::kPrekeyEnsemble:
      return "DAKE: Prekey Ensemble";
    case DakeCheck::kPrekeyMessageIdentifier:
      return "DAKE: Prekey Message Identifier";
    case DakeCheck::kOurProfiles:
      return "DAKE: our Client or Prekey Profile";
    case DakeCheck::kAuthMac:
      return "DAKE: Auth MAC";
  }
  return "DAKE: unknown check";
}

}  // namespace otr::v4::dake
