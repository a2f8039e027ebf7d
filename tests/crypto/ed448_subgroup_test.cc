// The subgroup check of Ed448Decode (otrv4.md "Verifying that a point is on
// the curve"), done without a scalar multiplication since issue 16
// (docs/decisions/0004-decaf-isogeny.md, "The subgroup check"), against
// verdicts computed the spec's way (q*P = identity) in plain Python by
// testdata/ed448_subgroup_vectors.py: k*B + T for each of the four torsion
// points T, random curve points of every coset, and every public key and R
// of Wycheproof's Ed448 vectors. Also: points belong to their backend.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/backend.h"
#include "crypto/backends.h"
#include "crypto/testing/ed448_points.h"
#include "tests/crypto/test_util.h"

namespace otr::crypto::testing {
namespace {

struct Vector {
  std::string kind;    // torsion0..3, curve, wycheproof
  std::string scalar;  // k for torsion<i>, else "-"
  std::string encoding;
  std::string expected;  // "ok" or an ErrorCode name
};

std::vector<Vector> LoadVectors() {
  const std::string relative = "tests/crypto/testdata/ed448_subgroup_vectors.txt";
  std::ifstream in(relative);
  if (!in) {
    const char* srcdir = std::getenv("TEST_SRCDIR");
    if (srcdir != nullptr) in.open(std::string(srcdir) + "/otr/" + relative);
  }
  std::vector<Vector> vectors;
  if (!in) {
    ADD_FAILURE() << "cannot open " << relative;
    return vectors;
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Vector v;
    fields >> v.kind >> v.scalar >> v.encoding >> v.expected;
    EXPECT_FALSE(fields.fail()) << line;
    vectors.push_back(v);
  }
  return vectors;
}

// A small scalar as 57 little-endian bytes.
SecretBytes SmallScalar(uint8_t value) {
  SecretBytes s(kEd448ScalarSize);
  s[0] = value;
  return s;
}

using Ed448SubgroupTest = BackendTest;
OTR_INSTANTIATE_FOR_ALL_BACKENDS(Ed448SubgroupTest);

TEST_P(Ed448SubgroupTest, DecodeGivesTheSpecsVerdict) {
  const std::vector<Vector> vectors = LoadVectors();
  std::map<std::string, int> per_kind;
  for (const Vector& v : vectors) {
    SCOPED_TRACE(v.kind + " " + v.encoding);
    const Bytes encoded = FromHex(v.encoding);
    Result<Ed448Point> decoded = backend().Ed448Decode(encoded);
    EXPECT_EQ(decoded.ok() ? std::string("ok") : CodeName(decoded.code()), v.expected);
    ++per_kind[v.kind + " " + v.expected];
    if (!decoded.ok()) continue;
    // Accepted points carry their encoding back out, and are the points
    // they claim to be.
    EXPECT_EQ(PointHex(backend(), *decoded), v.encoding);
    if (v.kind == "torsion0") {
      const Ed448Point expected = backend().Ed448MulBase(SecretBytes(FromHex(v.scalar)));
      EXPECT_TRUE(SamePoint(backend(), *decoded, expected));
      // The sum of decoded points has no stored encoding: encoding it goes
      // through the backend's conversion, which must agree.
      const Ed448Point twice = backend().Ed448Add(*decoded, *decoded);
      EXPECT_TRUE(SamePoint(backend(), twice, backend().Ed448Mul(expected, SmallScalar(2))));
    }
  }
  // Every kind of vector is there: a file that lost lines fails here.
  EXPECT_EQ(per_kind["torsion0 ok"], 16);
  for (const char* kind : {"torsion1", "torsion2", "torsion3"}) {
    EXPECT_EQ(per_kind[std::string(kind) + " kNotInSubgroup"], 16) << kind;
  }
  EXPECT_GT(per_kind["curve ok"], 0);
  EXPECT_GT(per_kind["curve kNotInSubgroup"], 0);
  EXPECT_GT(per_kind["wycheproof ok"], 0);
  EXPECT_GT(per_kind["wycheproof kNotInSubgroup"], 0);
}

// A point made by one backend handed to the other is a caller's bug that no
// input can cause: it aborts with a message naming both backends, instead
// of reading one library's internal form as the other's.
TEST(Ed448PointOwnershipDeathTest, AnotherBackendsPointAborts) {
  ASSERT_EQ(AllBackends().size(), 2u);
  const Backend& a = *AllBackends()[0];
  const Backend& b = *AllBackends()[1];
  const Ed448Point from_a = a.Ed448Base();
  const std::string message = "made by the " + std::string(a.name()) +
                              " backend was passed to the " + std::string(b.name()) + " backend";
  EXPECT_DEATH(b.Ed448Encode(from_a), message);
  EXPECT_DEATH(b.Ed448Add(b.Ed448Base(), from_a), message);
  EXPECT_DEATH(b.Ed448Mul(from_a, SmallScalar(1)), message);
  EXPECT_DEATH((void)b.Ed448Equal(from_a, b.Ed448Base()), message);
  EXPECT_DEATH(a.Ed448Negate(b.Ed448Identity()), "made by the " + std::string(b.name()));
}

TEST(Ed448PointOwnershipDeathTest, DefaultConstructedPointAborts) {
  for (const Backend* backend : AllBackends()) {
    EXPECT_DEATH(backend->Ed448Encode(Ed448Point()), "that no backend made");
  }
}

}  // namespace
}  // namespace otr::crypto::testing
