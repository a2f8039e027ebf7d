// XSalsa20 (Bernstein, "Extending the Salsa20 nonce"), as libsodium's
// crypto_stream_xsalsa20_xor computes it: a 32-byte key, a 24-byte nonce,
// the keystream from block 0 XORed into the input.
#ifndef OTR_CRYPTO_SODIUM_XSALSA20_H_
#define OTR_CRYPTO_SODIUM_XSALSA20_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::sodium {

inline constexpr size_t kXSalsa20KeySize = 32;
inline constexpr size_t kXSalsa20NonceSize = 24;

// kInvalidKey unless the key has 32 bytes and the nonce 24; kOutOfRange
// unless `out` has the size of `in` and is the same buffer or disjoint.
Status XSalsa20(const SecretBytes& key, ByteView nonce, ByteView in, MutableByteView out);

}  // namespace otr::crypto::sodium

#endif  // OTR_CRYPTO_SODIUM_XSALSA20_H_
