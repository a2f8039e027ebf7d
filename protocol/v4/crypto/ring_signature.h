// otrv4.md, Appendix "Ring Signature Authentication": the signature of
// knowledge sigma = RSig(A1, a1, {A1, A2, A3}, m) and its verification
// RVrf({A1, A2, A3}, sigma, m).
//
// RSig follows the generalised form of the appendix, which does not let the
// signature or its timing show which of A1, A2, A3 is the signer's: with
// P = G * a, eq_i = constant_time_eq(P, A_i), all three of
//   T_i = constant_time_select(eq_i, encode(G * t_i), encode(G * r_i + A_i * c_i))
// are computed, then c = HashToScalar(usage_auth || G || q || A1 || A2 ||
// A3 || T1 || T2 || T3 || m), and for the index i whose eq_i is set
//   c_i = c - c_j - c_k (mod q),  r_i = t_i - c_i * a (mod q),
// selected with masks over every index, so the sequence of backend calls
// and every memory address are the same whichever index is the signer's.
// If P equals more than one A_i, the first is taken as the signer's.
//
// The byte strings hashed, exactly (each fixed length):
//   "OTRv4" || usage_auth (0x1A) || G || q || A1 || A2 || A3 || T1 || T2 || T3 || m
// where G and the A_i and T_i are POINTs (57 bytes, RFC 8032 encoding) and q
// is the group order as 57 bytes little-endian, like every value "specific
// to elliptic curve arithmetic" (otrv4.md, "Notation": little-endian). The
// hash is 57 bytes (HashToScalar), and RVrf's "h = HWC(...)", whose size
// the appendix leaves out, is the same 57 bytes, since c must equal RSig's.
// libotr-ng differs on three of these (usage 0x1C, q big-endian, a 64-byte
// hash; its auth.c), which is for docs/libotr-ng-deviations.md.
//
// The random values t1, t2, t3, c1, c2, c3, r1, r2, r3 are "hashed and
// pruned as defined in [Considerations while working with elliptic curve
// parameters] prior to be used": RingNonces holds them after that step, and
// DrawRingNonces makes them from 57 random bytes each (HashAndPrune). Of
// the nine, only t_i, c_j, c_k, r_j and r_k reach the signature for signer
// index i (the others are drawn and dropped, as in the appendix).
#ifndef OTR_PROTOCOL_V4_CRYPTO_RING_SIGNATURE_H_
#define OTR_PROTOCOL_V4_CRYPTO_RING_SIGNATURE_H_

#include <array>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/kdf.h"

namespace otr::v4 {

using ScalarBytes = std::array<uint8_t, crypto::kEd448ScalarSize>;

// The group order q, 57 bytes little-endian, as hashed into c.
extern const ScalarBytes kEd448OrderLittleEndian;

// sigma = (c1, r1, c2, r2, c3, r3), in the order of otrv4.md "Serializing
// the Ring Signature Proof of Authentication" (RING-SIG). Public: each is a
// SCALAR below q as sent. protocol/v4/messages (ring_sig.h) encodes it.
struct RingSigma {
  ScalarBytes c1{}, r1{}, c2{}, r2{}, c3{}, r3{};
  friend bool operator==(const RingSigma&, const RingSigma&) = default;
};

// The domain and usage_auth of the hash of c: OTRv4's ("OTRv4", 0x1A) or
// the prekey server's ("OTR-Prekey-Server", its usage_auth 0x11;
// otr-v4-prekey-server.md, DAKE-2 and DAKE-3).
struct RingDomain {
  std::string_view domain;
  uint8_t usage_auth;
};
inline constexpr RingDomain kOtrv4Ring{kOtrv4Domain, static_cast<uint8_t>(Usage::kAuth)};
inline constexpr RingDomain kPrekeyServerRing{kPrekeyServerDomain,
                                              static_cast<uint8_t>(PrekeyUsage::kAuth)};

// The random values of the generalised RSig, in the order the appendix
// introduces them, each a 57-byte little-endian scalar (taken mod q).
struct RingNonces {
  crypto::SecretBytes t1, t2, t3, c1, c2, c3, r1, r2, r3;
};

// Nine draws of 57 random bytes, each hashed and pruned.
Result<RingNonces> DrawRingNonces(const crypto::Backend& backend, crypto::Random& random);

// The ring {A1, A2, A3} in its public order.
using Ring = std::array<crypto::Ed448Point, 3>;
using RingEncodings = std::array<crypto::Ed448Encoding, 3>;

// RSig with the random values given. `secret` (57 bytes, taken mod q) must
// be the secret of one of the ring's keys: kInvalidKey otherwise, or when
// a nonce or the secret is not 57 bytes; kIdentityPoint when a ring key is
// the identity (otrv4.md: A1, A2, A3 "should be checked to verify that
// they are on the curve"; points from Ed448Decode are, except that
// arithmetic can yield the identity).
Result<RingSigma> RSigWithNonces(const crypto::Backend& backend, const crypto::SecretBytes& secret,
                                 const Ring& ring, ByteView m, const RingNonces& nonces,
                                 const RingDomain& domain = kOtrv4Ring);

// RSig with fresh random values.
Result<RingSigma> RSig(const crypto::Backend& backend, const crypto::SecretBytes& secret,
                       const Ring& ring, ByteView m, crypto::Random& random,
                       const RingDomain& domain = kOtrv4Ring);

// RVrf on the ring's encodings: each is decoded and validated (Ed448Decode:
// the decoder's error), each scalar of sigma must be below q
// (kNonCanonical), then kBadSignature unless c == c1 + c2 + c3 (mod q).
Status RVrf(const crypto::Backend& backend, const RingEncodings& ring, const RingSigma& sigma,
            ByteView m, const RingDomain& domain = kOtrv4Ring);
// The same on points already decoded (kIdentityPoint for the identity).
Status RVrf(const crypto::Backend& backend, const Ring& ring, const RingSigma& sigma, ByteView m,
            const RingDomain& domain = kOtrv4Ring);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_CRYPTO_RING_SIGNATURE_H_
