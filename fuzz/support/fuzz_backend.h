// The crypto backend of the stateful fuzzers (decision 0027). In a fuzzing
// build (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION: --config=fuzz, OSS-Fuzz)
// it is the cheap stand-in of crypto/fuzzing/fuzzing_backend.h over
// openssl, unless the binary links real_crypto.cc (the *_realcrypto
// variants, for a campaign's last stretch); in every other build, and in
// those variants, it is openssl.
#ifndef OTR_FUZZ_SUPPORT_FUZZ_BACKEND_H_
#define OTR_FUZZ_SUPPORT_FUZZ_BACKEND_H_

#include "crypto/backend.h"

namespace otr::fuzzing {

const crypto::Backend& FuzzBackend();

// True when FuzzBackend() is the stand-in (the fixed keys then live in its
// small DSA group: fixed_keys.h).
bool UsesStandInCrypto();

// Called before the first FuzzBackend() by real_crypto.cc's initializer.
void SelectRealCrypto();

}  // namespace otr::fuzzing

#endif  // OTR_FUZZ_SUPPORT_FUZZ_BACKEND_H_
