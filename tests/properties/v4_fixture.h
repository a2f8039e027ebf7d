// The v4 properties run with both parties on each crypto backend and with
// one side on each (issue 17: "both backends, one side on each").
#ifndef OTR_TESTS_PROPERTIES_V4_FIXTURE_H_
#define OTR_TESTS_PROPERTIES_V4_FIXTURE_H_

#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "crypto/backend.h"
#include "crypto/backends.h"

namespace otr::properties {

using BackendPair = std::tuple<const crypto::Backend*, const crypto::Backend*>;

class V4PropertyTest : public ::testing::TestWithParam<BackendPair> {
 protected:
  const crypto::Backend& alice_backend() const { return *std::get<0>(GetParam()); }
  const crypto::Backend& bob_backend() const { return *std::get<1>(GetParam()); }
  std::string Name(const std::string& property) const {
    return property + " [alice " + std::string(alice_backend().name()) + ", bob " +
           std::string(bob_backend().name()) + ", v4]";
  }
};

inline std::string V4ParamName(const ::testing::TestParamInfo<BackendPair>& info) {
  return std::string(std::get<0>(info.param)->name()) + "_" +
         std::string(std::get<1>(info.param)->name());
}

}  // namespace otr::properties

#define OTR_INSTANTIATE_V4_PROPERTY(fixture)                                       \
  INSTANTIATE_TEST_SUITE_P(                                                        \
      AllBackendPairs, fixture,                                                    \
      ::testing::Combine(::testing::ValuesIn(::otr::crypto::AllBackends().begin(), \
                                             ::otr::crypto::AllBackends().end()),  \
                         ::testing::ValuesIn(::otr::crypto::AllBackends().begin(), \
                                             ::otr::crypto::AllBackends().end())), \
      ::otr::properties::V4ParamName)

#endif  // OTR_TESTS_PROPERTIES_V4_FIXTURE_H_
