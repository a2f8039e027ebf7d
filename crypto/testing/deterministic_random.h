// A seeded, reproducible generator for tests, the model explorer and fuzzers:
// the output stream is SHAKE-256(seed), read block by block.
#ifndef OTR_CRYPTO_TESTING_DETERMINISTIC_RANDOM_H_
#define OTR_CRYPTO_TESTING_DETERMINISTIC_RANDOM_H_

#include <cstdint>

#include "base/bytes.h"
#include "crypto/random.h"

namespace otr::crypto::testing {

class DeterministicRandom final : public Random {
 public:
  explicit DeterministicRandom(ByteView seed);
  explicit DeterministicRandom(uint64_t seed);
  void Fill(MutableByteView out) override;

 private:
  Bytes seed_;
  uint64_t block_ = 0;  // index of the next 64-byte block
  Bytes buffer_;        // unread bytes of the current block
};

}  // namespace otr::crypto::testing

#endif  // OTR_CRYPTO_TESTING_DETERMINISTIC_RANDOM_H_
