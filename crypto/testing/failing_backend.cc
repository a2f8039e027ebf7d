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
  return std::make_unique<FailingKeyedHmac>(*this, inner().NewKeyedHmac(alg, key));
}
Status FailingBackend::Aes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in,
                                 MutableByteView out) const {
  if (ShouldFail(FailingOperation::kAes128Ctr)) return Injected();
  return inner().Aes128Ctr(key, top_half, in, out);
}
Result<std::unique_ptr<KeyedAes128Ctr>> FailingBackend::NewKeyedAes128Ctr(
    const SecretBytes& key) const {
  if (ShouldFail(FailingOperation::kNewKeyedAes128Ctr)) return Injected();
  OTR_ASSIGN_OR_RETURN(std::unique_ptr<KeyedAes128Ctr> inner, inner().NewKeyedAes128Ctr(key));
  return std::unique_ptr<KeyedAes128Ctr>(
      std::make_unique<FailingKeyedAes>(*this, std::move(inner)));
}
Result<SecretBytes> FailingBackend::ModExp(ByteView base, const SecretBytes& exponent,
                                           ByteView m) const {
  if (ShouldFail(FailingOperation::kModExp)) return Injected();
  return inner().ModExp(base, exponent, m);
}
Result<Bytes> FailingBackend::ModExpPublic(ByteView base, ByteView exponent, ByteView m) const {
  if (ShouldFail(FailingOperation::kModExpPublic)) return Injected();
  return inner().ModExpPublic(base, exponent, m);
}
Status FailingBackend::DsaVerify(const DsaPublicKey& key, ByteView message,
                                 ByteView signature) const {
  if (ShouldFail(FailingOperation::kDsaVerify)) return Injected();
  return inner().DsaVerify(key, message, signature);
}

}  // namespace otr::crypto::testing
