// Shared test fixtures for engine tests: DSA keys cached per backend (key
// generation is slow) and a clock the test sets.
#ifndef OTR_TESTS_SUPPORT_FIXTURES_H_
#define OTR_TESTS_SUPPORT_FIXTURES_H_

#include <cstdint>

#include "crypto/backend.h"
#include "protocol/api/output.h"

namespace otr::testing {

// The `who`-th DSA key of `backend`, generated once per test binary.
const crypto::DsaPrivateKey& CachedDsaKey(const crypto::Backend& backend, int who);

// The time a test gives its sessions (Session calls take it as an argument).
class FakeClock {
 public:
  uint64_t NowSeconds() const { return now; }
  uint64_t now = 1000;
};

}  // namespace otr::testing

#endif  // OTR_TESTS_SUPPORT_FIXTURES_H_
