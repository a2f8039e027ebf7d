#include "crypto/testing/counting_backend.h"

namespace otr::crypto::testing {

size_t CountingBackend::modexps() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return modexps_;
}

std::vector<size_t> CountingBackend::secret_exponent_sizes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sizes_;
}

std::vector<uint8_t> CountingBackend::secret_exponent_top_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tops_;
}

void CountingBackend::Reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  modexps_ = 0;
  sizes_.clear();
  tops_.clear();
}

Result<SecretBytes> CountingBackend::ModExp(ByteView base, const SecretBytes& exponent,
                                            ByteView m) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++modexps_;
    sizes_.push_back(exponent.size());
    tops_.push_back(exponent.empty() ? 0 : exponent[0]);
  }
  return inner_->ModExp(base, exponent, m);
}

Result<Bytes> CountingBackend::ModExpPublic(ByteView base, ByteView exponent, ByteView m) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++modexps_;
  }
  return inner_->ModExpPublic(base, exponent, m);
}

// --- Everything else forwards unchanged. ---

std::unique_ptr<HashContext> CountingBackend::NewHash(HashAlgorithm alg) const {
  return inner_->NewHash(alg);
}
std::unique_ptr<HashContext> CountingBackend::NewHmac(HashAlgorithm alg, ByteView key) const {
  return inner_->NewHmac(alg, key);
}
std::unique_ptr<XofContext> CountingBackend::NewShake256() const { return inner_->NewShake256(); }
std::unique_ptr<KeyedHmac> CountingBackend::NewKeyedHmac(HashAlgorithm alg,
                                                         const SecretBytes& key) const {
  return inner_->NewKeyedHmac(alg, key);
}
Status CountingBackend::Aes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in,
                                  MutableByteView out) const {
  return inner_->Aes128Ctr(key, top_half, in, out);
}
Result<std::unique_ptr<KeyedAes128Ctr>> CountingBackend::NewKeyedAes128Ctr(
    const SecretBytes& key) const {
  return inner_->NewKeyedAes128Ctr(key);
}
Status CountingBackend::ChaCha20(const SecretBytes& key, ByteView nonce, uint32_t counter,
                                 ByteView in, MutableByteView out) const {
  return inner_->ChaCha20(key, nonce, counter, in, out);
}
Result<SecretBytes> CountingBackend::ModMul(ByteView a, ByteView b, ByteView m) const {
  return inner_->ModMul(a, b, m);
}
Result<SecretBytes> CountingBackend::ModAdd(ByteView a, ByteView b, ByteView m) const {
  return inner_->ModAdd(a, b, m);
}
Result<SecretBytes> CountingBackend::ModSub(ByteView a, ByteView b, ByteView m) const {
  return inner_->ModSub(a, b, m);
}
Result<SecretBytes> CountingBackend::ModInverse(ByteView a, ByteView m) const {
  return inner_->ModInverse(a, m);
}
Result<SecretBytes> CountingBackend::Mod(ByteView a, ByteView m) const { return inner_->Mod(a, m); }
int CountingBackend::Compare(ByteView a, ByteView b) const { return inner_->Compare(a, b); }
Result<DsaPrivateKey> CountingBackend::GenerateDsaKey() const { return inner_->GenerateDsaKey(); }
Status CountingBackend::DsaVerify(const DsaPublicKey& key, ByteView message,
                                  ByteView signature) const {
  return inner_->DsaVerify(key, message, signature);
}
Result<Ed448Point> CountingBackend::Ed448Decode(ByteView encoded) const {
  return inner_->Ed448Decode(encoded);
}
Ed448Point CountingBackend::Ed448Base() const { return inner_->Ed448Base(); }
Ed448Point CountingBackend::Ed448Identity() const { return inner_->Ed448Identity(); }
Ed448Point CountingBackend::Ed448Add(const Ed448Point& a, const Ed448Point& b) const {
  return inner_->Ed448Add(a, b);
}
Ed448Point CountingBackend::Ed448Sub(const Ed448Point& a, const Ed448Point& b) const {
  return inner_->Ed448Sub(a, b);
}
Ed448Point CountingBackend::Ed448Negate(const Ed448Point& a) const {
  return inner_->Ed448Negate(a);
}
Ed448Point CountingBackend::Ed448Mul(const Ed448Point& point, const SecretBytes& scalar) const {
  return inner_->Ed448Mul(point, scalar);
}
Ed448Point CountingBackend::Ed448MulBase(const SecretBytes& scalar) const {
  return inner_->Ed448MulBase(scalar);
}
Result<SecretBytes> CountingBackend::Ed448ScalarDecode(ByteView encoded) const {
  return inner_->Ed448ScalarDecode(encoded);
}
SecretBytes CountingBackend::Ed448ScalarReduce(ByteView little_endian) const {
  return inner_->Ed448ScalarReduce(little_endian);
}
SecretBytes CountingBackend::Ed448ScalarAdd(const SecretBytes& a, const SecretBytes& b) const {
  return inner_->Ed448ScalarAdd(a, b);
}
SecretBytes CountingBackend::Ed448ScalarSub(const SecretBytes& a, const SecretBytes& b) const {
  return inner_->Ed448ScalarSub(a, b);
}
SecretBytes CountingBackend::Ed448ScalarMul(const SecretBytes& a, const SecretBytes& b) const {
  return inner_->Ed448ScalarMul(a, b);
}
Result<Bytes> CountingBackend::Ed448DerivePublicKey(const SecretBytes& seed) const {
  return inner_->Ed448DerivePublicKey(seed);
}
Result<Bytes> CountingBackend::Ed448Sign(const SecretBytes& seed, ByteView message) const {
  return inner_->Ed448Sign(seed, message);
}
Status CountingBackend::Ed448Verify(ByteView public_key, ByteView message,
                                    ByteView signature) const {
  return inner_->Ed448Verify(public_key, message, signature);
}

}  // namespace otr::crypto::testing
