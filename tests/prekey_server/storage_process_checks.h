// What the SQLite and PostgreSQL storage tests assert the same way: a small
// publication, and the multi-process runs of process_harness.h checked and
// printed (`backend` names the store in the printed lines).
#ifndef OTR_TESTS_PREKEY_SERVER_STORAGE_PROCESS_CHECKS_H_
#define OTR_TESTS_PREKEY_SERVER_STORAGE_PROCESS_CHECKS_H_

#include <cstdint>
#include <string>

#include "protocol/prekey/server/storage.h"
#include "tests/prekey_server/process_harness.h"

namespace otr::prekey_server::testing {

// `n` prekey messages "m" from id `first`, profiles "cp" and "pp", all
// valid until kHarnessNow + 100.
prekey::Publication SmallPublication(const std::string& owner, uint32_t tag, uint32_t first,
                                     uint32_t n);

// 20 processes take 1000 prekey messages of one instance tag: each once.
void CheckConcurrentTakes(const char* backend, const Opener& open, const std::string& dir);
// Publishers killed with SIGKILL: nothing acknowledged lost, nothing partial.
void CheckKilledDuringPublish(const char* backend, const Opener& open, const std::string& dir);
// Takers killed with SIGKILL: nothing handed out twice.
void CheckKilledDuringTake(const char* backend, const Opener& open, const std::string& dir);

}  // namespace otr::prekey_server::testing

#endif  // OTR_TESTS_PREKEY_SERVER_STORAGE_PROCESS_CHECKS_H_
