// A Backend that forwards every call to another backend: the base of the
// test-only wrappers (counting_backend.h, failing_backend.h), which override
// only the calls they observe or fail.
#ifndef OTR_CRYPTO_TESTING_FORWARDING_BACKEND_H_
#define OTR_CRYPTO_TESTING_FORWARDING_BACKEND_H_

#include "crypto/backend.h"

namespace otr::crypto::testing {

class ForwardingBackend : public Backend {
 public:
  explicit ForwardingBackend(const Backend& inner) : inner_(&inner) {}

  std::string_view name() const override { return inner_->name(); }
  std::unique_ptr<HashContext> NewHash(HashAlgorithm alg) const override;
  std::unique_ptr<HashContext> NewHmac(HashAlgorithm alg, ByteView key) const override;
  std::unique_ptr<XofContext> NewShake256() const override;
  std::unique_ptr<KeyedHmac> NewKeyedHmac(HashAlgorithm alg, const SecretBytes& key) const override;
  Status Aes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in,
                   MutableByteView out) const override;
  Result<std::unique_ptr<KeyedAes128Ctr>> NewKeyedAes128Ctr(const SecretBytes& key) const override;
  Status ChaCha20(const SecretBytes& key, ByteView nonce, uint32_t counter, ByteView in,
                  MutableByteView out) const override;
  Status XSalsa20(const SecretBytes& key, ByteView nonce, ByteView in,
                  MutableByteView out) const override;
  Result<SecretBytes> ModExp(ByteView base, const SecretBytes& exponent, ByteView m) const override;
  Result<Bytes> ModExpPublic(ByteView base, ByteView exponent, ByteView m) const override;
  Result<int> JacobiPublic(ByteView a, ByteView n) const override;
  Result<SecretBytes> ModMul(ByteView a, ByteView b, ByteView m) const override;
  Result<SecretBytes> ModAdd(ByteView a, ByteView b, ByteView m) const override;
  Result<SecretBytes> ModSub(ByteView a, ByteView b, ByteView m) const override;
  Result<SecretBytes> ModInverse(ByteView a, ByteView m) const override;
  Result<SecretBytes> Mod(ByteView a, ByteView m) const override;
  int Compare(ByteView a, ByteView b) const override;
  Result<DsaPrivateKey> GenerateDsaKey() const override;
  Status DsaVerify(const DsaPublicKey& key, ByteView message, ByteView signature) const override;
  Result<Ed448Point> Ed448Decode(ByteView encoded) const override;
  Ed448Point Ed448Base() const override;
  Ed448Point Ed448Identity() const override;
  Ed448Point Ed448Add(const Ed448Point& a, const Ed448Point& b) const override;
  Ed448Point Ed448Sub(const Ed448Point& a, const Ed448Point& b) const override;
  Ed448Point Ed448Negate(const Ed448Point& a) const override;
  Ed448Point Ed448Mul(const Ed448Point& point, const SecretBytes& scalar) const override;
  Ed448Point Ed448MulBase(const SecretBytes& scalar) const override;
  Ed448Point Ed448MulAdd(const Ed448Point& p, const SecretBytes& a, const Ed448Point& q,
                         const SecretBytes& b) const override;
  Ed448Point Ed448MulBaseAddPublic(ByteView a, ByteView b, const Ed448Point& p) const override;
  Ed448Encoding Ed448Encode(const Ed448Point& point) const override;
  bool Ed448Equal(const Ed448Point& a, const Ed448Point& b) const override;
  Result<SecretBytes> Ed448ScalarDecode(ByteView encoded) const override;
  SecretBytes Ed448ScalarReduce(ByteView little_endian) const override;
  SecretBytes Ed448ScalarAdd(const SecretBytes& a, const SecretBytes& b) const override;
  SecretBytes Ed448ScalarSub(const SecretBytes& a, const SecretBytes& b) const override;
  SecretBytes Ed448ScalarMul(const SecretBytes& a, const SecretBytes& b) const override;
  Result<Bytes> Ed448DerivePublicKey(const SecretBytes& seed) const override;
  Result<Bytes> Ed448Sign(const SecretBytes& seed, ByteView message) const override;
  Status Ed448Verify(ByteView public_key, ByteView message, ByteView signature) const override;

 protected:
  const Backend& inner() const { return *inner_; }

 private:
  const Backend* inner_;
};

}  // namespace otr::crypto::testing

#endif  // OTR_CRYPTO_TESTING_FORWARDING_BACKEND_H_
