#include "crypto/testing/forwarding_backend.h"

namespace otr::crypto::testing {

Result<SecretBytes> ForwardingBackend::ModExp(ByteView base, const SecretBytes& exponent,
                                              ByteView m) const {
  return inner_->ModExp(base, exponent, m);
}
Result<Bytes> ForwardingBackend::ModExpPublic(ByteView base, ByteView exponent, ByteView m) const {
  return inner_->ModExpPublic(base, exponent, m);
}
Result<int> ForwardingBackend::JacobiPublic(ByteView a, ByteView n) const {
  return inner_->JacobiPublic(a, n);
}
std::unique_ptr<HashContext> ForwardingBackend::NewHash(HashAlgorithm alg) const {
  return inner_->NewHash(alg);
}
std::unique_ptr<HashContext> ForwardingBackend::NewHmac(HashAlgorithm alg, ByteView key) const {
  return inner_->NewHmac(alg, key);
}
std::unique_ptr<XofContext> ForwardingBackend::NewShake256() const { return inner_->NewShake256(); }
std::unique_ptr<KeyedHmac> ForwardingBackend::NewKeyedHmac(HashAlgorithm alg,
                                                           const SecretBytes& key) const {
  return inner_->NewKeyedHmac(alg, key);
}
Status ForwardingBackend::Aes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in,
                                    MutableByteView out) const {
  return inner_->Aes128Ctr(key, top_half, in, out);
}
Result<std::unique_ptr<KeyedAes128Ctr>> ForwardingBackend::NewKeyedAes128Ctr(
    const SecretBytes& key) const {
  return inner_->NewKeyedAes128Ctr(key);
}
Status ForwardingBackend::ChaCha20(const SecretBytes& key, ByteView nonce, uint32_t counter,
                                   ByteView in, MutableByteView out) const {
  return inner_->ChaCha20(key, nonce, counter, in, out);
}
Status ForwardingBackend::XSalsa20(const SecretBytes& key, ByteView nonce, ByteView in,
                                   MutableByteView out) const {
  return inner_->XSalsa20(key, nonce, in, out);
}
Result<SecretBytes> ForwardingBackend::ModMul(ByteView a, ByteView b, ByteView m) const {
  return inner_->ModMul(a, b, m);
}
Result<SecretBytes> ForwardingBackend::ModAdd(ByteView a, ByteView b, ByteView m) const {
  return inner_->ModAdd(a, b, m);
}
Result<SecretBytes> ForwardingBackend::ModSub(ByteView a, ByteView b, ByteView m) const {
  return inner_->ModSub(a, b, m);
}
Result<SecretBytes> ForwardingBackend::ModInverse(ByteView a, ByteView m) const {
  return inner_->ModInverse(a, m);
}
Result<SecretBytes> ForwardingBackend::Mod(ByteView a, ByteView m) const {
  return inner_->Mod(a, m);
}
int ForwardingBackend::Compare(ByteView a, ByteView b) const { return inner_->Compare(a, b); }
Result<DsaPrivateKey> ForwardingBackend::GenerateDsaKey() const { return inner_->GenerateDsaKey(); }
Status ForwardingBackend::DsaVerify(const DsaPublicKey& key, ByteView message,
                                    ByteView signature) const {
  return inner_->DsaVerify(key, message, signature);
}
Result<Ed448Point> ForwardingBackend::Ed448Decode(ByteView encoded) const {
  return inner_->Ed448Decode(encoded);
}
Ed448Point ForwardingBackend::Ed448Base() const { return inner_->Ed448Base(); }
Ed448Point ForwardingBackend::Ed448Identity() const { return inner_->Ed448Identity(); }
Ed448Point ForwardingBackend::Ed448Add(const Ed448Point& a, const Ed448Point& b) const {
  return inner_->Ed448Add(a, b);
}
Ed448Point ForwardingBackend::Ed448Sub(const Ed448Point& a, const Ed448Point& b) const {
  return inner_->Ed448Sub(a, b);
}
Ed448Point ForwardingBackend::Ed448Negate(const Ed448Point& a) const {
  return inner_->Ed448Negate(a);
}
Ed448Point ForwardingBackend::Ed448Mul(const Ed448Point& point, const SecretBytes& scalar) const {
  return inner_->Ed448Mul(point, scalar);
}
Ed448Point ForwardingBackend::Ed448MulBase(const SecretBytes& scalar) const {
  return inner_->Ed448MulBase(scalar);
}
Ed448Point ForwardingBackend::Ed448MulAdd(const Ed448Point& p, const SecretBytes& a,
                                          const Ed448Point& q, const SecretBytes& b) const {
  return inner_->Ed448MulAdd(p, a, q, b);
}
Ed448Point ForwardingBackend::Ed448MulBaseAddPublic(ByteView a, ByteView b,
                                                    const Ed448Point& p) const {
  return inner_->Ed448MulBaseAddPublic(a, b, p);
}
Ed448Encoding ForwardingBackend::Ed448Encode(const Ed448Point& point) const {
  return inner_->Ed448Encode(point);
}
bool ForwardingBackend::Ed448Equal(const Ed448Point& a, const Ed448Point& b) const {
  return inner_->Ed448Equal(a, b);
}
Result<SecretBytes> ForwardingBackend::Ed448ScalarDecode(ByteView encoded) const {
  return inner_->Ed448ScalarDecode(encoded);
}
SecretBytes ForwardingBackend::Ed448ScalarReduce(ByteView little_endian) const {
  return inner_->Ed448ScalarReduce(little_endian);
}
SecretBytes ForwardingBackend::Ed448ScalarAdd(const SecretBytes& a, const SecretBytes& b) const {
  return inner_->Ed448ScalarAdd(a, b);
}
SecretBytes ForwardingBackend::Ed448ScalarSub(const SecretBytes& a, const SecretBytes& b) const {
  return inner_->Ed448ScalarSub(a, b);
}
SecretBytes ForwardingBackend::Ed448ScalarMul(const SecretBytes& a, const SecretBytes& b) const {
  return inner_->Ed448ScalarMul(a, b);
}
Result<Bytes> ForwardingBackend::Ed448DerivePublicKey(const SecretBytes& seed) const {
  return inner_->Ed448DerivePublicKey(seed);
}
Result<Bytes> ForwardingBackend::Ed448Sign(const SecretBytes& seed, ByteView message) const {
  return inner_->Ed448Sign(seed, message);
}
Status ForwardingBackend::Ed448Verify(ByteView public_key, ByteView message,
                                      ByteView signature) const {
  return inner_->Ed448Verify(public_key, message, signature);
}

}  // namespace otr::crypto::testing
