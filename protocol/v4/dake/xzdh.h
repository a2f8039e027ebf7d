// The non-interactive DAKE of OTRv4 (XZDH) as pure functions (otrv4.md,
// "Offline Conversation Initialization", "Non-Interactive DAKE Overview",
// "Prekey Message", "Non-Interactive-Auth Message", "Validating Prekey
// Ensembles"). Sans-I/O like dake.h: randomness and the time come in as
// arguments, crypto only through crypto::Backend, no state kept here.
//
//   Bob (prekey owner)                      Alice (Non-Interactive-Auth sender)
//   MakePrekeyMessage (keeps PrekeySecrets)
//   publishes Client Profile, Prekey Profile and Prekey Messages
//                                           ValidateEnsemble, GenerateOurDakeKeys,
//                                           MakeNonInteractiveAuth (K, SSID, Auth MAC)
//                                           StartXzdhRatchet (StartNonInteractiveAuthSender)
//   ValidateNonInteractiveAuth (with the PrekeySecrets of its identifier,
//   which the caller erases), StartXzdhRatchet (StartNonInteractiveAuthReceiver)
//
// Readings (docs/decisions/0015-v4-xzdh.md):
//   - phi of the non-interactive DAKE: only Alice has first ratchet keys, so
//     phi = INT(lower tag) || INT(higher tag) || POINT(Alice's
//     our_ecdh_first) || MPI(Alice's our_dh_first) || phi' (phi' as in
//     shared_state.h).
//   - t = HWC(usage_non_int_auth_bob_client_profile || Bob's CLIENT-PROF, 64)
//         || HWC(usage_non_int_auth_alice_client_profile || Alice's, 64)
//         || Y || X || B || A || D_b || HWC(usage_non_int_auth_phi || phi, 64)
//     with Y, X, D_b as POINTs and B, A as MPIs (no leading byte: unlike
//     Auth-R's and Auth-I's t, the spec's has none).
//   - the ring is {F_b, H_a, Y}, signed with sk_ha (the spec's "RSig(H_a,
//     sk_ha, {F_b, H_a, Y}, t)"); Bob's y or his forging secret can sign it
//     too (forged transcripts, MakeNonInteractiveAuthSignedWith).
//   - the DAKE's brace_key is kept as the ratchet's first brace key
//     (protocol/v4/ratchet/README.md, "Non-interactive start").
#ifndef OTR_PROTOCOL_V4_DAKE_XZDH_H_
#define OTR_PROTOCOL_V4_DAKE_XZDH_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/dake/dake.h"
#include "protocol/v4/dake/dake_error.h"
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/v4/ratchet/limits.h"
#include "protocol/v4/ratchet/ratchet.h"
#include "protocol/wire/instance_tag.h"

namespace otr::v4::dake {

// ---- Bob: prekey messages ("Prekey Message") ----

// The private values of one published Prekey Message: kept until a
// Non-Interactive-Auth names its identifier (then erased: "one-time use")
// or its Prekey Profile expires.
struct PrekeySecrets {
  uint32_t identifier = 0;
  wire::InstanceTag owner_instance_tag = wire::kMinInstanceTag;
  EcdhKeyPair ecdh;      // y, Y
  crypto::DhKeyPair dh;  // b, B
};

struct MadePrekeyMessage {
  PrekeyMessage message;  // to publish
  PrekeySecrets secrets;  // to keep
};

// "A valid Prekey message is generated as follows": a random 4-byte
// identifier (never 0, so that 0 can mean "none"), (y, Y) = generateECDH(),
// (b, B) = generateDH(), the owner's instance tag (kInvalidInstanceTag below
// 0x100).
Result<MadePrekeyMessage> MakePrekeyMessage(const crypto::Backend& backend,
                                            wire::InstanceTag owner_instance_tag,
                                            crypto::Random& random);

// ---- Alice: ensembles and the Non-Interactive-Auth message ----

// "The combination of one Client Profile, one Prekey Profile and one Prekey
// message is called a 'Prekey Ensemble'."
struct PrekeyEnsembleValues {
  ClientProfile client_profile;
  PrekeyProfile prekey_profile;
  PrekeyMessage prekey_message;
  friend bool operator==(const PrekeyEnsembleValues&, const PrekeyEnsembleValues&) = default;
};

// An ensemble that passed "Validating Prekey Ensembles", with its keys decoded.
struct TheirPrekeyEnsemble {
  PrekeyEnsembleValues values;
  wire::InstanceTag instance_tag = wire::kNoInstanceTag;  // the owner's (all three agree)
  crypto::Ed448Point h;                                   // H_b
  crypto::Ed448Point f;                                   // F_b
  crypto::Ed448Point d;                                   // D_b, their_shared_prekey
  crypto::Ed448Point y;                                   // Y, their_ecdh
  Mpi b;                                                  // B, their_dh
};

// "Validating Prekey Ensembles" (profile::ValidatePrekeyEnsemble, every
// check in the spec's order) at `now`, our versions `our_versions`: the
// failing rule is the DakeError's profile_error (check kPrekeyEnsemble).
Checked<TheirPrekeyEnsemble> ValidateEnsemble(const crypto::Backend& backend,
                                              const PrekeyEnsembleValues& ensemble, int64_t now,
                                              std::string_view our_versions = "4");

// What the non-interactive DAKE hands to the engine.
enum class XzdhRole : uint8_t {
  kAuthSender,    // Alice: sent Non-Interactive-Auth
  kAuthReceiver,  // Bob: received it
};
struct XzdhResult {
  XzdhRole role = XzdhRole::kAuthSender;
  Ssid ssid{};
  ratchet::NonInteractiveStart ratchet_start;  // K, brace_key, the first keys
  Fingerprint their_fingerprint{};             // HWC(usage_fingerprint || H || F, 56)
  ClientProfile their_client_profile;
  wire::InstanceTag their_instance_tag = wire::kNoInstanceTag;
  uint32_t prekey_message_identifier = 0;
};

struct NonInteractiveAuthSent {
  NonInteractiveAuth message;
  XzdhResult result;  // role kAuthSender
};

// "Non-Interactive-Auth Message", generated, and Alice's part of
// "Non-Interactive DAKE Overview": K_ecdh = ECDH(x, Y), brace_key from
// DH(a, B), tmp_k, auth_mac_k, t, sigma = RSig(H_a, sk_ha, {F_b, H_a, Y}, t),
// K = KDF(usage_shared_secret || tmp_k, 64), the SSID and the Auth MAC.
// `keys` (x, a and the first keys) are consumed: x and a are wiped when
// this returns, the first keys move into the result's ratchet start.
Result<NonInteractiveAuthSent> MakeNonInteractiveAuth(const crypto::Backend& backend,
                                                      const OurLongTermKeys& ours,
                                                      const TheirPrekeyEnsemble& ensemble,
                                                      OurDakeKeys keys, ByteView phi_prime,
                                                      crypto::Random& random);

// The same with the ring {F_b, H_a, Y} signed by `signer_secret`, the secret
// of any one of them ("Forging Transcripts": the same function as honest
// conversations). H_a is read from `our_client_profile`.
Result<NonInteractiveAuthSent> MakeNonInteractiveAuthSignedWith(
    const crypto::Backend& backend, const ClientProfile& our_client_profile,
    wire::InstanceTag our_instance_tag, const TheirPrekeyEnsemble& ensemble, OurDakeKeys keys,
    ByteView phi_prime, const crypto::SecretBytes& signer_secret, crypto::Random& random);

// ---- Bob: validating the Non-Interactive-Auth message ----

// Bob's stored values the message is checked against. `prekey` is the
// stored PrekeySecrets of the message's identifier, or null when there is
// none ("Aborts the DAKE"); the caller looks it up and, on success, erases
// it. `other_client_profiles` are our older Client Profiles still in their
// overlap ("As multiple client profiles can coexist on local storage ...
// use them to generate t and validate sigma").
struct OurPrekeyValues {
  const PrekeyProfile* prekey_profile = nullptr;              // ours, with D_b
  const crypto::SecretBytes* shared_prekey_secret = nullptr;  // sk_d (our_shared_prekey.secret)
  const PrekeySecrets* prekey = nullptr;                      // y, b of the named Prekey Message
  std::span<const ClientProfile* const> other_client_profiles;
};

// "Receiving a Non-Interactive-Auth Message", Bob's list in the spec's
// order: the receiver tag is our (the prekey's) sender tag; X on Ed448; A in
// the DH group; our_ecdh_first and our_dh_first likewise; Alice's Client
// Profile (owner tag equal to the sender's, not expired at `now`); the
// Prekey Message Identifier names stored secrets (of our instance tag); our
// Client Profile and Prekey Profile are present; RVrf({F_b, H_a, Y}, sigma,
// t) (with each other Client Profile if it fails); then tmp_k from
// ECDH(y, X), ECDH(sk_d, X), ECDH(sk_hb, X) and the brace key of DH(b, A);
// the Auth MAC, compared in constant time; K and the SSID. Nothing is
// changed; the caller erases `values.prekey` when this succeeds.
Checked<XzdhResult> ValidateNonInteractiveAuth(const crypto::Backend& backend,
                                               const NonInteractiveAuth& message,
                                               const OurLongTermKeys& ours,
                                               const OurPrekeyValues& values, ByteView phi_prime,
                                               int64_t now);

// ---- the first ratchet ----

// "Initializes the double-ratchet": Ratchet::StartNonInteractiveAuthSender
// for Alice, StartNonInteractiveAuthReceiver for Bob. The result's
// ratchet_start is consumed.
Result<ratchet::Ratchet> StartXzdhRatchet(const crypto::Backend& backend,
                                          const ratchet::Limits& limits, XzdhResult& result);

// ---- the pieces, for the vectors and the tests ----

// phi of the non-interactive DAKE (the reading above).
Bytes NonInteractiveSessionState(wire::InstanceTag alice_tag, wire::InstanceTag bob_tag,
                                 const Point& alice_ecdh_first, ByteView alice_dh_first,
                                 ByteView phi_prime);

struct NonInteractiveTranscript {
  const ClientProfile* bob_client_profile = nullptr;
  const ClientProfile* alice_client_profile = nullptr;
  Point y{};              // Y (Prekey Message)
  Point x{};              // X (Non-Interactive-Auth)
  ByteView b;             // B, minimal big-endian
  ByteView a;             // A, minimal big-endian
  Point shared_prekey{};  // D_b
};

// t of "Non-Interactive-Auth Message".
Bytes NonInteractiveAuthT(const crypto::Backend& backend, const NonInteractiveTranscript& values,
                          ByteView phi);

// tmp_k = KDF(usage_tmp_key || K_ecdh || ECDH(x, D_b) || ECDH(x, H_b) ||
// brace_key, 64) from its three ECDH values and the brace key.
crypto::SecretBytes TmpKey(const crypto::Backend& backend, const crypto::SecretBytes& k_ecdh,
                           const crypto::SecretBytes& ecdh_shared_prekey,
                           const crypto::SecretBytes& ecdh_long_term,
                           const crypto::SecretBytes& brace_key);

// auth_mac_k = KDF(usage_auth_MAC_key || tmp_k, 64);
// Auth MAC = HCMAC(usage_auth_MAC || auth_mac_k || t, 64).
crypto::SecretBytes AuthMac(const crypto::Backend& backend, const crypto::SecretBytes& tmp_k,
                            ByteView t);

// K = KDF(usage_shared_secret || tmp_k, 64).
crypto::SecretBytes NonInteractiveSharedSecret(const crypto::Backend& backend,
                                               const crypto::SecretBytes& tmp_k);

}  // namespace otr::v4::dake

#endif  // OTR_PROTOCOL_V4_DAKE_XZDH_H_
