// The production side of decision 0027: without
// FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (every configuration but
// --config=fuzz and OSS-Fuzz's), //crypto/fuzzing:fuzzing_backend, linked
// here with alwayslink, defines no stand-in backend, so no binary built
// that way can select it. A weak reference resolves to null when no
// definition was linked.
#include <gtest/gtest.h>

#include <memory>

#include "crypto/backend.h"

namespace otr::crypto::fuzzing {
__attribute__((weak)) std::unique_ptr<Backend> MakeFuzzingBackend(const Backend& inner);
}  // namespace otr::crypto::fuzzing

namespace {

TEST(FuzzingBackendAbsent, LinkedOnlyWithTheMacro) {
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  // A fuzzing build: there it must be.
  EXPECT_NE(&otr::crypto::fuzzing::MakeFuzzingBackend, nullptr);
#else
  EXPECT_EQ(&otr::crypto::fuzzing::MakeFuzzingBackend, nullptr);
#endif
}

}  // namespace
