// libotr-ng's interactive DAKE (dake.c, otrng.c, key_management.c),
// reproduced for the `libotr-ng` compatibility profile (issue 20,
// docs/libotr-ng-deviations.md). It is otrv4.md's "Interactive DAKE" with
// these differences, and only these:
//   - the Client Profile in libotr-ng's bytes (big-endian key types, #1;
//     client_profile.h), also inside t;
//   - the Auth-R message ends with sigma (#3), sigma is libotr-ng's ring
//     signature with 56-byte scalars (#2, #14; ring_signature.h);
//   - phi = u16(lower tag) || u16(higher tag) || DATA(both identifiers,
//     sorted, concatenated): the instance tags cut to their low 16 bits and
//     no first ratchet keys (#15; otrng.c, generate_phi_serialized,
//     serialize.c, otrng_serialize_phi);
//   - K_ecdh = (x / 4) * Y, libotr-ng's ECDH (#11; curve.h);
//   - the Auth-I sender's first ratchet keys are derived from K, not the
//     our_ecdh_first / our_dh_first of its Identity message (the Auth-R
//     sender's are those of its Auth-R) (#16;
//     key_management.c, otrng_key_manager_ratcheting_init,
//     generate_first_ephemeral_keys; dh.c,
//     otrng_dh_keypair_generate_from_shared_secret).
// The rest (t's layout and usage IDs, brace_key, K, the SSID, the rings and
// who signs) is the spec's, through protocol/v4/dake. Sans-I/O as there.
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_DAKE_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_DAKE_H_

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
#include "protocol/v4/dake/dake.h"
#include "protocol/v4/messages/header.h"
#include "protocol/v4/messages/profile.h"

namespace otr::v4::libotr_ng {

using dake::Checked;

// ---- the messages, in libotr-ng's layout (dake.c) ----

// "Identity Message": the spec's fields; the Client Profile in libotr-ng's bytes.
struct IdentityMessage {
  Header header;
  Bytes client_profile;  // libotr-ng's bytes, signature included
  Point y{};
  Mpi b;
  Point y_first{};
  Mpi b_first;
};

// "Auth-R Message" as libotr-ng orders it: sigma last (#3).
struct AuthR {
  Header header;
  Bytes client_profile;
  Point x{};
  Mpi a;
  Point x_first{};
  Mpi a_first;
  RingSigma sigma;
};

struct AuthI {
  Header header;
  RingSigma sigma;
};

Bytes EncodeIdentity(const IdentityMessage& m);
Bytes EncodeAuthR(const AuthR& m);
Bytes EncodeAuthI(const AuthI& m);
// Typed errors (kTruncated, kUnknownType, kTrailingBytes, ...); the Client
// Profile's signature and the points are checked by the Validate functions.
Result<IdentityMessage> DecodeIdentity(ByteView bytes);
Result<AuthR> DecodeAuthR(const crypto::Backend& backend, ByteView bytes);
Result<AuthI> DecodeAuthI(const crypto::Backend& backend, ByteView bytes);

// ---- phi, K, the first ratchet keys ----

// libotr-ng's phi (#15): its shared session state is the two identifiers
// (e.g. the accounts), the lower one first, with nothing between.
Bytes SharedSessionState(uint32_t tag_a, uint32_t tag_b, std::string_view identifier_a,
                         std::string_view identifier_b);

// K = KDF(usage_shared_secret || K_ecdh || brace_key, 64) with libotr-ng's
// K_ecdh = (our_ecdh_secret / 4) * their_ecdh (#11); kIdentityPoint when
// K_ecdh is the identity.
Result<crypto::SecretBytes> MixedSharedSecret(const crypto::Backend& backend,
                                              const crypto::SecretBytes& our_ecdh_secret,
                                              const crypto::Ed448Point& their_ecdh,
                                              const crypto::SecretBytes& our_dh_secret,
                                              ByteView their_dh);

// What libotr-ng's double ratchet starts from (#16): the first root key
// KDF(usage_first_root_key || K, 64) (the spec's), and the Auth-I sender's
// first ECDH and DH key pairs, which both sides derive from K: the ECDH key
// pair from the seed KDF(0x12 || K, 57) (RFC 8032 derivation, as its
// long-term keys), the DH secret KDF(0x13 || K, 80) read big-endian. The
// Auth-I sender holds them as its own, the Auth-R sender as its peer's.
struct FirstRatchetKeys {
  crypto::SecretBytes root_key;
  Ed448KeyPair ecdh;
  crypto::DhKeyPair dh;
};
inline constexpr uint8_t kUsageEcdhFirstEphemeral = 0x12;
inline constexpr uint8_t kUsageDhFirstEphemeral = 0x13;
Result<FirstRatchetKeys> DeriveFirstRatchetKeys(const crypto::Backend& backend,
                                                const crypto::SecretBytes& k);

// ---- the DAKE steps (Bob sends Identity and Auth-I, Alice Auth-R) ----

struct OurSide {
  const Ed448KeyPair* long_term = nullptr;  // (sk_h, H)
  const ClientProfile* client_profile = nullptr;
  Bytes client_profile_bytes;  // the same, libotr-ng's bytes (EncodeAndSignClientProfile)
  uint32_t instance_tag = 0;
  std::string_view identifier;  // our half of phi'
};

struct TheirSide {
  uint32_t instance_tag = 0;
  ClientProfile client_profile;
  Bytes client_profile_bytes;
  crypto::Ed448Point h;
  crypto::Ed448Point f;
  crypto::Ed448Point ecdh;  // Y or X
  Mpi dh;                   // B or A
};

// The outcome on either side: K and its SSID, who the other side is.
struct Established {
  crypto::SecretBytes shared_secret;  // K
  dake::Ssid ssid{};
  TheirSide their;
};

IdentityMessage MakeIdentity(const OurSide& ours, uint32_t receiver_instance_tag,
                             const dake::OurDakeKeys& keys);

// The sender's Client Profile (libotr-ng's signature, owner tag equal to
// the sender tag, not expired at `now`, version 4), Y and B.
Checked<TheirSide> ValidateIdentity(const crypto::Backend& backend, const IdentityMessage& m,
                                    uint32_t our_instance_tag, int64_t now);

// The checks every DAKE message carrying a sender's Client Profile, ECDH
// and DH values shares (dake.c, otrng_valid_received_values): the sender
// tag, libotr-ng's profile signature, owner tag, expiry and version, the
// point and the group element. Also non_interactive.h's.
Checked<TheirSide> ValidateSenderValues(const crypto::Backend& backend, const Header& header,
                                        const Bytes& profile_bytes, const Point& ecdh,
                                        const Mpi& dh, int64_t now);

struct AuthRSent {
  AuthR message;
  Established pending;  // kept until Auth-I
  Bytes phi;
  Point x{};
  Mpi a;
};
Result<AuthRSent> MakeAuthR(const crypto::Backend& backend, const OurSide& ours,
                            const TheirSide& bob, std::string_view their_identifier,
                            const dake::OurDakeKeys& keys, crypto::Random& random);

// Bob: checks Auth-R (its profile, X, A, sigma over t), computes K, and
// answers with Auth-I.
struct AuthISent {
  AuthI message;
  Established established;
};
Checked<AuthISent> ValidateAuthRAndMakeAuthI(const crypto::Backend& backend, const AuthR& m,
                                             const OurSide& ours, const dake::OurDakeKeys& keys,
                                             std::string_view their_identifier, int64_t now,
                                             crypto::Random& random);

// Alice: RVrf({H_b, F_a, X}, sigma, t) for the Auth-I's t.
Checked<Established> ValidateAuthI(const crypto::Backend& backend, const AuthI& m,
                                   const OurSide& ours, AuthRSent pending);

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_DAKE_H_
