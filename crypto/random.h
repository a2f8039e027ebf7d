// Randomness comes in through this interface (DESIGN.md principle 1), so a
// test, the model explorer or a fuzzer can replay a run byte for byte. The
// deterministic generator lives in the testonly target
// //crypto/testing:deterministic_random, which production targets cannot
// depend on.
#ifndef OTR_CRYPTO_RANDOM_H_
#define OTR_CRYPTO_RANDOM_H_

#include "base/bytes.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto {

class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(MutableByteView out) = 0;

  SecretBytes SecretOfSize(size_t size) {
    SecretBytes s(size);
    Fill(s.mutable_view());
    return s;
  }
};

// The operating system's CSPRNG (getrandom(2)).
class OsRandom final : public Random {
 public:
  void Fill(MutableByteView out) override;
};

}  // namespace otr::crypto

#endif  // OTR_CRYPTO_RANDOM_H_
