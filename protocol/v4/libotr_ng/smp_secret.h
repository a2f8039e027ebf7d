// libotr-ng's SMP secret (smp_protocol.c, otrng_generate_smp_secret), for the
// `libotr-ng` compatibility profile (issue 20; docs/libotr-ng-deviations.md
// #13):
//   x = SHAKE-256("OTRv4" || 0x1B || 0x01 || initiator fingerprint ||
//                 responder fingerprint || SSID || answer, 64), as a scalar
//       (its first 56 bytes little-endian, mod q: the SMP reads it with
//       otrng_deserialize_ec_scalar)
// where otrv4.md ("Secret Information") has usage_SMP_secret 0x19, the
// answer as DATA (with its length), a 57-byte digest, pruned.
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_SMP_SECRET_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_SMP_SECRET_H_

#include "base/bytes.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"

namespace otr::v4::libotr_ng {

inline constexpr size_t kSmpSecretHashSize = 64;     // HASH_BYTES
inline constexpr size_t kSmpSecretScalarBytes = 56;  // ED448_SCALAR_BYTES

// The 64-byte digest as libotr-ng keeps it (fingerprints 56 bytes, SSID 8).
crypto::SecretBytes SmpSecretDigest(const crypto::Backend& backend, ByteView initiator_fingerprint,
                                    ByteView responder_fingerprint, ByteView ssid, ByteView answer);
// The scalar libotr-ng uses: the digest's first 56 bytes mod q, 57 bytes.
crypto::SecretBytes SmpSecret(const crypto::Backend& backend, ByteView initiator_fingerprint,
                              ByteView responder_fingerprint, ByteView ssid, ByteView answer);

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_SMP_SECRET_H_
