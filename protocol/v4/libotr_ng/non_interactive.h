// libotr-ng's non-interactive DAKE (otrng.c: build_non_interactive_auth_message,
// non_interactive_auth_message_received, generate_tmp_key; dake.c:
// otrng_dake_non_interactive_auth_message_serialize, build_rsign_tag,
// build_non_interactive_rsign_tag,
// otrng_dake_non_interactive_auth_message_authenticator; key_management.c:
// otrng_key_manager_calculate_tmp_key, otrng_key_manager_generate_shared_secret),
// reproduced for the `libotr-ng` compatibility profile (issue 20,
// docs/libotr-ng-deviations.md rows 26-29). It is otrv4.md's "Non-Interactive
// DAKE Overview" and "Non-Interactive-Auth Message" with these differences:
//   - the Non-Interactive-Auth has no first ratchet keys (#4): header,
//     Client Profile (libotr-ng's bytes), X, A, sigma (libotr-ng's ring
//     signature, 56-byte scalars), Prekey Message Identifier, Auth MAC;
//   - phi is libotr-ng's (#15, dake.h SharedSessionState): no first keys;
//   - t hashes libotr-ng's profile bytes, and carries the shared prekey D_b
//     with its big-endian key type (00 11 || POINT), not a bare POINT (#26);
//   - tmp_k's brace key is SHAKE-256(k_dh, 32) with no domain and no usage
//     ID (generate_tmp_key: hash_hash), where the spec has
//     KDF(usage_third_brace_key || k_dh, 32) (#27);
//   - every ECDH is libotr-ng's (#11): (x / 4) * Y, (x / 4) * D_b,
//     (x / 4) * H_b on Alice's side, (y / 4) * X, (d / 4) * X, (h / 4) * X
//     on Bob's;
//   - the double ratchet starts as after libotr-ng's interactive DAKE (#16,
//     #28): Bob, the receiver, holds the pair derived from K as his own and
//     Alice's X and A as hers (Ratchet::StartAuthISender with X, A); Alice
//     keeps x, a as her own and holds the pair derived from K as Bob's
//     (Ratchet::StartAuthRSender with (x, X), (a, A)).
// The rest is the spec's: the usage IDs of t (0x0E, 0x0F, 0x10), tmp_k
// (0x0C), auth_mac_k (0x0D) and the Auth MAC (0x11), the ring {F_b, H_a, Y}
// signed with sk_ha, K = KDF(usage_shared_secret || tmp_k, 64) and its SSID.
// Sans-I/O as dake.h.
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_NON_INTERACTIVE_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_NON_INTERACTIVE_H_

#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/libotr_ng/dake.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/v4/messages/header.h"

namespace otr::v4::libotr_ng {

// "Non-Interactive-Auth Message" in libotr-ng's layout (#4).
struct NonInteractiveAuth {
  Header header;
  Bytes client_profile;  // libotr-ng's bytes, signature included
  Point x{};
  Mpi a;
  RingSigma sigma;
  uint32_t prekey_message_identifier = 0;
  Mac auth_mac{};
};

Bytes EncodeNonInteractiveAuth(const NonInteractiveAuth& m);
// The whole input; typed errors (kTruncated, kUnknownType, kTrailingBytes,
// kNonCanonical for a sigma scalar >= q). The profile's signature, X and A
// are checked by ValidateNonInteractiveAuth.
Result<NonInteractiveAuth> DecodeNonInteractiveAuth(const crypto::Backend& backend, ByteView bytes);

// t = KDF(0x0E || Bob's Client Profile, 64) || KDF(0x0F || Alice's, 64) ||
// Y || X || B || A || 00 11 || D_b || KDF(0x10 || phi, 64) (no leading byte).
Bytes NonInteractiveT(const crypto::Backend& backend, ByteView bob_profile, ByteView alice_profile,
                      const Point& y, const Point& x, ByteView b, ByteView a,
                      const Point& shared_prekey, ByteView phi);

// tmp_k = KDF(0x0C || K_ecdh || ECDH with D_b || ECDH with H_b ||
// SHAKE-256(k_dh, 32), 64) (#27).
crypto::SecretBytes TmpKey(const crypto::Backend& backend, const crypto::SecretBytes& k_ecdh,
                           const crypto::SecretBytes& ecdh_shared_prekey,
                           const crypto::SecretBytes& ecdh_long_term,
                           const crypto::SecretBytes& k_dh);

// Auth MAC = KDF(0x11 || KDF(0x0D || tmp_k, 64) || t, 64).
Mac AuthMac(const crypto::Backend& backend, const crypto::SecretBytes& tmp_k, ByteView t);

// Bob's ensemble as Alice holds it after validating it: his side (Client
// Profile bytes, H_b, F_b, Y as `ecdh`, B as `dh`), D_b and the Prekey
// Message's identifier.
struct TheirEnsemble {
  TheirSide bob;
  crypto::Ed448Point shared_prekey;  // D_b
  uint32_t prekey_message_identifier = 0;
};

// Alice: the Non-Interactive-Auth for `bob` with `keys` (x, a; the first
// keys unused), K and its SSID.
struct NonInteractiveAuthSent {
  NonInteractiveAuth message;
  Established established;
};
Result<NonInteractiveAuthSent> MakeNonInteractiveAuth(const crypto::Backend& backend,
                                                      const OurSide& ours, const TheirEnsemble& bob,
                                                      std::string_view their_identifier,
                                                      const dake::OurDakeKeys& keys,
                                                      crypto::Random& random);

// Bob's stored secrets for the message: those of the Prekey Message it
// names (y, b; null when none is stored) and of the Prekey Profile (d, D_b).
struct OurPrekey {
  uint32_t identifier = 0;
  const EcdhKeyPair* ecdh = nullptr;            // y, Y
  const crypto::DhKeyPair* dh = nullptr;        // b, B
  const Ed448KeyPair* shared_prekey = nullptr;  // d, D_b
};

// Bob (non_interactive_auth_message_received): the receiver tag is ours;
// Alice's Client Profile (libotr-ng's signature, owner tag, expiry,
// version), X and A; the identifier names `prekey`; RVrf({F_b, H_a, Y},
// sigma, t); tmp_k and the Auth MAC (constant time); K and the SSID.
// Nothing is kept; the caller erases the prekey's secrets when this succeeds.
Checked<Established> ValidateNonInteractiveAuth(const crypto::Backend& backend,
                                                const NonInteractiveAuth& m, const OurSide& ours,
                                                const OurPrekey& prekey,
                                                std::string_view their_identifier, int64_t now);

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_NON_INTERACTIVE_H_
