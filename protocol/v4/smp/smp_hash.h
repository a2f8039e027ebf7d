// The hashing of the v4 SMP (otrv4.md, "Socialist Millionaires Protocol
// (SMP)"): the SMP secret ("Secret Information"), the proofs' hash ("SMP
// Hash Function", Appendix "HashToScalar") and the random scalars
// ("Considerations while working with elliptic curve parameters"), over the
// v4 constructs of protocol/v4/crypto.
#ifndef OTR_PROTOCOL_V4_SMP_SMP_HASH_H_
#define OTR_PROTOCOL_V4_SMP_SMP_HASH_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/fingerprint.h"

namespace otr::v4::smp {

using ::otr::v4::Fingerprint;  // "Initiator fingerprint (56 BYTEs)"
// "Secure Session ID or SSID (8 BYTEs)".
inline constexpr size_t kSsidSize = 8;
using Ssid = std::array<uint8_t, kSsidSize>;

// "Version (BYTE): The version of SMP used. The version described here is 1."
inline constexpr uint8_t kSmpSecretVersion = 0x01;

// The first argument `i` of HashToScalar(i || v) for each proof ("SMP Hash
// Function": "an integer used to distinguish the calls to the hash
// function"). They take the usage ID's place in HWC; they are not usage IDs
// of the KDF table (0x01 there is usage_third_brace_key).
enum class ProofId : uint8_t {
  kAliceG2 = 0x01,  // SMP message 1: c2
  kAliceG3 = 0x02,  // SMP message 1: c3
  kBobG2 = 0x03,    // SMP message 2: c2
  kBobG3 = 0x04,    // SMP message 2: c3
  kBobPQ = 0x05,    // SMP message 2: cp
  kAlicePQ = 0x06,  // SMP message 3: cp
  kAliceR = 0x07,   // SMP message 3: cr
  kBobR = 0x08,     // SMP message 4: cr
};

// "x or y = HWC(usage_SMP_secret || version || Initiator fingerprint ||
// Responder fingerprint || Secure Session ID or SSID || User-specified
// secret), 57)", the user's secret as DATA ("User-specified secret (DATA)"),
// the digest "then pruned": 57 bytes, little-endian, used mod q.
crypto::SecretBytes ComputeSecret(const crypto::Backend& backend, const Fingerprint& initiator,
                                  const Fingerprint& responder, const Ssid& ssid,
                                  ByteView user_secret);

// Appendix "HashToScalar": HWC(i || d, 57) read as a little-endian integer
// mod q, with d the POINT encoding of one point ("c2 = HashToScalar(0x01 ||
// G * r2)") or of two ("cp = HashToScalar(0x05 || G3 * r5 || G * r5 + G2 *
// r6)"). The result is a 57-byte scalar below q.
crypto::SecretBytes HashToScalar(const crypto::Backend& backend, ProofId i,
                                 const crypto::Ed448Point& p);
crypto::SecretBytes HashToScalar(const crypto::Backend& backend, ProofId i,
                                 const crypto::Ed448Point& p1, const crypto::Ed448Point& p2);

// A random value in Z_q as "Considerations while working with elliptic
// curve parameters" says: 57 random bytes, h = SHAKE-256(value, 57), pruned,
// read little-endian (and reduced mod q here, so every scalar the SMP keeps
// is below q).
crypto::SecretBytes RandomScalar(const crypto::Backend& backend, crypto::Random& random);

}  // namespace otr::v4::smp

#endif  // OTR_PROTOCOL_V4_SMP_SMP_HASH_H_
