// Runs a rapidcheck property a configurable number of times: `bazel test`
// keeps the default small; OTR_PROPERTY_CASES=<n> (e.g. through
// --test_env=OTR_PROPERTY_CASES=10000) or RC_PARAMS="max_success=<n>" raises
// it. Prints the case count and the time taken, the figures the issue asks
// for.
#ifndef OTR_TESTS_PROPERTIES_PROPERTY_CHECK_H_
#define OTR_TESTS_PROPERTIES_PROPERTY_CHECK_H_

#include <rapidcheck.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace otr::properties {

inline int PropertyCases(int default_cases) {
  const char* env = std::getenv("OTR_PROPERTY_CASES");
  if (env != nullptr && *env != '\0') {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  // rapidcheck's own RC_PARAMS="max_success=<n> ..." raises it too.
  const char* rc_params = std::getenv("RC_PARAMS");
  if (rc_params != nullptr && std::string(rc_params).find("max_success=") != std::string::npos) {
    return rc::detail::configuration().testParams.maxSuccess;
  }
  return default_cases;
}

// True when the property held for every case.
template <typename Testable>
bool CheckProperty(const std::string& name, int default_cases, Testable&& testable) {
  using namespace rc::detail;
  TestParams params = configuration().testParams;
  params.maxSuccess = PropertyCases(default_cases);
  TestMetadata metadata;
  metadata.id = name;
  metadata.description = name;
  const auto start = std::chrono::steady_clock::now();
  // OTR_PROPERTY_PROGRESS=<n>: a line every n runs of the property (cases,
  // and shrinking steps after a failure), so a long run shows how far it got.
  const char* progress_env = std::getenv("OTR_PROPERTY_PROGRESS");
  const long every = progress_env != nullptr ? std::atol(progress_env) : 0;
  long runs = 0;
  auto counted = [&] {
    testable();
    if (every > 0 && ++runs % every == 0) {
      const double s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "PROGRESS %s: %ld runs, %.1f s\n", name.c_str(), runs, s);
    }
  };
  const TestResult result = checkTestable(counted, metadata, params);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "- " << name << "\n";
  printResultMessage(result, std::cerr);
  std::cerr << "\n";
  std::fprintf(stderr, "PROPERTY %s: %d cases requested, %.1f s, %s\n", name.c_str(),
               params.maxSuccess, seconds,
               result.template is<SuccessResult>() ? "passed" : "FAILED");
  return result.template is<SuccessResult>();
}

}  // namespace otr::properties

#endif  // OTR_TESTS_PROPERTIES_PROPERTY_CHECK_H_
