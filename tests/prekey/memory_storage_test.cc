// The in-memory prekey store passes the storage conformance suite.
#include "protocol/prekey/server/memory_storage.h"

#include "tests/prekey/storage_conformance.h"

namespace otr::prekey::testing {

INSTANTIATE_TEST_SUITE_P(Memory, StorageConformanceTest, ::testing::Values(StorageFactory([] {
                           return std::make_unique<MemoryStorage>();
                         })));

}  // namespace otr::prekey::testing
