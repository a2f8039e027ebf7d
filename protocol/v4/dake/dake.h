// The interactive DAKE (DAKEZ) of OTRv4 as pure functions (otrv4.md,
// "Interactive Deniable Authenticated Key Exchange (DAKE)", "Interactive
// DAKE Overview", "Identity Message", "Auth-R Message", "Auth-I Message",
// "Shared Secrets", "Generating Shared Secrets", "Secure Session ID").
// Sans-I/O: randomness and the time come in as arguments, crypto only
// through crypto::Backend. The state machine that calls these is
// protocol/v4/engine's; none of these functions keeps state.
//
//   Bob (Identity sender)                 Alice (Auth-R sender)
//   GenerateOurDakeKeys, MakeIdentity  ->
//                                      <- ValidateIdentity, GenerateOurDakeKeys,
//                                         MakeAuthR (K, SSID; keeps PendingAuthI)
//   ValidateAuthR (K, SSID), MakeAuthI ->
//   StartRatchet (Ratchet::StartAuthISender)
//                                         ValidateAuthI, StartRatchet
//                                         (Ratchet::StartAuthIReceiver)
//
// Validation (Validate*) is const on its inputs and returns either the
// validated values or a DakeError naming the check that failed
// (dake_error.h); nothing is kept from a message that fails, so an engine
// row that calls one aborts with no partial effect. Secrets are
// crypto::SecretBytes, wiped when dropped; the ephemeral y, b (Bob) and
// x, a (Alice) are not copied into anything returned after K is computed.
// The forging functions of "Forging Transcripts" are in forge.h, the
// simultaneous-start comparison in this file (OurIdentityWins).
#ifndef OTR_PROTOCOL_V4_DAKE_DAKE_H_
#define OTR_PROTOCOL_V4_DAKE_DAKE_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/dake/dake_error.h"
#include "protocol/v4/dake/shared_state.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/ratchet/limits.h"
#include "protocol/v4/ratchet/ratchet.h"
#include "protocol/wire/instance_tag.h"

namespace otr::v4::dake {

// "Secure Session ID": HWC(usage_SSID || K, 8).
inline constexpr size_t kSsidSize = 8;
using Ssid = std::array<uint8_t, kSsidSize>;

// Our ephemeral keys for one DAKE, as "Identity Message" and "Auth-R
// Message" generate them: (Y, y) or (X, x); (B, b) or (A, a); and the
// first keys of the double ratchet.
struct OurDakeKeys {
  EcdhKeyPair ecdh;            // Y/y (Bob) or X/x (Alice)
  crypto::DhKeyPair dh;        // B/b (Bob) or A/a (Alice)
  EcdhKeyPair ecdh_first;      // our_ecdh_first
  crypto::DhKeyPair dh_first;  // our_dh_first
};

// generateECDH(), generateDH(), generateECDH(), generateDH(), in the spec's order.
Result<OurDakeKeys> GenerateOurDakeKeys(const crypto::Backend& backend, crypto::Random& random);

// Our long-lived side of the DAKE. The pointers must outlive the call.
struct OurLongTermKeys {
  const Ed448KeyPair* long_term = nullptr;        // (sk_h, H)
  const ClientProfile* client_profile = nullptr;  // ours: its H is long_term->pub, its F ours
  wire::InstanceTag instance_tag = wire::kMinInstanceTag;  // our sender instance tag
};

// The other side's values from a validated Identity or Auth-R message.
struct TheirDakeKeys {
  wire::InstanceTag instance_tag = wire::kNoInstanceTag;  // their sender instance tag
  ClientProfile client_profile;
  crypto::Ed448Point h;           // H from the profile, validated
  crypto::Ed448Point f;           // F from the profile, validated
  crypto::Ed448Point ecdh;        // Y (Identity) or X (Auth-R), validated
  Mpi dh;                         // B or A, in the group
  crypto::Ed448Point ecdh_first;  // their our_ecdh_first.public, validated
  Mpi dh_first;                   // their our_dh_first.public, in the group
};

// The Identity message's receiver instance tag: "this will often be 0"
// (kZeroOrOurs: 0 or our tag) except in WAITING_AUTH_I, where "Validate that
// that value is equal to your 'Sender's instance tag'" (kOurs).
enum class ReceiverTagRule : uint8_t { kZeroOrOurs, kOurs };

// What the DAKE hands to the engine when it completes ("Interactive DAKE
// Overview": the Mixed shared secret K, the SSID, and the double ratchet's
// first keys), with who the other side is.
enum class DakeRole : uint8_t {
  kAuthRSender,  // Alice: sent Auth-R, received Auth-I
  kAuthISender,  // Bob: sent Identity and Auth-I
};
struct DakeResult {
  DakeRole role = DakeRole::kAuthISender;
  Ssid ssid{};
  ratchet::InteractiveStart ratchet_start;  // K and both sides' first keys
  Fingerprint their_fingerprint{};          // HWC(usage_fingerprint || H || F, 56)
  ClientProfile their_client_profile;
  wire::InstanceTag their_instance_tag = wire::kNoInstanceTag;
};

// ---- Identity message (Bob) ----

// "Identity Message", generated: our Client Profile, Y, B and the first keys.
IdentityMessage MakeIdentity(const OurLongTermKeys& ours, wire::InstanceTag receiver_instance_tag,
                             const OurDakeKeys& keys);

// "Identity Message", "To verify" (Alice, or Bob in a simultaneous start):
// the sender tag, the receiver tag by `rule`, the Client Profile (its owner
// tag equal to the sender's, not expired at `now`), Y, B, our_ecdh_first,
// our_dh_first.
Checked<TheirDakeKeys> ValidateIdentity(const crypto::Backend& backend,
                                        const IdentityMessage& message,
                                        wire::InstanceTag our_instance_tag, ReceiverTagRule rule,
                                        int64_t now);

// "Receiving an Identity Message" in WAITING_AUTH_R: "Compare the hashed B
// you sent in your Identity message with the DH value from the message you
// received, considered as 32-byte unsigned big-endian values. If yours is
// the higher hash value: Ignore the incoming Identity message, but resend
// your Identity message." The spec names no hash; as in OTRv3's D-H Commit
// comparison this text comes from, both B values are hashed with SHA-256
// (over B's minimal big-endian bytes), and the two 32-byte digests compared
// as big-endian numbers. True when ours is the higher (we keep our
// Identity message); false otherwise (equal B: both sides answer, neither
// can win). libotr-ng compares the two B values themselves.
bool OurIdentityWins(const crypto::Backend& backend, ByteView our_b, ByteView their_b);

// ---- Auth-R message (Alice) ----

// What Alice keeps in WAITING_AUTH_I: K and the SSID computed when she sent
// Auth-R, the transcript values for Auth-I's t, and the first keys.
struct PendingAuthI {
  TheirDakeKeys their;  // Bob's, from his Identity message
  Point x{};            // our X, public
  Mpi a;                // our A, public
  EcdhKeyPair our_ecdh_first;
  crypto::DhKeyPair our_dh_first;
  crypto::SecretBytes shared_secret;  // K
  Ssid ssid{};
  Bytes phi;
  wire::InstanceTag our_instance_tag = wire::kMinInstanceTag;
};

struct AuthRSent {
  AuthR message;
  PendingAuthI pending;
};

// "Auth-R Message", generated, and "Interactive DAKE Overview" (Alice): t,
// sigma = RSig(H_a, sk_ha, {F_b, H_a, Y}, t), then K_ecdh = ECDH(x, Y),
// k_dh = DH(a, B), brace_key, K and the SSID. `keys` are consumed: x and a
// are wiped when this returns. `phi_prime` is EncodePhiPrime's.
Result<AuthRSent> MakeAuthR(const crypto::Backend& backend, const OurLongTermKeys& ours,
                            const TheirDakeKeys& their_identity, OurDakeKeys keys,
                            ByteView phi_prime, crypto::Random& random);

// MakeAuthR with the ring signed by `signer_secret`, the secret of any one
// of {F_b, H_a, Y} (kInvalidKey otherwise): "Forging Transcripts" asks that
// forging use "the same functions used for honest conversations"; MakeAuthR
// is this with sk_ha. H_a is read from `our_client_profile`.
Result<AuthRSent> MakeAuthRSignedWith(const crypto::Backend& backend,
                                      const ClientProfile& our_client_profile,
                                      wire::InstanceTag our_instance_tag,
                                      const TheirDakeKeys& their_identity, OurDakeKeys keys,
                                      ByteView phi_prime, const crypto::SecretBytes& signer_secret,
                                      crypto::Random& random);

// ---- Auth-R validation and Auth-I (Bob) ----

// What Bob learns from a valid Auth-R: Alice's values, K and the SSID.
struct AuthRResult {
  TheirDakeKeys their;                // Alice's
  crypto::SecretBytes shared_secret;  // K
  Ssid ssid{};
  Bytes t_auth_i;  // the t that Auth-I signs
  EcdhKeyPair our_ecdh_first;
  crypto::DhKeyPair our_dh_first;
};

// "Auth-R Message", "To verify" (Bob in WAITING_AUTH_R): the receiver tag
// equals ours, the Client Profile, X, A, the first keys, RVrf({F_b, H_a, Y},
// sigma, t); then K_ecdh = ECDH(y, X), k_dh = DH(b, A), K, SSID.
// `our_keys` are those of the Identity message we sent (not changed).
Checked<AuthRResult> ValidateAuthR(const crypto::Backend& backend, const AuthR& message,
                                   const OurLongTermKeys& ours, const OurDakeKeys& our_keys,
                                   ByteView phi_prime, int64_t now);

struct AuthISent {
  AuthI message;
  DakeResult result;  // role kAuthISender
};

// "Auth-I Message", generated: sigma = RSig(H_b, sk_hb, {H_b, F_a, X}, t).
Result<AuthISent> MakeAuthI(const crypto::Backend& backend, const OurLongTermKeys& ours,
                            AuthRResult auth_r, crypto::Random& random);

// MakeAuthI with the ring {H_b, F_a, X} signed by `signer_secret`, the
// secret of any one of them (forge.h); MakeAuthI is this with sk_hb.
Result<AuthISent> MakeAuthISignedWith(const crypto::Backend& backend,
                                      const ClientProfile& our_client_profile,
                                      wire::InstanceTag our_instance_tag, AuthRResult auth_r,
                                      const crypto::SecretBytes& signer_secret,
                                      crypto::Random& random);

// ---- Auth-I validation (Alice) ----

// "Auth-I Message", "To verify" (Alice in WAITING_AUTH_I): the receiver tag
// equals ours, RVrf({H_b, F_a, X}, sigma, t). `pending` is not changed.
Checked<DakeResult> ValidateAuthI(const crypto::Backend& backend, const AuthI& message,
                                  const OurLongTermKeys& ours, const PendingAuthI& pending);

// ---- the first ratchet ----

// "Interactive DAKE Overview", "Initializes the double-ratchet algorithm":
// Ratchet::StartAuthISender for Bob, StartAuthIReceiver for Alice. The
// result's ratchet_start is consumed.
Result<ratchet::Ratchet> StartRatchet(const crypto::Backend& backend, const ratchet::Limits& limits,
                                      DakeResult& result, crypto::Random& random);

// ---- the pieces, for the engine, the forging functions and the tests ----

// K from our ephemeral secrets and their public values ("Shared Secrets"):
// KDF(usage_shared_secret || ECDH(ecdh_secret, their_ecdh) ||
// KDF(usage_third_brace_key || DH(dh_secret, their_dh), 32), 64).
Result<crypto::SecretBytes> MixedSharedSecret(const crypto::Backend& backend,
                                              const crypto::SecretBytes& our_ecdh_secret,
                                              const crypto::Ed448Point& their_ecdh,
                                              const crypto::SecretBytes& our_dh_secret,
                                              ByteView their_dh);

// "Secure Session ID": HWC(usage_SSID || K, 8).
Ssid ComputeSsid(const crypto::Backend& backend, const crypto::SecretBytes& k);

}  // namespace otr::v4::dake

#endif  // OTR_PROTOCOL_V4_DAKE_DAKE_H_
