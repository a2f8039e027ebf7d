// Helpers shared by the cross-backend crypto tests: hex conversion and the
// value-parameterisation of a test suite over every registered backend.
#ifndef OTR_TESTS_CRYPTO_TEST_UTIL_H_
#define OTR_TESTS_CRYPTO_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/backend.h"
#include "crypto/backends.h"

namespace otr::crypto::testing {

// Decodes lowercase or uppercase hex; whitespace is skipped. A malformed
// string fails the current test and yields what was decoded so far.
Bytes FromHex(std::string_view hex);

std::string ToHex(ByteView bytes);

// Big-endian value + delta (delta may be negative, the value must not go
// below zero), at the same width unless it carries out: test-side arithmetic
// independent of the backends.
Bytes AddSmall(const Bytes& value, int delta);

// "openssl", "gcrypt": the parameter name gtest prints for a backend.
std::string BackendParamName(const ::testing::TestParamInfo<const Backend*>& info);

// The printable name of an error code, for assertion messages.
std::string CodeName(ErrorCode code);

// A fixture parameterised by backend. Instantiate with
// OTR_INSTANTIATE_FOR_ALL_BACKENDS(FixtureName).
class BackendTest : public ::testing::TestWithParam<const Backend*> {
 protected:
  const Backend& backend() const { return *GetParam(); }
};

}  // namespace otr::crypto::testing

#define OTR_INSTANTIATE_FOR_ALL_BACKENDS(fixture)                                    \
  INSTANTIATE_TEST_SUITE_P(AllBackends, fixture,                                     \
                           ::testing::ValuesIn(::otr::crypto::AllBackends().begin(), \
                                               ::otr::crypto::AllBackends().end()),  \
                           ::otr::crypto::testing::BackendParamName)

#endif  // OTR_TESTS_CRYPTO_TEST_UTIL_H_
