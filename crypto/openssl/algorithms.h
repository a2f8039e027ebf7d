// OpenSSL 3 algorithm objects, fetched once from the default provider.
// Implicit fetches (EVP_sha256() and friends) repeat the provider lookup on
// every initialisation; fetching once keeps per-message hashing cheap. The
// objects are immutable and reference counted, so sharing them between
// threads is safe.
#ifndef OTR_CRYPTO_OPENSSL_ALGORITHMS_H_
#define OTR_CRYPTO_OPENSSL_ALGORITHMS_H_

#include "crypto/openssl/handles.h"

namespace otr::crypto::openssl {

struct Algorithms {
  MdPtr sha1;
  MdPtr sha256;
  MdPtr shake256;
  MacPtr hmac;
  CipherPtr aes128_ctr;
  CipherPtr aes128_ecb;  // the key stream of short keyed AES-CTR messages
  CipherPtr chacha20;
};

// Aborts (FatalUnless) if the default provider lacks any of them.
Algorithms FetchAlgorithms();

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_ALGORITHMS_H_
