// Keyed contexts for messages that reuse one key (backend.h, KeyedHmac and
// KeyedAes128Ctr): HMAC from precomputed inner and outer hash states, and
// AES-128-CTR with the key schedule kept in an EVP_CIPHER_CTX.
#ifndef OTR_CRYPTO_OPENSSL_KEYED_H_
#define OTR_CRYPTO_OPENSSL_KEYED_H_

#include <memory>

#include "crypto/backend.h"
#include "crypto/openssl/handles.h"

namespace otr::crypto::openssl {

std::unique_ptr<KeyedHmac> NewKeyedHmac(HashAlgorithm alg, const SecretBytes& key);
Result<std::unique_ptr<KeyedAes128Ctr>> NewKeyedAes128Ctr(const EVP_CIPHER* cipher,
                                                          const SecretBytes& key);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_KEYED_H_
