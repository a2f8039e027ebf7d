// Fixed long-term DSA keys for the stateful fuzzers (reproducible runs).
#ifndef OTR_FUZZ_SUPPORT_FIXED_KEYS_H_
#define OTR_FUZZ_SUPPORT_FIXED_KEYS_H_

#include "crypto/backend.h"

namespace otr::fuzzing {

// who == 0: "alice", the session under test; otherwise "bob", its peer.
// With the stand-in backend (fuzz_backend.h), keys in its small DSA group.
const crypto::DsaPrivateKey& FixedKey(int who);

}  // namespace otr::fuzzing

#endif  // OTR_FUZZ_SUPPORT_FIXED_KEYS_H_
