// SHA-1, SHA-256, HMAC and SHAKE-256 over OpenSSL 3 EVP.
#ifndef OTR_CRYPTO_OPENSSL_HASH_H_
#define OTR_CRYPTO_OPENSSL_HASH_H_

#include <memory>

#include "base/bytes.h"
#include "crypto/backend.h"
#include "crypto/openssl/handles.h"

namespace otr::crypto::openssl {

std::unique_ptr<HashContext> NewDigest(const EVP_MD* md);
// HMAC (RFC 2104) with `md`; the key may have any length, including zero.
std::unique_ptr<HashContext> NewHmac(const EVP_MAC* hmac, const EVP_MD* md, ByteView key);
std::unique_ptr<XofContext> NewXof(const EVP_MD* xof);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_HASH_H_
