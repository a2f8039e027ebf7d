// AES-128-CTR (OTR's counter block) and ChaCha20 (RFC 7539) over gcry_cipher.
#ifndef OTR_CRYPTO_GCRYPT_CIPHER_H_
#define OTR_CRYPTO_GCRYPT_CIPHER_H_

#include <gcrypt.h>

#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/gcrypt/handles.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::gcrypt_internal {

// Opens a cipher handle, in secure memory unless `secure` is false (aborts
// if libgcrypt refuses a cipher it always provides).
Cipher OpenCipher(int algo, int mode, bool secure = true);
// Runs an opened, keyed handle over `in` into `out` (same buffer allowed).
Status RunCipher(gcry_cipher_hd_t cipher, ByteView in, MutableByteView out);

Status GcryptAes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in, MutableByteView out);
Status GcryptChaCha20(const SecretBytes& key, ByteView nonce, uint32_t counter, ByteView in,
                      MutableByteView out);

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_CIPHER_H_
