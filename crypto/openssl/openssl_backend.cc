// The Backend class: forwards each operation to the file that implements it.
#include "crypto/openssl/openssl_backend.h"

#include "crypto/openssl/algorithms.h"
#include "crypto/openssl/bignum.h"
#include "crypto/openssl/cipher.h"
#include "crypto/openssl/dsa.h"
#include "crypto/openssl/ed448.h"
#include "crypto/openssl/eddsa.h"
#include "crypto/openssl/hash.h"
#include "crypto/openssl/keyed.h"
#include "crypto/openssl/multi_exp.h"
#include "crypto/sodium/xsalsa20.h"

namespace otr::crypto {
namespace {

namespace ossl = openssl;

class OpensslBackendImpl final : public Backend {
 public:
  OpensslBackendImpl() : algorithms_(ossl::FetchAlgorithms()) {}

  std::string_view name() const override { return "openssl"; }

  std::unique_ptr<HashContext> NewHash(HashAlgorithm alg) const override {
    return ossl::NewDigest(Md(alg));
  }
  std::unique_ptr<HashContext> NewHmac(HashAlgorithm alg, ByteView key) const override {
    return ossl::NewHmac(algorithms_.hmac.get(), Md(alg), key);
  }
  std::unique_ptr<KeyedHmac> NewKeyedHmac(HashAlgorithm alg,
                                          const SecretBytes& key) const override {
    return ossl::NewKeyedHmac(alg, key);
  }
  std::unique_ptr<XofContext> NewShake256() const override {
    return ossl::NewXof(algorithms_.shake256.get());
  }

  Status Aes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in,
                   MutableByteView out) const override {
    return ossl::Aes128Ctr(algorithms_.aes128_ctr.get(), key, top_half, in, out);
  }
  Result<std::unique_ptr<KeyedAes128Ctr>> NewKeyedAes128Ctr(const SecretBytes& key) const override {
    return ossl::NewKeyedAes128Ctr(algorithms_.aes128_ctr.get(), algorithms_.aes128_ecb.get(), key);
  }
  Status ChaCha20(const SecretBytes& key, ByteView nonce, uint32_t counter, ByteView in,
                  MutableByteView out) const override {
    return ossl::ChaCha20(algorithms_.chacha20.get(), key, nonce, counter, in, out);
  }
  Status XSalsa20(const SecretBytes& key, ByteView nonce, ByteView in,
                  MutableByteView out) const override {
    return sodium::XSalsa20(key, nonce, in, out);
  }

  Result<SecretBytes> ModExp(ByteView base, const SecretBytes& exponent,
                             ByteView m) const override {
    return ossl::ModExp(base, exponent, m);
  }
  Result<Bytes> ModExpPublic(ByteView base, ByteView exponent, ByteView m) const override {
    return ossl::ModExpPublic(base, exponent, m);
  }
  Result<SecretBytes> ModExp2(ByteView base1, const SecretBytes& exponent1, ByteView base2,
                              const SecretBytes& exponent2, ByteView m) const override {
    return ossl::ModExp2(base1, exponent1, base2, exponent2, m);
  }
  Result<Bytes> ModExp2Public(ByteView base1, ByteView exponent1, ByteView base2,
                              ByteView exponent2, ByteView m) const override {
    return ossl::ModExp2Public(base1, exponent1, base2, exponent2, m);
  }
  Result<int> JacobiPublic(ByteView a, ByteView n) const override {
    return ossl::JacobiPublic(a, n);
  }
  Result<SecretBytes> ModMul(ByteView a, ByteView b, ByteView m) const override {
    return ossl::ModMul(a, b, m);
  }
  Result<SecretBytes> ModAdd(ByteView a, ByteView b, ByteView m) const override {
    return ossl::ModAdd(a, b, m);
  }
  Result<SecretBytes> ModSub(ByteView a, ByteView b, ByteView m) const override {
    return ossl::ModSub(a, b, m);
  }
  Result<SecretBytes> ModInverse(ByteView a, ByteView m) const override {
    return ossl::ModInverse(a, m);
  }
  Result<SecretBytes> Mod(ByteView a, ByteView m) const override { return ossl::Mod(a, m); }
  int Compare(ByteView a, ByteView b) const override { return ossl::Compare(a, b); }

  Result<DsaPrivateKey> GenerateDsaKey() const override { return ossl::GenerateDsaKey(); }
  Status DsaVerify(const DsaPublicKey& key, ByteView message, ByteView signature) const override {
    return ossl::DsaVerify(key, message, signature);
  }

  Result<Ed448Point> Ed448Decode(ByteView encoded) const override {
    return ossl::Ed448Decode(encoded);
  }
  Ed448Point Ed448Base() const override { return ossl::Ed448Base(); }
  Ed448Point Ed448Identity() const override { return ossl::Ed448Identity(); }
  Ed448Point Ed448Add(const Ed448Point& a, const Ed448Point& b) const override {
    return ossl::Ed448Add(a, b);
  }
  Ed448Point Ed448Sub(const Ed448Point& a, const Ed448Point& b) const override {
    return ossl::Ed448Sub(a, b);
  }
  Ed448Point Ed448Negate(const Ed448Point& a) const override { return ossl::Ed448Negate(a); }
  Ed448Point Ed448Mul(const Ed448Point& point, const SecretBytes& scalar) const override {
    return ossl::Ed448Mul(point, scalar);
  }
  Ed448Point Ed448MulBase(const SecretBytes& scalar) const override {
    return ossl::Ed448MulBase(scalar);
  }
  Ed448Point Ed448MulAdd(const Ed448Point& p, const SecretBytes& a, const Ed448Point& q,
                         const SecretBytes& b) const override {
    return ossl::Ed448MulAdd(p, a, q, b);
  }
  Ed448Point Ed448MulBaseAddPublic(ByteView a, ByteView b, const Ed448Point& p) const override {
    return ossl::Ed448MulBaseAddPublic(a, b, p);
  }
  Ed448Encoding Ed448Encode(const Ed448Point& point) const override {
    return ossl::Ed448Encode(point);
  }
  bool Ed448Equal(const Ed448Point& a, const Ed448Point& b) const override {
    return ossl::Ed448Equal(a, b);
  }

  Result<SecretBytes> Ed448ScalarDecode(ByteView encoded) const override {
    return ossl::Ed448ScalarDecode(encoded);
  }
  SecretBytes Ed448ScalarReduce(ByteView little_endian) const override {
    return ossl::Ed448ScalarReduce(little_endian);
  }
  SecretBytes Ed448ScalarAdd(const SecretBytes& a, const SecretBytes& b) const override {
    return ossl::Ed448ScalarAdd(a, b);
  }
  SecretBytes Ed448ScalarSub(const SecretBytes& a, const SecretBytes& b) const override {
    return ossl::Ed448ScalarSub(a, b);
  }
  SecretBytes Ed448ScalarMul(const SecretBytes& a, const SecretBytes& b) const override {
    return ossl::Ed448ScalarMul(a, b);
  }

  Result<Bytes> Ed448DerivePublicKey(const SecretBytes& seed) const override {
    return ossl::Ed448DerivePublicKey(seed);
  }
  Result<Bytes> Ed448Sign(const SecretBytes& seed, ByteView message) const override {
    return ossl::Ed448Sign(seed, message);
  }
  Status Ed448Verify(ByteView public_key, ByteView message, ByteView signature) const override {
    return ossl::Ed448Verify(public_key, message, signature);
  }

 private:
  const EVP_MD* Md(HashAlgorithm alg) const {
    return alg == HashAlgorithm::kSha1 ? algorithms_.sha1.get() : algorithms_.sha256.get();
  }

  ossl::Algorithms algorithms_;
};

}  // namespace

const Backend& OpensslBackend() {
  // Constructed on first use (thread-safe); destroyed at exit before
  // OpenSSL's own atexit cleanup, which was registered while fetching.
  static const OpensslBackendImpl backend;
  return backend;
}

}  // namespace otr::crypto
