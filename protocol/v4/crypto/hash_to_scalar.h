// otrv4.md, Appendix "HashToScalar":
//
//   HashToScalar(usageID || d, 57):
//     1. h = HWC(usageID || d, 57)
//     2. Interpret the buffer as a little-endian integer, forming a scalar.
//
// "Forming a scalar" is the decoding of otrv4.md "Encoding and Decoding",
// Scalar: the little-endian value taken mod q. The output is therefore a
// 57-byte little-endian scalar below q. The hash is 57 bytes, as the
// appendix writes (libotr-ng hashes 64 bytes, HASH_BYTES, in its ring
// signature: a difference from the spec, not followed here).
#ifndef OTR_PROTOCOL_V4_CRYPTO_HASH_TO_SCALAR_H_
#define OTR_PROTOCOL_V4_CRYPTO_HASH_TO_SCALAR_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "base/bytes.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/kdf.h"

namespace otr::v4 {

// The size of the hash that HashToScalar reduces.
inline constexpr size_t kHashToScalarHashSize = 57;

crypto::SecretBytes HashToScalar(const crypto::Backend& backend, Usage usage,
                                 std::initializer_list<ByteView> d);

// The same under another domain prefix and usage ID: the prekey server's
// ring signatures use "OTR-Prekey-Server" and its own usage_auth
// (otr-v4-prekey-server.md, DAKE-2: "it will use the KDF stated in the Key
// Derivation Functions section and ... the usage_auth defined in this
// specification").
crypto::SecretBytes HashToScalarInDomain(const crypto::Backend& backend, std::string_view domain,
                                         uint8_t usage_id, std::initializer_list<ByteView> d);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_CRYPTO_HASH_TO_SCALAR_H_
