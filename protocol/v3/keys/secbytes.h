// Key derivation from a D-H shared secret s (otr v3 spec, "Computing AES
// keys, MAC keys, and the secure session id", and "Extra symmetric key").
#ifndef OTR_PROTOCOL_V3_KEYS_SECBYTES_H_
#define OTR_PROTOCOL_V3_KEYS_SECBYTES_H_

#include <cstdint>

#include "crypto/backend.h"
#include "crypto/secret_bytes.h"

namespace otr::v3 {

// "Write the value of s as a minimum-length MPI ... Let this (4+len)-byte
// value be secbytes."
crypto::SecretBytes SecBytes(const crypto::SecretBytes& s);

// h1(b) = SHA-1(b || secbytes), h2(b) = SHA-256(b || secbytes).
crypto::SecretBytes H1(const crypto::Backend& backend, uint8_t b,
                       const crypto::SecretBytes& secbytes);
crypto::SecretBytes H2(const crypto::Backend& backend, uint8_t b,
                       const crypto::SecretBytes& secbytes);

// The extra symmetric key: h2(0xFF), all 256 bits.
crypto::SecretBytes ExtraSymmetricKey(const crypto::Backend& backend,
                                      const crypto::SecretBytes& secbytes);

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_KEYS_SECBYTES_H_
