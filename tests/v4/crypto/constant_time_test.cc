// The structure of RSig does not depend on which key of the ring is the
// signer's (otrv4.md, Appendix "Ring Signature Authentication": "constant-time
// conditional operations should be used"): with the same random values and
// message, signing as A1, A2 or A3 makes the same sequence of backend calls
// with arguments of the same sizes. Which T_i, c_i and r_i are kept is
// chosen with masks (ct_select.h), which this test cannot see; a branch on
// the index that skipped or reordered any call would show here.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "crypto/testing/deterministic_random.h"
#include "crypto/testing/forwarding_backend.h"
#include "protocol/v4/crypto/ct_select.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "tests/crypto/test_util.h"

namespace otr::v4 {
namespace {

using crypto::Ed448Encoding;
using crypto::Ed448Point;
using crypto::SecretBytes;
using crypto::testing::BackendTest;
using crypto::testing::DeterministicRandom;

// Records the name and argument sizes of every Ed448 and SHAKE call.
class RecordingBackend final : public crypto::testing::ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;

  std::vector<std::string> calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    calls_.clear();
  }

  std::unique_ptr<crypto::XofContext> NewShake256() const override {
    Record("NewShake256");
    return ForwardingBackend::NewShake256();
  }
  Result<Ed448Point> Ed448Decode(ByteView encoded) const override {
    Record("Ed448Decode/" + std::to_string(encoded.size()));
    return ForwardingBackend::Ed448Decode(encoded);
  }
  Ed448Point Ed448Base() const override {
    Record("Ed448Base");
    return ForwardingBackend::Ed448Base();
  }
  Ed448Point Ed448Identity() const override {
    Record("Ed448Identity");
    return ForwardingBackend::Ed448Identity();
  }
  Ed448Point Ed448Add(const Ed448Point& a, const Ed448Point& b) const override {
    Record("Ed448Add");
    return ForwardingBackend::Ed448Add(a, b);
  }
  Ed448Point Ed448Sub(const Ed448Point& a, const Ed448Point& b) const override {
    Record("Ed448Sub");
    return ForwardingBackend::Ed448Sub(a, b);
  }
  Ed448Point Ed448Negate(const Ed448Point& a) const override {
    Record("Ed448Negate");
    return ForwardingBackend::Ed448Negate(a);
  }
  Ed448Point Ed448Mul(const Ed448Point& point, const SecretBytes& scalar) const override {
    Record("Ed448Mul/" + std::to_string(scalar.size()));
    return ForwardingBackend::Ed448Mul(point, scalar);
  }
  Ed448Point Ed448MulBase(const SecretBytes& scalar) const override {
    Record("Ed448MulBase/" + std::to_string(scalar.size()));
    return ForwardingBackend::Ed448MulBase(scalar);
  }
  Ed448Point Ed448MulAdd(const Ed448Point& p, const SecretBytes& a, const Ed448Point& q,
                         const SecretBytes& b) const override {
    Record("Ed448MulAdd/" + std::to_string(a.size()) + "/" + std::to_string(b.size()));
    return ForwardingBackend::Ed448MulAdd(p, a, q, b);
  }
  Ed448Point Ed448MulBaseAddPublic(ByteView a, ByteView b, const Ed448Point& p) const override {
    Record("Ed448MulBaseAddPublic/" + std::to_string(a.size()) + "/" + std::to_string(b.size()));
    return ForwardingBackend::Ed448MulBaseAddPublic(a, b, p);
  }
  Ed448Encoding Ed448Encode(const Ed448Point& point) const override {
    Record("Ed448Encode");
    return ForwardingBackend::Ed448Encode(point);
  }
  Result<SecretBytes> Ed448ScalarDecode(ByteView encoded) const override {
    Record("Ed448ScalarDecode/" + std::to_string(encoded.size()));
    return ForwardingBackend::Ed448ScalarDecode(encoded);
  }
  SecretBytes Ed448ScalarReduce(ByteView little_endian) const override {
    Record("Ed448ScalarReduce/" + std::to_string(little_endian.size()));
    return ForwardingBackend::Ed448ScalarReduce(little_endian);
  }
  SecretBytes Ed448ScalarAdd(const SecretBytes& a, const SecretBytes& b) const override {
    Record("Ed448ScalarAdd/" + std::to_string(a.size()) + "/" + std::to_string(b.size()));
    return ForwardingBackend::Ed448ScalarAdd(a, b);
  }
  SecretBytes Ed448ScalarSub(const SecretBytes& a, const SecretBytes& b) const override {
    Record("Ed448ScalarSub/" + std::to_string(a.size()) + "/" + std::to_string(b.size()));
    return ForwardingBackend::Ed448ScalarSub(a, b);
  }
  SecretBytes Ed448ScalarMul(const SecretBytes& a, const SecretBytes& b) const override {
    Record("Ed448ScalarMul/" + std::to_string(a.size()) + "/" + std::to_string(b.size()));
    return ForwardingBackend::Ed448ScalarMul(a, b);
  }

 private:
  void Record(std::string call) const {
    std::lock_guard<std::mutex> lock(mutex_);
    calls_.push_back(std::move(call));
  }
  mutable std::mutex mutex_;
  mutable std::vector<std::string> calls_;
};

class ConstantTimeTest : public BackendTest {};

TEST_P(ConstantTimeTest, RSigMakesTheSameCallsWhicheverKeySigns) {
  DeterministicRandom random(uint64_t{3});
  std::array<SecretBytes, 3> secrets;
  std::vector<Ed448Point> points;
  for (int i = 0; i < 3; ++i) {
    Result<EcdhKeyPair> pair = GenerateEcdh(backend(), random);
    ASSERT_TRUE(pair.ok());
    secrets[i] = pair->secret();
    points.push_back(pair->pub());
  }
  const Ring ring = {points[0], points[1], points[2]};
  Result<RingNonces> nonces = DrawRingNonces(backend(), random);
  ASSERT_TRUE(nonces.ok());
  const Bytes m = ToBytes("message");

  RecordingBackend recording(backend());
  std::vector<std::vector<std::string>> logs;
  for (int signer = 0; signer < 3; ++signer) {
    recording.Reset();
    Result<RingSigma> sigma = RSigWithNonces(recording, secrets[signer], ring, m, *nonces);
    ASSERT_TRUE(sigma.ok());
    logs.push_back(recording.calls());
    EXPECT_TRUE(RVrf(backend(), ring, *sigma, m).ok());
  }
  ASSERT_FALSE(logs[0].empty());
  EXPECT_EQ(logs[0], logs[1]);
  EXPECT_EQ(logs[0], logs[2]);
  // Every branch is computed: 1 (P) + 3 (G * t_i) base multiplications and
  // 3 constant-time double multiplications (G * r_i + A_i * c_i); nothing
  // variable time.
  size_t mul_base = 0, mul = 0, mul_add = 0, public_ops = 0;
  for (const std::string& call : logs[0]) {
    mul_base += call.rfind("Ed448MulBase/", 0) == 0;
    mul += call.rfind("Ed448Mul/", 0) == 0;
    mul_add += call.rfind("Ed448MulAdd/", 0) == 0;
    public_ops += call.find("Public") != std::string::npos;
  }
  EXPECT_EQ(mul_base, 4u);
  EXPECT_EQ(mul, 0u);
  EXPECT_EQ(mul_add, 3u);
  EXPECT_EQ(public_ops, 0u);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(ConstantTimeTest);

TEST(CtSelectTest, EqualMaskAndSelect) {
  const Bytes a = {1, 2, 3}, b = {1, 2, 3}, c = {1, 2, 4}, d = {1, 2};
  EXPECT_EQ(ct::EqualMask(a, b), 0xff);
  EXPECT_EQ(ct::EqualMask(a, c), 0x00);
  EXPECT_EQ(ct::EqualMask(a, d), 0x00);
  EXPECT_EQ(ct::EqualMask(Bytes{}, Bytes{}), 0xff);
  for (int diff = 1; diff < 256; ++diff) {  // every single-byte difference
    EXPECT_EQ(ct::EqualMask(Bytes{0}, Bytes{static_cast<uint8_t>(diff)}), 0x00) << diff;
  }
  Bytes out(3);
  ct::Select(0xff, a, c, out);
  EXPECT_EQ(out, a);
  ct::Select(0x00, a, c, out);
  EXPECT_EQ(out, c);
}

}  // namespace
}  // namespace otr::v4
