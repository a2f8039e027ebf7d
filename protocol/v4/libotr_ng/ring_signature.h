// libotr-ng's ring signature (auth.c, otrng_rsig_authenticate and
// otrng_rsig_verify), reproduced for the `libotr-ng` compatibility profile
// (issue 20). It is otrv4.md's Appendix "Ring Signature Authentication"
// with these differences (docs/libotr-ng-deviations.md):
//   - the generator is libotr-ng's G = 4 * B, and the signer's secret is the
//     scalar it holds, a / 4 (curve.h; #9, #10);
//   - c = SHAKE-256("OTRv4" || 0x1C || B || q || A1 || A2 || A3 || T1 || T2
//     || T3 || m, 64) reduced mod q: usage_auth 0x1C (the spec's is 0x1A),
//     q as 56 bytes big-endian (the spec's SCALAR is 57 bytes little-endian),
//     a 64-byte hash (HashToScalar's is 57); B is hashed in its RFC 8032
//     encoding although the generator used is 4B;
//   - sigma's six scalars travel as 56 bytes each (#2).
// The signer's index stays secret as in protocol/v4/crypto/ring_signature:
// every T_i and scalar is computed for each index and selected with masks.
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_RING_SIGNATURE_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_RING_SIGNATURE_H_

#include <array>
#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/ring_signature.h"

namespace otr::v4::libotr_ng {

// libotr-ng's SCALAR on the wire (libgoldilocks' GOLDILOCKS_448_SCALAR_BYTES).
inline constexpr size_t kScalarWireSize = 56;
inline constexpr size_t kRingSigWireSize = 6 * kScalarWireSize;
inline constexpr uint8_t kUsageAuth = 0x1C;  // auth.h, OTRNG_PROTOCOL_USAGE_AUTH

// The domain and usage_auth hashed into c: the DAKE's ("OTRv4", 0x1C), or
// the prekey server DAKE's ("OTR-Prekey-Server", 0x11: prekey_manager.c,
// USAGE_AUTH, through otrng_rsig_authenticate_with_usage_and_domain), whose
// values are the spec's; the rest of the construction differs as above.
inline constexpr RingDomain kLibotrNgRing{kOtrv4Domain, kUsageAuth};
inline constexpr RingDomain kLibotrNgPrekeyServerRing = kPrekeyServerRing;

// sigma with the spec's 57-byte scalars in memory (each below q, so its
// 57th byte is 0); Encode/Decode give libotr-ng's 336 bytes.
Bytes EncodeRingSig(const RingSigma& sigma);
// kTruncated unless exactly 336 bytes; kNonCanonical for a scalar >= q
// (libotr-ng reduces them; its own are always below q).
Result<RingSigma> DecodeRingSig(const crypto::Backend& backend, ByteView bytes);

// RSig as libotr-ng computes it; `secret` is the spec's scalar a of one
// ring key A = a * B (57 bytes).
Result<RingSigma> RSig(const crypto::Backend& backend, const crypto::SecretBytes& secret,
                       const Ring& ring, ByteView m, crypto::Random& random,
                       const RingDomain& domain = kLibotrNgRing);

// RVrf as libotr-ng computes it: kBadSignature unless c == c1 + c2 + c3.
Status RVrf(const crypto::Backend& backend, const Ring& ring, const RingSigma& sigma, ByteView m,
            const RingDomain& domain = kLibotrNgRing);

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_RING_SIGNATURE_H_
