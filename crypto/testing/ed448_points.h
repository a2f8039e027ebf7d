// Test helpers for the opaque crypto::Ed448Point: points are compared and
// printed through the backend that made them (Ed448Equal, Ed448Encode).
#ifndef OTR_CRYPTO_TESTING_ED448_POINTS_H_
#define OTR_CRYPTO_TESTING_ED448_POINTS_H_

#include <gtest/gtest.h>

#include <string>

#include "crypto/backend.h"

namespace otr::crypto::testing {

// The point's encoding in lowercase hex.
std::string PointHex(const Backend& backend, const Ed448Point& point);

// Success iff Ed448Equal(a, b) and the two encodings are the same bytes; a
// failure shows both encodings and which of the two tests disagreed.
::testing::AssertionResult SamePoint(const Backend& backend, const Ed448Point& a,
                                     const Ed448Point& b);

}  // namespace otr::crypto::testing

#endif  // OTR_CRYPTO_TESTING_ED448_POINTS_H_
