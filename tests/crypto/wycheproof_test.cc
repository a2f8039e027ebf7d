// Project Wycheproof (tests/vectors/wycheproof, Apache-2.0): every Ed448
// verification case and every HMAC-SHA1/SHA256 case, on every backend.
// "valid" must be accepted and "invalid" rejected; "acceptable" cases may go
// either way and are only reported.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "crypto/backend.h"
#include "tests/crypto/test_util.h"

namespace otr::crypto::testing {
namespace {

using Json = nlohmann::json;

// Bazel runs a test in its runfiles tree, $TEST_SRCDIR/<workspace name>; the
// workspace is "otr".
Json LoadVectors(const std::string& name) {
  const std::string relative = "tests/vectors/wycheproof/" + name;
  std::ifstream in(relative);
  if (!in) {
    const char* srcdir = std::getenv("TEST_SRCDIR");
    if (srcdir != nullptr) in.open(std::string(srcdir) + "/otr/" + relative);
  }
  if (!in) {
    ADD_FAILURE() << "cannot open " << relative;
    return Json();
  }
  std::stringstream text;
  text << in.rdbuf();
  Json json = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) ADD_FAILURE() << "malformed JSON in " << name;
  return json;
}

struct Tally {
  int valid_accepted = 0;
  int invalid_rejected = 0;
  int acceptable_accepted = 0;
  int acceptable_rejected = 0;
  int mismatches = 0;
  int total() const {
    return valid_accepted + invalid_rejected + acceptable_accepted + acceptable_rejected +
           mismatches;
  }
};

// Records one verdict; returns false on a mismatch.
bool Record(Tally& tally, const std::string& expected, bool accepted) {
  if (expected == "valid" && accepted) {
    ++tally.valid_accepted;
  } else if (expected == "invalid" && !accepted) {
    ++tally.invalid_rejected;
  } else if (expected == "acceptable") {
    ++(accepted ? tally.acceptable_accepted : tally.acceptable_rejected);
  } else {
    ++tally.mismatches;
    return false;
  }
  return true;
}

void Report(const Backend& backend, const std::string& file, const Tally& tally) {
  std::cout << "[wycheproof] " << backend.name() << " " << file << ": " << tally.total()
            << " cases, valid accepted " << tally.valid_accepted << ", invalid rejected "
            << tally.invalid_rejected << ", acceptable accepted " << tally.acceptable_accepted
            << ", acceptable rejected " << tally.acceptable_rejected << ", MISMATCHES "
            << tally.mismatches << std::endl;
}

std::string Describe(const Json& test) {
  std::ostringstream out;
  out << "tcId " << test.value("tcId", -1) << " (" << test.value("comment", std::string()) << ")"
      << " expected " << test.value("result", std::string());
  return out.str();
}

using WycheproofTest = BackendTest;
OTR_INSTANTIATE_FOR_ALL_BACKENDS(WycheproofTest);

TEST_P(WycheproofTest, Ed448Verify) {
  const std::string file = "ed448_test.json";
  Json json = LoadVectors(file);
  ASSERT_TRUE(json.is_object());
  ASSERT_EQ(json.value("algorithm", std::string()), "EDDSA");
  Tally tally;
  for (const Json& group : json["testGroups"]) {
    ASSERT_EQ(group["publicKey"].value("curve", std::string()), "edwards448");
    const Bytes public_key = FromHex(group["publicKey"]["pk"].get<std::string>());
    for (const Json& test : group["tests"]) {
      const std::string expected = test["result"].get<std::string>();
      Status status = backend().Ed448Verify(public_key, FromHex(test["msg"].get<std::string>()),
                                            FromHex(test["sig"].get<std::string>()));
      if (!Record(tally, expected, status.ok())) {
        ADD_FAILURE() << backend().name() << " " << Describe(test) << ": got "
                      << (status.ok() ? std::string("accept")
                                      : "reject with " + CodeName(status.code()));
      } else if (expected == "acceptable") {
        std::cout << "[wycheproof] " << backend().name() << " acceptable " << Describe(test) << ": "
                  << (status.ok() ? "accepted" : "rejected") << std::endl;
      }
    }
  }
  Report(backend(), file, tally);
  EXPECT_EQ(tally.total(), json["numberOfTests"].get<int>());
  EXPECT_EQ(tally.mismatches, 0);
}

// Wycheproof MAC tests: the tag may be truncated to tagSize bits; a MAC
// "verifies" when the leading tagSize/8 bytes of the full HMAC equal it.
void RunHmac(const Backend& backend, HashAlgorithm alg, const std::string& file) {
  Json json = LoadVectors(file);
  ASSERT_TRUE(json.is_object());
  Tally tally;
  int truncated_cases = 0;
  for (const Json& group : json["testGroups"]) {
    const size_t tag_size = group["tagSize"].get<size_t>() / 8;
    ASSERT_LE(tag_size, DigestSize(alg));
    for (const Json& test : group["tests"]) {
      const std::string expected = test["result"].get<std::string>();
      const Bytes key = FromHex(test["key"].get<std::string>());
      const Bytes msg = FromHex(test["msg"].get<std::string>());
      const Bytes tag = FromHex(test["tag"].get<std::string>());
      SecretBytes mac = backend.Hmac(alg, key, msg);
      ASSERT_EQ(mac.size(), DigestSize(alg));
      if (tag_size < DigestSize(alg)) ++truncated_cases;
      const bool accepted =
          tag.size() == tag_size && ConstantTimeEqual(mac.view().first(tag_size), tag);
      if (!Record(tally, expected, accepted)) {
        ADD_FAILURE() << backend.name() << " " << file << " " << Describe(test) << ": got "
                      << (accepted ? "accept" : "reject") << ", HMAC "
                      << ToHex(mac.view().first(tag_size));
      }
    }
  }
  Report(backend, file, tally);
  EXPECT_EQ(tally.total(), json["numberOfTests"].get<int>());
  EXPECT_GT(truncated_cases, 0) << "expected some truncated-tag groups in " << file;
  EXPECT_EQ(tally.mismatches, 0);
}

TEST_P(WycheproofTest, HmacSha1) {
  RunHmac(backend(), HashAlgorithm::kSha1, "hmac_sha1_test.json");
}

TEST_P(WycheproofTest, HmacSha256) {
  RunHmac(backend(), HashAlgorithm::kSha256, "hmac_sha256_test.json");
}

}  // namespace
}  // namespace otr::crypto::testing
