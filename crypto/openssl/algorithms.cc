#include "crypto/openssl/algorithms.h"

namespace otr::crypto::openssl {

Algorithms FetchAlgorithms() {
  Algorithms a;
  a.sha1.reset(EVP_MD_fetch(nullptr, "SHA1", nullptr));
  a.sha256.reset(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  a.shake256.reset(EVP_MD_fetch(nullptr, "SHAKE256", nullptr));
  a.hmac.reset(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  a.aes128_ctr.reset(EVP_CIPHER_fetch(nullptr, "AES-128-CTR", nullptr));
  a.aes128_ecb.reset(EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr));
  a.chacha20.reset(EVP_CIPHER_fetch(nullptr, "ChaCha20", nullptr));
  FatalUnless(
      a.sha1 && a.sha256 && a.shake256 && a.hmac && a.aes128_ctr && a.aes128_ecb && a.chacha20,
      "fetching algorithms from the default provider");
  return a;
}

}  // namespace otr::crypto::openssl
