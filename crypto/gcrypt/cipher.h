// AES-128-CTR (OTR's counter block) and ChaCha20 (RFC 7539) over gcry_cipher.
#ifndef OTR_CRYPTO_GCRYPT_CIPHER_H_
#define OTR_CRYPTO_GCRYPT_CIPHER_H_

#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::gcrypt_internal {

Status GcryptAes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in, MutableByteView out);
Status GcryptChaCha20(const SecretBytes& key, ByteView nonce, uint32_t counter, ByteView in,
                      MutableByteView out);

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_CIPHER_H_
