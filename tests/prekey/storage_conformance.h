// The conformance suite of the prekey storage interface
// (protocol/prekey/server/storage.h): every backend runs it by instantiating
// the parametrized suite with a factory that makes a fresh, empty store:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StorageConformanceTest,
//                            ::testing::Values(otr::prekey::testing::StorageFactory(
//                                [] { return MakeFreshSqliteStorage(); })));
//
// The factory may return nullptr only to report that the backend cannot be
// set up; the cases then FAIL with that reason (they never skip).
#ifndef OTR_TESTS_PREKEY_STORAGE_CONFORMANCE_H_
#define OTR_TESTS_PREKEY_STORAGE_CONFORMANCE_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "protocol/prekey/server/storage.h"

namespace otr::prekey::testing {

using StorageFactory = std::function<std::unique_ptr<Storage>()>;

class StorageConformanceTest : public ::testing::TestWithParam<StorageFactory> {
 protected:
  void SetUp() override;
  std::unique_ptr<Storage> storage_;
};

}  // namespace otr::prekey::testing

#endif  // OTR_TESTS_PREKEY_STORAGE_CONFORMANCE_H_
