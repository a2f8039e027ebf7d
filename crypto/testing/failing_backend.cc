#include "crypto/testing/failing_backend.h"

#include <utility>

namespace otr::crypto::testing {
namespace {

Error Injected() { return MakeError(ErrorCode::kBackendFailure, "FailingBackend: injected fault"); }

// The keyed contexts of the wrapped backend, failing when the rule says so.
class FailingKeyedAes final : public KeyedAes128Ctr {
 public:
  FailingKeyedAes(const FailingBackend& owner, std::unique_ptr<KeyedAes128Ctr> inner)
      : owner_(&owner), inner_(std::move(inner)) {}
  Status Crypt(ByteView top_half, ByteView in, MutableByteView out) override {
    if (owner_->ShouldFail(FailingOperation::kKeyedAes128CtrCrypt)) return Injected();
    return inner_->Crypt(top_half, in, out);
  }
  std::unique_ptr<KeyedAes128Ctr> Clone() const override {
    return std::make_unique<FailingKeyedAes>(*owner_, inner_->Clone());
  }

 private:
  const FailingBackend* owner_;
  std::unique_ptr<KeyedAes128Ctr> inner_;
};

class FailingKeyedHmac final : public KeyedHmac {
 public:
  FailingKeyedHmac(const FailingBackend& owner, std::unique_ptr<KeyedHmac> inner)
      : owner_(&owner), inner_(std::move(inner)) {}
  Status Mac(ByteView data, MutableByteView out) override {
    if (owner_->ShouldFail(FailingOperation::kKeyedHmacMac)) return Injected();
    return inner_->Mac(data, out);
  }
  std::unique_ptr<KeyedHmac> Clone() const override {
    return std::make_unique<FailingKeyedHmac>(*owner_, inner_->Clone());
  }

 private:
  const FailingBackend* owner_;
  std::unique_ptr<KeyedHmac> inner_;
};

}  // namespace

void FailingBackend::FailAfter(FailingOperation op, size_t successes, size_t failures) {
  std::lock_guard<std::mutex> lock(mutex_);
  Rule& rule = rules_[static_cast<size_t>(op)];
  rule.armed = true;
  rule.successes = successes;
  rule.failures = failures;
}

void FailingBackend::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (Rule& rule : rules_) rule.armed = false;
}

size_t FailingBackend::calls(FailingOperation op) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rules_[static_cast<size_t>(op)].calls;
}

size_t FailingBackend::failures(FailingOperation op) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rules_[static_cast<size_t>(op)].failed;
}

bool FailingBackend::ShouldFail(FailingOperation op) const {
  std::lock_guard<std::mutex> lock(mutex_);
  Rule& rule = rules_[static_cast<size_t>(op)];
  ++rule.calls;
  if (!rule.armed) return false;
  if (rule.successes > 0) {
    --rule.successes;
    return false;
  }
  if (rule.failures == 0) {
    rule.armed = false;
    return false;
  }
  if (rule.failures != kForever) --rule.failures;
  ++rule.failed;
  return true;
}

// --- Operations that can be failed. ---

std::unique_ptr<KeyedHmac> FailingBackend::NewKeyedHmac(HashAlgorithm alg,
                                                        const SecretBytes& key) const {
  return std::make_unique<FailingKeyedHmac>(*this, inner_->NewKeyedHmac(alg, key));
}
Status FailingBackend::Aes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in,
                                 MutableByteView out) const {
  if (ShouldFail(FailingOperation::kAes128Ctr)) return Injected();
  return inner_->Aes128Ctr(key, top_half, in, out);
}
Result<std::unique_ptr<KeyedAes128Ctr>> FailingBackend::NewKeyedAes128Ctr(
    const SecretBytes& key) const {
  if (ShouldFail(FailingOperation::kNewKeyedAes128Ctr)) return Injected();
  OTR_ASSIGN_OR_RETURN(std::unique_ptr<KeyedAes128Ctr> inner, inner_->NewKeyedAes128Ctr(key));
  return std::unique_ptr<KeyedAes128Ctr>(
      std::make_unique<FailingKeyedAes>(*this, std::move(inner)));
}
Result<SecretBytes> FailingBackend::ModExp(ByteView base, const SecretBytes& exponent,
                                           ByteView m) const {
  if (ShouldFail(FailingOperation::kModExp)) return Injected();
  return inner_->ModExp(base, exponent, m);
}
Result<Bytes> FailingBackend::ModExpPublic(ByteView base, ByteView exponent, ByteView m) const {
  if (ShouldFail(FailingOperation::kModExpPublic)) return Injected();
  return inner_->ModExpPublic(base, exponent, m);
}
Status FailingBackend::DsaVerify(const DsaPublicKey& key, ByteView message,
                                 ByteView signature) const {
  if (ShouldFail(FailingOperation::kDsaVerify)) return Injected();
  return inner_->DsaVerify(key, message, signature);
}

// --- Everything else forwards unchanged. ---

std::unique_ptr<HashContext> FailingBackend::NewHash(HashAlgorithm alg) const {
  return inner_->NewHash(alg);
}
std::unique_ptr<HashContext> FailingBackend::NewHmac(HashAlgorithm alg, ByteView key) const {
  return inner_->NewHmac(alg, key);
}
std::unique_ptr<XofContext> FailingBackend::NewShake256() const { return inner_->NewShake256(); }
Status FailingBackend::ChaCha20(const SecretBytes& key, ByteView nonce, uint32_t counter,
                                ByteView in, MutableByteView out) const {
  return inner_->ChaCha20(key, nonce, counter, in, out);
}
Result<SecretBytes> FailingBackend::ModMul(ByteView a, ByteView b, ByteView m) const {
  return inner_->ModMul(a, b, m);
}
Result<SecretBytes> FailingBackend::ModAdd(ByteView a, ByteView b, ByteView m) const {
  return inner_->ModAdd(a, b, m);
}
Result<SecretBytes> FailingBackend::ModSub(ByteView a, ByteView b, ByteView m) const {
  return inner_->ModSub(a, b, m);
}
Result<SecretBytes> FailingBackend::ModInverse(ByteView a, ByteView m) const {
  return inner_->ModInverse(a, m);
}
Result<SecretBytes> FailingBackend::Mod(ByteView a, ByteView m) const { return inner_->Mod(a, m); }
int FailingBackend::Compare(ByteView a, ByteView b) const { return inner_->Compare(a, b); }
Result<DsaPrivateKey> FailingBackend::GenerateDsaKey() const { return inner_->GenerateDsaKey(); }
Result<Ed448Point> FailingBackend::Ed448Decode(ByteView encoded) const {
  return inner_->Ed448Decode(encoded);
}
Ed448Point FailingBackend::Ed448Base() const { return inner_->Ed448Base(); }
Ed448Point FailingBackend::Ed448Identity() const { return inner_->Ed448Identity(); }
Ed448Point FailingBackend::Ed448Add(const Ed448Point& a, const Ed448Point& b) const {
  return inner_->Ed448Add(a, b);
}
Ed448Point FailingBackend::Ed448Sub(const Ed448Point& a, const Ed448Point& b) const {
  return inner_->Ed448Sub(a, b);
}
Ed448Point FailingBackend::Ed448Negate(const Ed448Point& a) const { return inner_->Ed448Negate(a); }
Ed448Point FailingBackend::Ed448Mul(const Ed448Point& point, const SecretBytes& scalar) const {
  return inner_->Ed448Mul(point, scalar);
}
Ed448Point FailingBackend::Ed448MulBase(const SecretBytes& scalar) const {
  return inner_->Ed448MulBase(scalar);
}
Result<SecretBytes> FailingBackend::Ed448ScalarDecode(ByteView encoded) const {
  return inner_->Ed448ScalarDecode(encoded);
}
SecretBytes FailingBackend::Ed448ScalarReduce(ByteView little_endian) const {
  return inner_->Ed448ScalarReduce(little_endian);
}
SecretBytes FailingBackend::Ed448ScalarAdd(const SecretBytes& a, const SecretBytes& b) const {
  return inner_->Ed448ScalarAdd(a, b);
}
SecretBytes FailingBackend::Ed448ScalarSub(const SecretBytes& a, const SecretBytes& b) const {
  return inner_->Ed448ScalarSub(a, b);
}
SecretBytes FailingBackend::Ed448ScalarMul(const SecretBytes& a, const SecretBytes& b) const {
  return inner_->Ed448ScalarMul(a, b);
}
Result<Bytes> FailingBackend::Ed448DerivePublicKey(const SecretBytes& seed) const {
  return inner_->Ed448DerivePublicKey(seed);
}
Result<Bytes> FailingBackend::Ed448Sign(const SecretBytes& seed, ByteView message) const {
  return inner_->Ed448Sign(seed, message);
}
Status FailingBackend::Ed448Verify(ByteView public_key, ByteView message,
                                   ByteView signature) const {
  return inner_->Ed448Verify(public_key, message, signature);
}

}  // namespace otr::crypto::testing
