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
  return inner().ModExp(base, exponent, m);
}

Result<Bytes> CountingBackend::ModExpPublic(ByteView base, ByteView exponent, ByteView m) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++modexps_;
  }
  return inner().ModExpPublic(base, exponent, m);
}

}  // namespace otr::crypto::testing
