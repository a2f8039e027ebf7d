// A Backend that forwards every call to another backend and records the
// modular exponentiations it was asked for: how many (secret and public
// exponent) and the length of each secret exponent. Tests use it to see the
// public-key work an operation costs (no modexp before a MAC check) and the
// exponent length an exponentiation processes (DSA nonces), without any
// hook in the release code.
#ifndef OTR_CRYPTO_TESTING_COUNTING_BACKEND_H_
#define OTR_CRYPTO_TESTING_COUNTING_BACKEND_H_

#include <cstddef>
#include <mutex>
#include <vector>

#include "crypto/testing/forwarding_backend.h"

namespace otr::crypto::testing {

class CountingBackend final : public ForwardingBackend {
 public:
  explicit CountingBackend(const Backend& inner) : ForwardingBackend(inner) {}

  // ModExp + ModExpPublic calls since construction or Reset().
  size_t modexps() const;
  // The exponent sizes in bytes of the ModExp (secret) calls, in order.
  std::vector<size_t> secret_exponent_sizes() const;
  // The top byte of each ModExp exponent (0 for an empty one), in order.
  std::vector<uint8_t> secret_exponent_top_bytes() const;
  void Reset();

  Result<SecretBytes> ModExp(ByteView base, const SecretBytes& exponent, ByteView m) const override;
  Result<Bytes> ModExpPublic(ByteView base, ByteView exponent, ByteView m) const override;

 private:
  mutable std::mutex mutex_;  // a Backend is thread-safe
  mutable size_t modexps_ = 0;
  mutable std::vector<size_t> sizes_;
  mutable std::vector<uint8_t> tops_;
};

}  // namespace otr::crypto::testing

#endif  // OTR_CRYPTO_TESTING_COUNTING_BACKEND_H_
