// The server's validation of a Prekey Publication attached to a verified
// DAKE-3 (otr-v4-prekey-server.md, "Key Exchange" (Prekey Server),
// "Prekey Publication Message" ("To verify"), "Publishing Prekey Values"
// step 7, "Proofs"). What passes becomes the storage form (Publication).
#ifndef OTR_PROTOCOL_PREKEY_SERVER_PUBLICATION_CHECK_H_
#define OTR_PROTOCOL_PREKEY_SERVER_PUBLICATION_CHECK_H_

#include <cstdint>
#include <string>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/prekey/messages/messages.h"
#include "protocol/prekey/server/storage.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/wire/instance_tag.h"

namespace otr::prekey {

// What the DAKE established about the publisher.
struct PublisherContext {
  std::string identity;                                 // the owner in storage
  wire::InstanceTag instance_tag = 0;                   // the DAKE's sender instance tag
  v4::Point long_term_key{};                            // H_a of the DAKE-1 Client Profile
  const crypto::SecretBytes* prekey_mac_key = nullptr;  // prekey_mac_k
  const crypto::SecretBytes* proof_context = nullptr;   // m
};

// In this order, the first failure returned:
//   1. the Prekey MAC ("Checks that this Prekey MAC is equal to the one
//      received": kBadMac); N, K, J are implied by the decoded message;
//   2. every instance tag (profiles, Prekey Messages) is the DAKE's sender
//      tag (kInvalidInstanceTag; "must also have the same instance tag as
//      the one stated in the Client and Prekey profiles");
//   3. the Client Profile, if present: "Validating a Client Profile" at
//      `now`, and its H is the H_a the publisher authenticated with
//      (kInvalidKey otherwise: a publisher publishes under its own key);
//   4. the Prekey Profile, if present: "Validating a Prekey Profile" under
//      H_a at `now`;
//   5. each Prekey Message: Y on the curve, B in the DH group, identifiers
//      distinct ("Discard any invalid or duplicated values": the whole
//      publication is refused, since the proofs cover the whole batch);
//   6. the proofs: the Prekey Messages' ECDH and DH proofs, the Prekey
//      Profile's (kBadProof).
Result<Publication> CheckPublication(const crypto::Backend& backend, const PrekeyPublication& m,
                                     const PublisherContext& ctx, int64_t now);

// The same checks, in the same order, of libotr-ng's Prekey Publication
// (ServerConfig::accept_libotr_ng, decision 0034): its profiles verified
// over libotr-ng's bytes, its ECDH proofs over its G = 4B
// (docs/libotr-ng-deviations.md row 24). What passes is stored in
// libotr-ng's bytes.
Result<Publication> CheckLibotrNgPublication(const crypto::Backend& backend,
                                             const libotr_ng::Publication& m,
                                             const PublisherContext& ctx, int64_t now);

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_SERVER_PUBLICATION_CHECK_H_
