// OTRv4 key generation, through crypto::Backend only:
// - otrv4.md, "Considerations while working with elliptic curve parameters":
//   a random value becomes a scalar as h = SHAKE-256(value, 57), pruned.
// - otrv4.md, "Generating ECDH and DH keys": generateECDH() and generateDH().
// - otrv4.md, "Public keys, Shared Prekeys, Forging keys and Fingerprints":
//   the long-term key H, the shared prekey D and the forging key F, from a
//   57-byte sym_key (RFC 8032 key generation), and the forging key as a
//   random point without a secret.
//
// Each generator has a deterministic core taking the random bytes (for
// vectors and tests) and a wrapper drawing them from crypto::Random. Secret
// scalars are SecretBytes: 57 bytes, little-endian, the pruned value itself
// (in [2^447, 2^448), so not reduced mod q; every backend operation takes a
// scalar mod q). The random inputs and `h` live in SecretBytes and are wiped
// when they go out of scope ("Securely delete 'r' and 'h'").
#ifndef OTR_PROTOCOL_V4_CRYPTO_KEYS_H_
#define OTR_PROTOCOL_V4_CRYPTO_KEYS_H_

#include <cstddef>
#include <cstdint>
#include <utility>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"

namespace otr::v4 {

// The type codes of otrv4.md "Public keys, Shared Prekeys, Forging keys and
// Fingerprints" (encoded little-endian in front of the POINT; the encoding
// itself belongs to protocol/v4/messages).
inline constexpr uint16_t kEd448PubkeyType = 0x0010;        // ED448-PUBKEY (H)
inline constexpr uint16_t kEd448SharedPrekeyType = 0x0011;  // ED448-SHARED-PREKEY (D)
inline constexpr uint16_t kEd448ForgingKeyType = 0x0012;    // ED448-FORGING-KEY (F)

inline constexpr size_t kEcdhRandomSize = 57;  // generateECDH: "a random value r (57 bytes)"
inline constexpr size_t kDhRandomSize = 80;    // generateDH: "a random value r (80 bytes)"
inline constexpr size_t kSymKeySize = 57;      // sym_key: "57 bytes of ... random data"

// "prune 'h': the two least significant bits of the first byte are cleared,
// all eight bits of the last byte are cleared, and the highest bit of the
// second to last byte is set." `h` must have 57 bytes (kInvalidKey).
Status PruneScalar(MutableByteView h);

// h = SHAKE-256(value, 57), pruned, as the secret scalar: "Considerations
// while working with elliptic curve parameters", and the first 57 bytes of
// SHAKE-256(r, 114) in generateECDH() and RFC 8032 key generation (SHAKE's
// output does not depend on the length asked for beyond that length, so
// the two are the same bytes). `value` must have 57 bytes (kInvalidKey).
Result<crypto::SecretBytes> HashAndPrune(const crypto::Backend& backend,
                                         const crypto::SecretBytes& value);

struct Ed448KeyPair;

// A key pair on Ed448: s, G * s and the wire form of G * s, encoded once
// when the pair is made: every public key we make is sent, a ratchet's in
// each of its Data Messages (issue 20), and the DAKE's in its messages and
// `t` values. The fields are private so that pub_encoded() is always the
// encoding of pub(): a pair is made only by the functions below, which
// encode (or keep the wire form `pub` was decoded from).
class EcdhKeyPair {
 public:
  // No key: a member or container slot that a made pair is assigned to
  // before use (its point belongs to no backend; using it aborts).
  EcdhKeyPair() = default;

  // The pair of s (57 bytes, kInvalidKey otherwise): G * s and its encoding.
  static Result<EcdhKeyPair> FromSecret(const crypto::Backend& backend, crypto::SecretBytes secret);
  // s (57 bytes) with its public key as it travelled: decoded from `encoded`
  // (Ed448Decode's errors) and kept in that wire form. For a pair we made
  // and sent, kept apart from its secret (a Prekey Message's y and Y). It
  // does not check that the point is G * s.
  static Result<EcdhKeyPair> FromSecretAndWire(const crypto::Backend& backend,
                                               crypto::SecretBytes secret, ByteView encoded);
  // The secret and public key of a pair derived from a seed
  // (DeriveEd448KeyPair: pub = G * secret), G * s encoded here.
  static EcdhKeyPair FromEd448KeyPair(const crypto::Backend& backend, Ed448KeyPair pair);

  const crypto::SecretBytes& secret() const { return secret_; }  // s, 57 bytes
  const crypto::Ed448Point& pub() const { return pub_; }         // G * s
  const crypto::Ed448Encoding& pub_encoded() const { return pub_encoded_; }

 private:
  EcdhKeyPair(crypto::SecretBytes secret, const crypto::Ed448Point& pub,
              const crypto::Ed448Encoding& pub_encoded)
      : secret_(std::move(secret)), pub_(pub), pub_encoded_(pub_encoded) {}

  crypto::SecretBytes secret_;
  crypto::Ed448Point pub_;
  crypto::Ed448Encoding pub_encoded_{};
};

// generateECDH() with r given (57 bytes, kInvalidKey otherwise).
Result<EcdhKeyPair> GenerateEcdhFromRandom(const crypto::Backend& backend,
                                           const crypto::SecretBytes& r);
Result<EcdhKeyPair> GenerateEcdh(const crypto::Backend& backend, crypto::Random& random);

// generateDH() with r given (80 bytes, kInvalidKey otherwise): secret r,
// public g3 ^ r mod dh_p (minimal big-endian).
Result<crypto::DhKeyPair> GenerateDhFromRandom(const crypto::Backend& backend,
                                               const crypto::SecretBytes& r);
Result<crypto::DhKeyPair> GenerateDh(const crypto::Backend& backend, crypto::Random& random);

// A long-lived Ed448 key from its sym_key: H (sym_h, sk_h), D (sym_d,
// sk_d), or F when the forging key is made "by using scalar
// multiplication". sym_key is kept: the profiles are signed with EdDSA
// under it (RFC 8032 section 5.2.6 takes the seed, i.e. sym_key).
struct Ed448KeyPair {
  crypto::SecretBytes sym_key;  // 57 bytes
  crypto::SecretBytes secret;   // sk: SHAKE-256(sym_key, 114)[0..57), pruned
  crypto::Ed448Point pub;       // sk * G, the RFC 8032 public key
};

// Steps 1-3 of the spec's list with sym_key given (57 bytes, kInvalidKey
// otherwise). The public key equals RFC 8032's for the seed sym_key.
Result<Ed448KeyPair> DeriveEd448KeyPair(const crypto::Backend& backend,
                                        const crypto::SecretBytes& sym_key);
// The same with a fresh sym_key: the long-term key (ED448-PUBKEY), the
// shared prekey (ED448-SHARED-PREKEY), the forging key with a secret.
Result<Ed448KeyPair> GenerateLongTermKeyPair(const crypto::Backend& backend,
                                             crypto::Random& random);
Result<Ed448KeyPair> GenerateSharedPrekeyPair(const crypto::Backend& backend,
                                              crypto::Random& random);
Result<Ed448KeyPair> GenerateForgingKeyPair(const crypto::Backend& backend, crypto::Random& random);

// The forging key "as a point directly on the curve": "Generate 57 bytes of
// cryptographically secure random data (buf). Deserialize buf into a POINT.
// Check whether it is a valid point." Ed448Decode deserializes and checks
// (on the curve, canonical, in the prime-order subgroup, not the identity);
// the core fails with its error for bytes that are not such a point. In a
// POINT the final byte holds only the sign of x (bit 7; "The final byte is
// always zero" before it is copied in), so a fully random buf would decode
// about once in a thousand draws: the wrapper clears bits 0-6 of the final
// byte before deserializing, and about one draw in eight is then a point in
// the subgroup. It draws again until one is, and gives up with
// kBackendFailure after kForgingPointMaxDraws draws (probability
// (7/8)^256 < 2^-49).
inline constexpr int kForgingPointMaxDraws = 256;
Result<crypto::Ed448Point> ForgingPointFromRandom(const crypto::Backend& backend, ByteView buf);
Result<crypto::Ed448Point> GenerateForgingPoint(const crypto::Backend& backend,
                                                crypto::Random& random);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_CRYPTO_KEYS_H_
