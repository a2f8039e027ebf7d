// Support for the differential tests: a rapidcheck runner with a per-property
// number of cases, fast random byte strings, and "every backend gives the
// same outcome" assertions.
#ifndef OTR_TESTS_CRYPTO_DIFFERENTIAL_UTIL_H_
#define OTR_TESTS_CRYPTO_DIFFERENTIAL_UTIL_H_

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <functional>
#include <sstream>
#include <string>
#include <utility>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/backends.h"
#include "crypto/secret_bytes.h"
#include "tests/crypto/test_util.h"

namespace otr::crypto::testing {

// Runs `property` for `cases` successful cases (RC_PARAMS="max_success=N"
// overrides it) and turns a counterexample into a gtest failure. The seed is
// printed, so RC_PARAMS="seed=N" replays a failure.
int CasesFor(int cases);
rc::detail::TestParams ParamsFor(int cases);
void ReportResult(const rc::detail::TestResult& result, const rc::detail::TestParams& params);

template <typename Property>
void CheckProperty(int cases, Property&& property) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  rc::detail::TestMetadata metadata;
  metadata.id = std::string(info->test_suite_name()) + "/" + info->name();
  metadata.description = info->name();
  const rc::detail::TestParams params = ParamsFor(cases);
  ReportResult(rc::detail::checkTestable(std::forward<Property>(property), metadata, params),
               params);
}

// A value uniform in [min, max), whatever rapidcheck's current size: plain
// gen::inRange narrows its range at small sizes, which would make rare
// corner cases (e.g. a counter about to wrap) depend on the seed.
template <typename T>
T Uniform(T min, T max) {
  return *rc::gen::resize(100, rc::gen::inRange<T>(min, max));
}

// `size` bytes drawn from a generated seed (cheap even for long strings).
Bytes RandomBytes(size_t size);
// A length in [min, max] and then that many bytes.
Bytes RandomBytes(size_t min, size_t max);
// Split points: `data` cut into 0..8 random pieces (some may be empty).
std::vector<ByteView> RandomChunks(ByteView data);

// Printable outcomes, so results of different backends compare as strings.
std::string Outcome(const Result<SecretBytes>& r);
std::string Outcome(const Result<Bytes>& r);
std::string Outcome(const Status& s);
std::string Outcome(const SecretBytes& s);
std::string Outcome(const Bytes& b);
std::string Outcome(const Ed448Encoding& e);
// Ed448Decode of `encoded` on `backend`: "ok:" and the decoded point's
// encoding, or "error:" and the code.
std::string DecodeOutcome(const Backend& backend, ByteView encoded);
inline std::string Outcome(std::string already_printed) { return already_printed; }

// Evaluates `op` on every backend and fails the property unless all outcomes
// equal the first backend's. Returns that outcome.
template <typename Op>
std::string ExpectAllAgree(const char* what, Op&& op) {
  std::string reference;
  const Backend* first = nullptr;
  for (const Backend* backend : AllBackends()) {
    std::string outcome = Outcome(op(*backend));
    if (first == nullptr) {
      first = backend;
      reference = std::move(outcome);
    } else if (outcome != reference) {
      RC_FAIL(std::string(what) + ": " + std::string(first->name()) + " gave " + reference +
              " but " + std::string(backend->name()) + " gave " + outcome);
    }
  }
  return reference;
}

const Backend& FirstBackend();

}  // namespace otr::crypto::testing

#endif  // OTR_TESTS_CRYPTO_DIFFERENTIAL_UTIL_H_
