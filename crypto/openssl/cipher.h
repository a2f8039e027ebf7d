// AES-128-CTR with OTR's counter block and ChaCha20 (RFC 7539) over EVP.
#ifndef OTR_CRYPTO_OPENSSL_CIPHER_H_
#define OTR_CRYPTO_OPENSSL_CIPHER_H_

#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/openssl/handles.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::openssl {

// Runs an initialised stream cipher context over `in` into `out`.
void UpdateStream(EVP_CIPHER_CTX* ctx, ByteView in, MutableByteView out);

// otr v3 spec, "Data Message": the counter block is top_half (8 bytes) || 0^64.
Status Aes128Ctr(const EVP_CIPHER* cipher, const SecretBytes& key, ByteView top_half, ByteView in,
                 MutableByteView out);

// RFC 7539 section 2.4: kOutOfRange if the 32-bit block counter would wrap.
Status ChaCha20(const EVP_CIPHER* cipher, const SecretBytes& key, ByteView nonce, uint32_t counter,
                ByteView in, MutableByteView out);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_CIPHER_H_
