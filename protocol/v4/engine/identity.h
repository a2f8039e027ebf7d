// Who we are in OTRv4 (otrv4.md, "Public keys, Shared Prekeys, Forging keys
// and Fingerprints", "Client Profile"): the long-term key pair H (its seed
// sym_h signs the Client Profile, its scalar sk_h signs the DAKE's ring
// signatures), the forging key F (only its public point is needed: nobody
// signs with it in a real conversation) and our Client Profile, signed
// already. The session owns it; conversations point at it.
#ifndef OTR_PROTOCOL_V4_ENGINE_IDENTITY_H_
#define OTR_PROTOCOL_V4_ENGINE_IDENTITY_H_

#include "crypto/backend.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/messages/profile.h"

namespace otr::v4 {

struct Identity {
  // H: sym_key = sym_h, secret = sk_h, pub = H.
  Ed448KeyPair long_term;
  // F, as published in the Client Profile.
  crypto::Ed448Point forging_key;
  // Our Client Profile (owner instance tag = our tag, H, F), signed.
  ClientProfile client_profile;
};

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_ENGINE_IDENTITY_H_
