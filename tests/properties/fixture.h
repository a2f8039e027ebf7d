// Every property runs on every crypto backend and for v2 and v3.
#ifndef OTR_TESTS_PROPERTIES_FIXTURE_H_
#define OTR_TESTS_PROPERTIES_FIXTURE_H_

#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "crypto/backend.h"
#include "crypto/backends.h"

namespace otr::properties {

using BackendAndVersion = std::tuple<const crypto::Backend*, int>;

class PropertyTest : public ::testing::TestWithParam<BackendAndVersion> {
 protected:
  const crypto::Backend& backend() const { return *std::get<0>(GetParam()); }
  int version() const { return std::get<1>(GetParam()); }
  std::string Name(const std::string& property) const {
    return property + " [" + std::string(backend().name()) + ", v" + std::to_string(version()) +
           "]";
  }
};

inline std::string ParamName(const ::testing::TestParamInfo<BackendAndVersion>& info) {
  return std::string(std::get<0>(info.param)->name()) + "_v" +
         std::to_string(std::get<1>(info.param));
}

}  // namespace otr::properties

#define OTR_INSTANTIATE_PROPERTY(fixture)                                          \
  INSTANTIATE_TEST_SUITE_P(                                                        \
      AllBackendsAndVersions, fixture,                                             \
      ::testing::Combine(::testing::ValuesIn(::otr::crypto::AllBackends().begin(), \
                                             ::otr::crypto::AllBackends().end()),  \
                         ::testing::Values(2, 3)),                                 \
      ::otr::properties::ParamName)

#endif  // OTR_TESTS_PROPERTIES_FIXTURE_H_
