// DSA signing hands the exponentiation g^k an exponent of one length for
// every nonce k (issue 14, finding 1): a k with leading zero bytes used to
// reach ModExp as its minimal encoding, so libgcrypt's fixed-window loop ran
// two fewer windows per zero byte (about 1 signature in 256) and a peer
// collecting signatures could mount a Minerva-style lattice attack on x.
// The exponent lengths are seen through CountingBackend, on every backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>

#include "crypto/testing/counting_backend.h"
#include "crypto/testing/deterministic_random.h"
#include "tests/crypto/test_util.h"

namespace otr::crypto {
namespace {

constexpr size_t kNonceDrawSize = 28;  // DsaSign draws |q| + 8 bytes

// Returns the scripted byte strings in order, then a seeded stream.
class ScriptedRandom final : public Random {
 public:
  void Push(Bytes bytes) { script_.push_back(std::move(bytes)); }
  void Fill(MutableByteView out) override {
    if (script_.empty()) return fallback_.Fill(out);
    const Bytes next = std::move(script_.front());
    script_.pop_front();
    ASSERT_EQ(next.size(), out.size());
    std::copy(next.begin(), next.end(), out.begin());
  }

 private:
  std::deque<Bytes> script_;
  testing::DeterministicRandom fallback_{14};
};

const DsaPrivateKey& KeyFor(const Backend& backend) {
  static auto* keys = new std::map<const Backend*, DsaPrivateKey>;
  auto it = keys->find(&backend);
  if (it == keys->end()) {
    Result<DsaPrivateKey> key = backend.GenerateDsaKey();
    EXPECT_TRUE(key.ok());
    it = keys->emplace(&backend, std::move(key).value()).first;
  }
  return it->second;
}

// A nonce draw whose value (below q) is `k`, right-aligned.
Bytes Draw(ByteView k) {
  Bytes out(kNonceDrawSize, 0);
  std::copy(k.begin(), k.end(), out.end() - static_cast<std::ptrdiff_t>(k.size()));
  return out;
}

using testing::CountingBackend;

class DsaNonceTest : public testing::BackendTest {};

TEST_P(DsaNonceTest, ExponentLengthIsTheSameForEveryNonce) {
  const DsaPrivateKey& key = KeyFor(backend());
  ASSERT_EQ(key.pub.q.size(), 20u);
  ASSERT_GE(key.pub.q[0], 0x80);  // a 160-bit q
  const Bytes q_minus_1 = testing::AddSmall(key.pub.q, -1);
  const Bytes q_minus_2 = testing::AddSmall(key.pub.q, -2);
  Bytes leading_zeros(20, 0xa5);
  std::fill(leading_zeros.begin(), leading_zeros.begin() + 3, 0);  // k < 2^136
  Bytes one_zero_byte(20, 0x5a);
  one_zero_byte[0] = 0;
  const std::vector<Bytes> nonces = {Bytes{1},      Bytes{2},  Bytes{0x01, 0x00}, leading_zeros,
                                     one_zero_byte, q_minus_1, q_minus_2};

  CountingBackend counting(backend());
  const Bytes message = backend().Hash(HashAlgorithm::kSha256, AsBytes("Minerva"));
  for (const Bytes& k : nonces) {
    ScriptedRandom random;
    random.Push(Draw(k));
    counting.Reset();
    auto signature = counting.DsaSign(key, message, random);
    ASSERT_TRUE(signature.ok()) << testing::ToHex(k);
    EXPECT_TRUE(backend().DsaVerify(key.pub, message, *signature).ok()) << testing::ToHex(k);
    // One exponentiation (g^k), of 161 bits on 21 bytes whatever k is.
    ASSERT_EQ(counting.secret_exponent_sizes(), std::vector<size_t>{21}) << testing::ToHex(k);
    EXPECT_EQ(counting.secret_exponent_top_bytes(), std::vector<uint8_t>{0x01})
        << testing::ToHex(k);
  }
}

TEST_P(DsaNonceTest, RandomNoncesAllHaveTheSameLength) {
  const DsaPrivateKey& key = KeyFor(backend());
  CountingBackend counting(backend());
  testing::DeterministicRandom random(2019);
  const Bytes message = {0x4f, 0x54, 0x52};
  for (int i = 0; i < 64; ++i) {
    auto signature = counting.DsaSign(key, message, random);
    ASSERT_TRUE(signature.ok());
    ASSERT_TRUE(backend().DsaVerify(key.pub, message, *signature).ok());
  }
  const std::vector<size_t> sizes = counting.secret_exponent_sizes();
  const std::vector<uint8_t> tops = counting.secret_exponent_top_bytes();
  ASSERT_EQ(sizes.size(), 64u);
  EXPECT_TRUE(std::all_of(sizes.begin(), sizes.end(), [](size_t s) { return s == 21; }));
  EXPECT_TRUE(std::all_of(tops.begin(), tops.end(), [](uint8_t t) { return t == 0x01; }));
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(DsaNonceTest);

}  // namespace
}  // namespace otr::crypto
