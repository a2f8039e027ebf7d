// Linked into the *_realcrypto fuzzers only (fuzz/BUILD, oss-fuzz/build.sh):
// selects real crypto for fuzz_backend.h before any input runs.
#include "fuzz/support/fuzz_backend.h"

namespace {

[[maybe_unused]] const bool kSelected = [] {
  otr::fuzzing::SelectRealCrypto();
  return true;
}();

}  // namespace
