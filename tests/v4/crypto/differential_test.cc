// Both backends give bit-identical results for every OTRv4 construct
// (rapidcheck over random inputs): KDF/HWC/HCMAC and the prekey server's
// KDF, HashToScalar, key generation (ECDH, long-term, DH), the DH group
// check and k_dh, fingerprints, and RSig with the same random values, whose
// signatures every backend verifies. RC_PARAMS="max_success=N" runs more
// cases; a failure prints the seed to replay it with RC_PARAMS="seed=N".
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

#include "crypto/backend.h"
#include "crypto/backends.h"
#include "crypto/secret_bytes.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/hash_to_scalar.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "tests/crypto/test_util.h"

namespace otr::v4 {
namespace {

using crypto::Backend;
using crypto::SecretBytes;
using crypto::testing::CodeName;
using crypto::testing::DeterministicRandom;
using crypto::testing::ToHex;

// Runs `property` for `cases` cases unless RC_PARAMS sets max_success, and
// reports a counterexample as a gtest failure with its seed.
template <typename Property>
void CheckProperty(int cases, Property&& property) {
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  const char* env = std::getenv("RC_PARAMS");
  if (env == nullptr || std::strstr(env, "max_success") == nullptr) params.maxSuccess = cases;
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  rc::detail::TestMetadata metadata;
  metadata.id = std::string(info->test_suite_name()) + "/" + info->name();
  metadata.description = info->name();
  const rc::detail::TestResult result =
      rc::detail::checkTestable(std::forward<Property>(property), metadata, params);
  if (result.template is<rc::detail::SuccessResult>()) return;
  std::ostringstream message;
  rc::detail::printResultMessage(result, message);
  ADD_FAILURE() << message.str() << "\n(replay with RC_PARAMS=\"seed=" << params.seed << "\")";
}

// Random bytes from a generated seed (cheap for long strings).
Bytes RandomBytes(size_t size) {
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  Bytes out(size);
  DeterministicRandom(seed).Fill(out);
  return out;
}

size_t Size(size_t min, size_t max) {
  return *rc::gen::resize(100, rc::gen::inRange<size_t>(min, max + 1));
}

// Evaluates `op` on every backend; fails unless all give the first's result.
template <typename Op>
std::string AllAgree(const char* what, Op&& op) {
  std::string reference;
  bool first = true;
  for (const Backend* backend : crypto::AllBackends()) {
    std::string outcome = op(*backend);
    if (first) {
      reference = std::move(outcome);
      first = false;
    } else if (outcome != reference) {
      RC_FAIL(std::string(what) + ": " + std::string(backend->name()) + " gave " + outcome +
              " but the first backend gave " + reference);
    }
  }
  return reference;
}

std::string Show(const SecretBytes& s) { return ToHex(s.view()); }
std::string Show(const Status& s) { return s.ok() ? "ok" : CodeName(s.code()); }
template <typename T, typename F>
std::string Show(const Result<T>& r, F&& show) {
  return r.ok() ? show(*r) : CodeName(r.code());
}

TEST(V4DifferentialTest, KdfHwcHcmacAndPrekeyKdf) {
  CheckProperty(200, [] {
    const auto usage = static_cast<Usage>(Size(0, 0x1a));
    const auto prekey_usage = static_cast<PrekeyUsage>(Size(0, 0x17));
    const Bytes a = RandomBytes(Size(0, 300));
    const Bytes b = RandomBytes(Size(0, 300));
    const size_t size = Size(0, 200);
    AllAgree("Kdf", [&](const Backend& be) { return Show(Kdf(be, usage, {a, b}, size)); });
    AllAgree("Hwc", [&](const Backend& be) { return ToHex(Hwc(be, usage, {a, b}, size)); });
    AllAgree("Hcmac", [&](const Backend& be) { return Show(Hcmac(be, usage, {a, b}, size)); });
    AllAgree("PrekeyKdf", [&](const Backend& be) {
      return Show(PrekeyKdf(be, prekey_usage, {a, b}, size));
    });
  });
}

TEST(V4DifferentialTest, HashToScalar) {
  CheckProperty(200, [] {
    const auto usage = static_cast<Usage>(Size(0, 0x1a));
    const Bytes d = RandomBytes(Size(0, 300));
    const std::string s = AllAgree(
        "HashToScalar", [&](const Backend& be) { return Show(HashToScalar(be, usage, {d})); });
    RC_ASSERT(s.size() == 114u);
  });
}

TEST(V4DifferentialTest, EcdhAndLongTermKeyGeneration) {
  CheckProperty(50, [] {
    const SecretBytes r(RandomBytes(kEcdhRandomSize));
    AllAgree("GenerateEcdhFromRandom", [&](const Backend& be) {
      return Show(GenerateEcdhFromRandom(be, r), [&](const EcdhKeyPair& p) {
        return Show(p.secret()) + "/" + ToHex(be.Ed448Encode(p.pub()));
      });
    });
    AllAgree("DeriveEd448KeyPair", [&](const Backend& be) {
      return Show(DeriveEd448KeyPair(be, r), [&](const Ed448KeyPair& p) {
        return Show(p.secret) + "/" + ToHex(be.Ed448Encode(p.pub));
      });
    });
    AllAgree("ForgingPointFromRandom", [&](const Backend& be) {
      return Show(ForgingPointFromRandom(be, r.view()),
                  [&](const crypto::Ed448Point& p) { return ToHex(be.Ed448Encode(p)); });
    });
  });
}

TEST(V4DifferentialTest, DhKeyGenerationAndGroupCheck) {
  CheckProperty(10, [] {
    const SecretBytes r(RandomBytes(kDhRandomSize));
    const std::string pub = AllAgree("GenerateDhFromRandom", [&](const Backend& be) {
      return Show(GenerateDhFromRandom(be, r),
                  [](const crypto::DhKeyPair& p) { return ToHex(p.pub); });
    });
    // A random 384-byte value: in range almost always, a square half the time.
    const Bytes x = RandomBytes(384);
    AllAgree("CheckDhGroupElement",
             [&](const Backend& be) { return Show(CheckDhGroupElement(be, x)); });
    AllAgree("DhSharedSecret", [&](const Backend& be) {
      return Show(DhSharedSecret(be, r, x), [](const SecretBytes& k) { return Show(k); });
    });
  });
}

TEST(V4DifferentialTest, FingerprintsAndRingSignatures) {
  CheckProperty(20, [] {
    const Backend& first = *crypto::AllBackends().front();
    DeterministicRandom random(*rc::gen::arbitrary<uint64_t>());
    std::array<SecretBytes, 3> secrets;
    RingEncodings keys{};
    for (int i = 0; i < 3; ++i) {
      Result<EcdhKeyPair> pair = GenerateEcdh(first, random);
      RC_ASSERT(pair.ok());
      secrets[i] = pair->secret();
      keys[i] = first.Ed448Encode(pair->pub());
    }
    Result<RingNonces> nonces = DrawRingNonces(first, random);
    RC_ASSERT(nonces.ok());
    const size_t signer = Size(0, 2);
    const Bytes m = RandomBytes(Size(0, 200));
    const bool prekey_domain = *rc::gen::arbitrary<bool>();
    const RingDomain& domain = prekey_domain ? kPrekeyServerRing : kOtrv4Ring;
    AllAgree("ComputeFingerprint", [&](const Backend& be) {
      return ToHex(ComputeFingerprint(be, *be.Ed448Decode(keys[0]), *be.Ed448Decode(keys[1])));
    });
    RingSigma sigma;
    AllAgree("RSigWithNonces", [&](const Backend& be) {
      const Ring ring = {*be.Ed448Decode(keys[0]), *be.Ed448Decode(keys[1]),
                         *be.Ed448Decode(keys[2])};
      Result<RingSigma> s = RSigWithNonces(be, secrets[signer], ring, m, *nonces, domain);
      if (!s.ok()) return CodeName(s.code());
      sigma = *s;
      return ToHex(s->c1) + ToHex(s->r1) + ToHex(s->c2) + ToHex(s->r2) + ToHex(s->c3) +
             ToHex(s->r3);
    });
    // Every backend verifies it, and rejects it for another message.
    Bytes other = m;
    other.push_back(0);
    AllAgree("RVrf", [&](const Backend& be) {
      return Show(RVrf(be, keys, sigma, m, domain)) + "/" +
             Show(RVrf(be, keys, sigma, other, domain));
    });
    RC_ASSERT(RVrf(first, keys, sigma, m, domain).ok());
  });
}

}  // namespace
}  // namespace otr::v4
