#include "crypto/testing/deterministic_random.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>
#include <span>

#include "base/no_coverage.h"

// The fuzzers (fuzz/, decision 0040) draw all their randomness here: a
// fuzzing build does not instrument this generator for coverage (its loops
// say nothing about the code under test, only about how many bytes were
// drawn), and it fetches SHAKE-256 and a digest context once per thread
// instead of once per 64-byte block (OTR_NO_COVERAGE, base/no_coverage.h).

namespace otr::crypto::testing {
namespace {

struct Shake {
  Shake() : md(EVP_MD_fetch(nullptr, "SHAKE256", nullptr)), ctx(EVP_MD_CTX_new()) {
    if (md == nullptr || ctx == nullptr) std::abort();
  }
  ~Shake() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
  Shake(const Shake&) = delete;
  Shake& operator=(const Shake&) = delete;

  EVP_MD* md;
  EVP_MD_CTX* ctx;
};

}  // namespace

DeterministicRandom::DeterministicRandom(ByteView seed, Shake256Function shake)
    : shake_(shake), seed_(seed.begin(), seed.end()) {}

DeterministicRandom::DeterministicRandom(uint64_t seed, Shake256Function shake)
    : shake_(shake), seed_(8) {
  for (size_t i = 0; i < 8; ++i) seed_[i] = static_cast<uint8_t>(seed >> (8 * i));
}

OTR_NO_COVERAGE void DeterministicRandom::NextBlock() {
  // Block i is SHAKE-256(seed || i as 8 little-endian bytes), 64 bytes.
  uint8_t index[8];
  for (int i = 0; i < 8; ++i) index[i] = static_cast<uint8_t>(block_ >> (8 * i));
  ++block_;
  if (shake_ != nullptr) {
    const ByteView parts[] = {seed_, ByteView(index, sizeof index)};
    shake_(std::span<const ByteView>(parts), buffer_);
    unread_ = buffer_.size();
    return;
  }
  thread_local Shake shake;
  if (EVP_DigestInit_ex2(shake.ctx, shake.md, nullptr) != 1 ||
      EVP_DigestUpdate(shake.ctx, seed_.data(), seed_.size()) != 1 ||
      EVP_DigestUpdate(shake.ctx, index, sizeof index) != 1 ||
      EVP_DigestFinalXOF(shake.ctx, buffer_.data(), buffer_.size()) != 1) {
    std::abort();
  }
  unread_ = buffer_.size();
}

OTR_NO_COVERAGE void DeterministicRandom::Fill(MutableByteView out) {
  size_t done = 0;
  while (done < out.size()) {
    if (unread_ == 0) NextBlock();
    // Each block goes out last byte first: its unread bytes reversed (a
    // plain loop: a library call would be instrumented on its own).
    const size_t n = std::min(unread_, out.size() - done);
    const uint8_t* from = buffer_.data() + unread_;
    uint8_t* to = out.data() + done;
    for (size_t i = 0; i < n; ++i) *to++ = *--from;
    unread_ -= n;
    done += n;
  }
}

}  // namespace otr::crypto::testing
