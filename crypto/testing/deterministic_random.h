// A seeded, reproducible generator for tests, the model explorer and fuzzers:
// the output stream is SHAKE-256(seed), read block by block.
#ifndef OTR_CRYPTO_TESTING_DETERMINISTIC_RANDOM_H_
#define OTR_CRYPTO_TESTING_DETERMINISTIC_RANDOM_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/bytes.h"
#include "crypto/random.h"

namespace otr::crypto::testing {

// Copyable: a copy goes on with the same stream from where the original was
// (the fuzzers' templates put a party's source back into a saved state).
class DeterministicRandom final : public Random {
 public:
  // SHAKE-256 of `parts` (concatenated) into `out`. The default is
  // OpenSSL's; the fuzzers pass their stand-in backend's pooled one, which
  // allocates nothing (decision 0049). Any SHAKE-256 gives the same stream.
  using Shake256Function = void (*)(std::span<const ByteView> parts, MutableByteView out);

  explicit DeterministicRandom(ByteView seed, Shake256Function shake = nullptr);
  explicit DeterministicRandom(uint64_t seed, Shake256Function shake = nullptr);
  void Fill(MutableByteView out) override;

 private:
  static constexpr size_t kBlockSize = 64;
  void NextBlock();

  Shake256Function shake_;  // null: OpenSSL's
  Bytes seed_;
  uint64_t block_ = 0;  // index of the next 64-byte block
  // The current block; its first `unread_` bytes are not handed out yet
  // (they go out last byte first).
  std::array<uint8_t, kBlockSize> buffer_{};
  size_t unread_ = 0;
};

}  // namespace otr::crypto::testing

#endif  // OTR_CRYPTO_TESTING_DETERMINISTIC_RANDOM_H_
