// A Backend that forwards every call to another backend but fails chosen
// operations on demand, for fault-injection tests of the engine's transition
// contract (issue 14: a failing action aborts its row with no state change and
// no partial output). A failure is kBackendFailure, as a library error would
// be. The keyed contexts it hands out (AES-CTR, HMAC) are wrapped too, so a
// fault can hit the per-key-pair ciphers of an established session, which
// were set up before the fault was armed.
//
// One rule per operation: after `successes` more calls succeed, the next
// `failures` calls fail (kForever: until Clear). Thread-safe, like every
// Backend; keyed contexts must not outlive the FailingBackend.
#ifndef OTR_CRYPTO_TESTING_FAILING_BACKEND_H_
#define OTR_CRYPTO_TESTING_FAILING_BACKEND_H_

#include <array>
#include <cstddef>
#include <limits>
#include <mutex>

#include "crypto/testing/forwarding_backend.h"

namespace otr::crypto::testing {

// The operations a fault can be injected into. GenerateDhKeyPair, DSA
// signing and every D-H shared secret run on kModExp.
enum class FailingOperation {
  kModExp,               // Backend::ModExp (secret exponent)
  kModExpPublic,         // Backend::ModExpPublic
  kAes128Ctr,            // Backend::Aes128Ctr (one-shot; the AKE's encryptions)
  kNewKeyedAes128Ctr,    // Backend::NewKeyedAes128Ctr (setting up a key pair's ciphers)
  kKeyedAes128CtrCrypt,  // KeyedAes128Ctr::Crypt (sealing / opening Data Messages)
  kKeyedHmacMac,         // KeyedHmac::Mac (Data Message MACs)
  kDsaVerify,            // Backend::DsaVerify
  kCount,
};

class FailingBackend final : public ForwardingBackend {
 public:
  static constexpr size_t kForever = std::numeric_limits<size_t>::max();

  explicit FailingBackend(const Backend& inner) : ForwardingBackend(inner) {}

  // Arms `op`: the next `successes` calls succeed, the `failures` after them
  // fail. Replaces any earlier rule for `op`.
  void FailAfter(FailingOperation op, size_t successes, size_t failures = kForever);
  // Every call of `op` fails from now on, until Clear.
  void Fail(FailingOperation op) { FailAfter(op, 0, kForever); }
  // Disarms every rule (the counts stay).
  void Clear();

  // Calls of `op` since construction, and how many of them were failed.
  size_t calls(FailingOperation op) const;
  size_t failures(FailingOperation op) const;

  // Counts a call of `op` and says whether it must fail (used by the
  // wrapped keyed contexts too).
  bool ShouldFail(FailingOperation op) const;

  std::unique_ptr<KeyedHmac> NewKeyedHmac(HashAlgorithm alg, const SecretBytes& key) const override;
  Status Aes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in,
                   MutableByteView out) const override;
  Result<std::unique_ptr<KeyedAes128Ctr>> NewKeyedAes128Ctr(const SecretBytes& key) const override;
  Result<SecretBytes> ModExp(ByteView base, const SecretBytes& exponent, ByteView m) const override;
  Result<Bytes> ModExpPublic(ByteView base, ByteView exponent, ByteView m) const override;
  Status DsaVerify(const DsaPublicKey& key, ByteView message, ByteView signature) const override;

 private:
  struct Rule {
    bool armed = false;
    size_t successes = 0;  // still to let through before failing
    size_t failures = 0;   // still to fail
    size_t calls = 0;
    size_t failed = 0;
  };
  static constexpr size_t kOperations = static_cast<size_t>(FailingOperation::kCount);

  mutable std::mutex mutex_;
  mutable std::array<Rule, kOperations> rules_{};
};

}  // namespace otr::crypto::testing

#endif  // OTR_CRYPTO_TESTING_FAILING_BACKEND_H_
