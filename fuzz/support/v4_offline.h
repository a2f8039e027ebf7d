// The offline side of the stateful OTRv4 fuzzers (v4_session_offline_fuzzer
// and its seeds): bob's published prekey material (otrv4.md, "Publishing
// Prekey Ensembles"), made once with fixed randomness: a Prekey Profile for
// kBobTag and kOfflinePrekeys Prekey Messages, their secrets in an
// InMemoryPrekeyStore that each input copies (a Non-Interactive-Auth erases
// the secrets it uses, "one-time use"), and the Prekey Ensembles a prekey
// server would hand to alice.
#ifndef OTR_FUZZ_SUPPORT_V4_OFFLINE_H_
#define OTR_FUZZ_SUPPORT_V4_OFFLINE_H_

#include <cstddef>
#include <vector>

#include "protocol/v4/dake/xzdh.h"
#include "protocol/v4/engine/prekey_store.h"

namespace otr::fuzzing {

inline constexpr size_t kOfflinePrekeys = 3;

struct OfflinePrekeys {
  v4::InMemoryPrekeyStore store;                          // copy it per input
  std::vector<v4::dake::PrekeyEnsembleValues> ensembles;  // one per Prekey Message
  // What alice may be given: each ensemble alone, then all of them (made
  // once, so an input's offline start copies none of them).
  std::vector<std::vector<v4::dake::PrekeyEnsembleValues>> choices;
};

// Bob's (FixedV4Identity(1)), valid from kV4StartTime for the Client
// Profile's lifetime. Traps if they cannot be made.
const OfflinePrekeys& FixedBobPrekeys();

}  // namespace otr::fuzzing

#endif  // OTR_FUZZ_SUPPORT_V4_OFFLINE_H_
