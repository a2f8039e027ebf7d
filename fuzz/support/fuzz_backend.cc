#include "fuzz/support/fuzz_backend.h"

#include <cstdio>
#include <cstdlib>

#include "crypto/backends.h"
#include "crypto/fuzzing/fuzzing_backend.h"

namespace otr::fuzzing {
namespace {

bool real_crypto = false;
bool chosen = false;  // FuzzBackend() was called: the choice is final

}  // namespace

void SelectRealCrypto() {
  if (chosen) {
    std::fputs("SelectRealCrypto after the backend was chosen\n", stderr);
    std::abort();
  }
  real_crypto = true;
}

bool UsesStandInCrypto() {
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  return !real_crypto;
#else
  return false;
#endif
}

const crypto::Backend& FuzzBackend() {
  chosen = true;
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  if (UsesStandInCrypto()) {
    static const crypto::Backend* const stand_in =
        crypto::fuzzing::MakeFuzzingBackend(crypto::DefaultBackend()).release();
    return *stand_in;
  }
#endif
  return crypto::DefaultBackend();
}

}  // namespace otr::fuzzing
