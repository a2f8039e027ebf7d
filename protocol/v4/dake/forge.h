// otrv4.md, "Forging Transcripts" ("Forge DAKE and Session Keys",
// "Impersonate Initiator or Responder", "Forge Entire Transcript") and
// "Forger Keys": DAKE transcripts that verify, made without the honest
// signer's long-term key, "using the same functions used for honest
// conversations" (the rings of shared_state.h's t values and RSig).
//
// Auth-R is signed over {F_b, H_a, Y} and Auth-I over {H_b, F_a, X}, so
// either signature can be made with any one secret of its ring: Alice's
// long-term key, Bob's forging key, or y for Auth-R; Bob's long-term key,
// Alice's forging key, or x for Auth-I. The one who makes the transcript
// makes Y and X, so holds y and x: anyone can make a whole transcript
// between two Client Profiles with no secret key at all, and one who holds
// a long-term or forging key can use it for one of the two signatures.
#ifndef OTR_PROTOCOL_V4_DAKE_FORGE_H_
#define OTR_PROTOCOL_V4_DAKE_FORGE_H_

#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/dake/dake.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/wire/instance_tag.h"

namespace otr::v4::dake {

// Which secret the forger signs with (the other signature uses y or x).
enum class ForgerKey : uint8_t {
  kNone,             // Auth-R with y, Auth-I with x
  kAliceLongTerm,    // sk_ha: Auth-R as Alice would; Auth-I with x
  kBobLongTerm,      // sk_hb: Auth-I as Bob would; Auth-R with y
  kAliceForgingKey,  // Alice's forging secret: Auth-I; Auth-R with y
  kBobForgingKey,    // Bob's forging secret: Auth-R; Auth-I with x
};

struct ForgeRequest {
  const ClientProfile* bob_client_profile = nullptr;    // the Identity message's sender
  const ClientProfile* alice_client_profile = nullptr;  // the Auth-R message's sender
  wire::InstanceTag bob_instance_tag = wire::kMinInstanceTag;
  wire::InstanceTag alice_instance_tag = wire::kMinInstanceTag + 1;
  ForgerKey forger_key = ForgerKey::kNone;
  // The secret scalar of forger_key (57 bytes: Ed448KeyPair::secret); unused for kNone.
  const crypto::SecretBytes* secret = nullptr;
  Bytes phi_prime;  // EncodePhiPrime's
  // The time the profiles are checked at (the transcript is checked with
  // the honest validation functions as it is made).
  int64_t now = 0;
};

// A whole interactive DAKE between the two profiles, with the session keys
// ("Forge DAKE and Session Keys"): K and the SSID both sides would derive.
struct ForgedDake {
  IdentityMessage identity;
  AuthR auth_r;
  AuthI auth_i;
  crypto::SecretBytes shared_secret;  // K
  Ssid ssid{};
};

Result<ForgedDake> ForgeInteractiveDake(const crypto::Backend& backend, const ForgeRequest& request,
                                        crypto::Random& random);

// What a judge can check of a transcript from public values alone: each
// message's values valid (profiles at `now`, points, DH values, instance
// tags) and both ring signatures verify. It cannot tell an honest
// transcript from a forged one.
Status VerifyTranscript(const crypto::Backend& backend, const IdentityMessage& identity,
                        const AuthR& auth_r, const AuthI& auth_i, ByteView phi_prime, int64_t now);

}  // namespace otr::v4::dake

#endif  // OTR_PROTOCOL_V4_DAKE_FORGE_H_
