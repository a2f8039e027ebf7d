// Keyed contexts for messages that reuse one key (backend.h, KeyedHmac and
// KeyedAes128Ctr): HMAC from precomputed inner and outer hash states, and
// AES-128-CTR with the key schedules kept in EVP_CIPHER_CTXs (short
// messages through ECB over the counter blocks).
#ifndef OTR_CRYPTO_OPENSSL_KEYED_H_
#define OTR_CRYPTO_OPENSSL_KEYED_H_

#include <memory>

#include "crypto/backend.h"
#include "crypto/openssl/handles.h"

namespace otr::crypto::openssl {

std::unique_ptr<KeyedHmac> NewKeyedHmac(HashAlgorithm alg, const SecretBytes& key);
// `ctr` and `ecb`: AES-128-CTR and AES-128-ECB.
Result<std::unique_ptr<KeyedAes128Ctr>> NewKeyedAes128Ctr(const EVP_CIPHER* ctr,
                                                          const EVP_CIPHER* ecb,
                                                          const SecretBytes& key);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_KEYED_H_
