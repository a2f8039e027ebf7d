#include "crypto/testing/deterministic_random.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace otr::crypto::testing {

DeterministicRandom::DeterministicRandom(ByteView seed) : seed_(seed.begin(), seed.end()) {}

DeterministicRandom::DeterministicRandom(uint64_t seed) {
  for (int i = 0; i < 8; ++i) seed_.push_back(static_cast<uint8_t>(seed >> (8 * i)));
}

void DeterministicRandom::Fill(MutableByteView out) {
  for (uint8_t& byte : out) {
    if (buffer_.empty()) {
      // Block i is SHAKE-256(seed || i as 8 little-endian bytes), 64 bytes.
      Bytes input = seed_;
      for (int i = 0; i < 8; ++i) input.push_back(static_cast<uint8_t>(block_ >> (8 * i)));
      ++block_;
      buffer_.resize(64);
      EVP_MD_CTX* ctx = EVP_MD_CTX_new();
      if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_shake256(), nullptr) != 1 ||
          EVP_DigestUpdate(ctx, input.data(), input.size()) != 1 ||
          EVP_DigestFinalXOF(ctx, buffer_.data(), buffer_.size()) != 1) {
        std::abort();
      }
      EVP_MD_CTX_free(ctx);
    }
    byte = buffer_.back();
    buffer_.pop_back();
  }
}

}  // namespace otr::crypto::testing
