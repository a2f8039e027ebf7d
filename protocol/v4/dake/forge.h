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
#include "protocol/v4/dake/xzdh.h"
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

// ---- the non-interactive DAKE (XZDH) ----
//
// A Non-Interactive-Auth is signed over the ring {F_b, H_a, Y}: Alice's
// long-term key, Bob's forging key or y can sign it. A Prekey Message is not
// signed by anyone (only the Prekey Profile is), so whoever holds Bob's
// Client and Prekey Profiles can make a Prekey Message of their own, hold its
// y, and sign with it ("False Prekey Ensemble"); the Auth MAC needs only x,
// a and public values (ECDH(x, Y), ECDH(x, D_b), ECDH(x, H_b), DH(a, B)),
// which the maker of the Non-Interactive-Auth holds. H_b is not in the ring:
// Bob's long-term key cannot sign it (he forges with a y of his own).

// Which secret signs the ring {F_b, H_a, Y}.
enum class OfflineForgerKey : uint8_t {
  kNone,           // a False Prekey Ensemble: the forger's own Prekey Message, its y
  kAliceLongTerm,  // sk_ha, over Bob's real ensemble ("Impersonate": as Alice signs)
  kBobForgingKey,  // Bob's forging secret, over Bob's real ensemble
};

struct OfflineForgeRequest {
  // Bob's published ensemble (a prekey server hands it out). With kNone its
  // Prekey Message is replaced by one the forger makes for the same instance tag.
  const PrekeyEnsembleValues* bob_ensemble = nullptr;
  const ClientProfile* alice_client_profile = nullptr;
  wire::InstanceTag alice_instance_tag = wire::kMinInstanceTag + 1;
  OfflineForgerKey forger_key = OfflineForgerKey::kNone;
  const crypto::SecretBytes* secret = nullptr;  // 57 bytes; unused for kNone
  Bytes phi_prime;
  int64_t now = 0;  // the ensemble and Alice's profile are checked at this time
};

// "Forge DAKE and Session Keys" for the non-interactive DAKE: the ensemble
// the Non-Interactive-Auth answers (Bob's, or the false one), the message,
// and the session keys both sides would derive.
struct ForgedOfflineDake {
  PrekeyEnsembleValues ensemble;
  NonInteractiveAuth auth;
  crypto::SecretBytes shared_secret;  // K
  Ssid ssid{};
};

Result<ForgedOfflineDake> ForgeNonInteractiveDake(const crypto::Backend& backend,
                                                  const OfflineForgeRequest& request,
                                                  crypto::Random& random);

// What a judge can check of a non-interactive transcript from public values
// alone: the ensemble validates at `now` ("Validating Prekey Ensembles"),
// the Non-Interactive-Auth's values are valid (instance tags, X, A, the
// first keys, Alice's Client Profile, the Prekey Message Identifier is the
// ensemble's) and RVrf({F_b, H_a, Y}, sigma, t) holds. The Auth MAC needs a
// secret of one side (tmp_k) and is not checked; nothing here tells an
// honest transcript from a forged one.
Status VerifyNonInteractiveTranscript(const crypto::Backend& backend,
                                      const PrekeyEnsembleValues& ensemble,
                                      const NonInteractiveAuth& auth, ByteView phi_prime,
                                      int64_t now);

}  // namespace otr::v4::dake

#endif  // OTR_PROTOCOL_V4_DAKE_FORGE_H_
