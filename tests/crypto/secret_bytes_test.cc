// SecretBytes: registered while alive, wiped and unregistered when destroyed,
// cleared or moved from; compared in constant time (DESIGN.md principle 5).
#include "crypto/secret_bytes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "crypto/secret_registry.h"

namespace otr::crypto {
namespace {

// A recognisable 32-byte pattern, distinct per `tag`.
Bytes Pattern(uint8_t tag) {
  Bytes out(32);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(0xa5 ^ (tag * 31 + i));
  return out;
}

// How many live secret buffers hold exactly `pattern`.
int LiveCopiesOf(const Bytes& pattern) {
  int count = 0;
  ForEachLiveSecret([&](ByteView live) {
    if (std::equal(live.begin(), live.end(), pattern.begin(), pattern.end())) ++count;
  });
  return count;
}

TEST(SecretBytesTest, RegisteredWhileAliveAndGoneAfterDestruction) {
  const Bytes pattern = Pattern(1);
  const size_t before = LiveSecretCount();
  {
    SecretBytes secret(pattern);
    EXPECT_EQ(LiveSecretCount(), before + 1);
    EXPECT_EQ(LiveCopiesOf(pattern), 1);
    EXPECT_EQ(secret.size(), pattern.size());
    EXPECT_TRUE(std::equal(pattern.begin(), pattern.end(), secret.data()));
  }
  EXPECT_EQ(LiveSecretCount(), before);
  EXPECT_EQ(LiveCopiesOf(pattern), 0);
}

TEST(SecretBytesTest, EmptySecretsAreNotRegistered) {
  const size_t before = LiveSecretCount();
  SecretBytes empty;
  SecretBytes zero_size(size_t{0});
  SecretBytes from_empty_view{ByteView()};
  EXPECT_EQ(LiveSecretCount(), before);
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(zero_size.size(), 0u);
  EXPECT_EQ(from_empty_view.data(), nullptr);
}

TEST(SecretBytesTest, SizedConstructorIsZeroed) {
  SecretBytes s(size_t{48});
  EXPECT_EQ(s.size(), 48u);
  EXPECT_TRUE(std::all_of(s.data(), s.data() + s.size(), [](uint8_t b) { return b == 0; }));
}

TEST(SecretBytesTest, MoveConstructionLeavesNothingBehind) {
  const Bytes pattern = Pattern(2);
  const size_t before = LiveSecretCount();
  SecretBytes source(pattern);
  const uint8_t* buffer = source.data();
  SecretBytes target(std::move(source));
  // The buffer changes owner; the moved-from object holds nothing.
  EXPECT_EQ(target.data(), buffer);
  EXPECT_EQ(source.size(), 0u);  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(source.data(), nullptr);
  EXPECT_TRUE(source.empty());
  EXPECT_EQ(LiveSecretCount(), before + 1);
  EXPECT_EQ(LiveCopiesOf(pattern), 1);
}

TEST(SecretBytesTest, MoveAssignmentWipesTheOverwrittenSecret) {
  const Bytes old_pattern = Pattern(3);
  const Bytes new_pattern = Pattern(4);
  const size_t before = LiveSecretCount();
  SecretBytes target(old_pattern);
  SecretBytes source(new_pattern);
  EXPECT_EQ(LiveSecretCount(), before + 2);
  target = std::move(source);
  EXPECT_EQ(LiveSecretCount(), before + 1);
  EXPECT_EQ(LiveCopiesOf(old_pattern), 0);
  EXPECT_EQ(LiveCopiesOf(new_pattern), 1);
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(std::equal(new_pattern.begin(), new_pattern.end(), target.data()));
}

TEST(SecretBytesTest, CopiesAreIndependentBuffers) {
  const Bytes pattern = Pattern(5);
  const size_t before = LiveSecretCount();
  SecretBytes original(pattern);
  SecretBytes copy(original);
  EXPECT_EQ(LiveSecretCount(), before + 2);
  EXPECT_NE(copy.data(), original.data());
  EXPECT_TRUE(copy == original);
  copy[0] ^= 0xff;
  EXPECT_FALSE(copy == original);
  EXPECT_EQ(original[0], pattern[0]);
}

TEST(SecretBytesTest, CopyAssignmentReleasesTheOldBuffer) {
  const Bytes old_pattern = Pattern(6);
  const Bytes new_pattern = Pattern(7);
  const size_t before = LiveSecretCount();
  SecretBytes target(old_pattern);
  SecretBytes source(new_pattern);
  target = source;
  EXPECT_EQ(LiveSecretCount(), before + 2);
  EXPECT_EQ(LiveCopiesOf(old_pattern), 0);
  EXPECT_EQ(LiveCopiesOf(new_pattern), 2);
  EXPECT_TRUE(target == source);
}

TEST(SecretBytesTest, SelfAssignmentKeepsContents) {
  const Bytes pattern = Pattern(8);
  SecretBytes s(pattern);
  const size_t before = LiveSecretCount();
  SecretBytes& alias = s;
  s = alias;
  EXPECT_EQ(s.size(), pattern.size());
  EXPECT_TRUE(std::equal(pattern.begin(), pattern.end(), s.data()));
  s = std::move(alias);
  EXPECT_EQ(s.size(), pattern.size());
  EXPECT_TRUE(std::equal(pattern.begin(), pattern.end(), s.data()));
  EXPECT_EQ(LiveSecretCount(), before);
}

TEST(SecretBytesTest, ClearWipesAndReleases) {
  const Bytes pattern = Pattern(9);
  const size_t before = LiveSecretCount();
  SecretBytes s(pattern);
  s.Clear();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.data(), nullptr);
  EXPECT_EQ(LiveSecretCount(), before);
  EXPECT_EQ(LiveCopiesOf(pattern), 0);
  s.Clear();  // clearing twice is harmless
  EXPECT_TRUE(s.empty());
}

TEST(SecretBytesTest, DeclassifyCopiesOut) {
  const Bytes pattern = Pattern(10);
  SecretBytes s(pattern);
  Bytes out = s.Declassify();
  EXPECT_EQ(out, pattern);
  EXPECT_NE(out.data(), s.data());
  EXPECT_TRUE(SecretBytes().Declassify().empty());
}

TEST(SecretBytesTest, ManySecretsAllAccountedFor) {
  const size_t before = LiveSecretCount();
  {
    std::vector<SecretBytes> secrets;
    for (int i = 0; i < 100; ++i) secrets.emplace_back(Pattern(static_cast<uint8_t>(100 + i)));
    EXPECT_EQ(LiveSecretCount(), before + 100);  // vector growth moved them: no duplicates
  }
  EXPECT_EQ(LiveSecretCount(), before);
}

TEST(ConstantTimeEqualTest, Semantics) {
  const Bytes a = Pattern(11);
  Bytes b = a;
  EXPECT_TRUE(ConstantTimeEqual(a, b));
  EXPECT_TRUE(ConstantTimeEqual({}, {}));
  EXPECT_FALSE(ConstantTimeEqual(a, {}));
  EXPECT_FALSE(ConstantTimeEqual({}, a));
  // A strict prefix is not equal.
  EXPECT_FALSE(ConstantTimeEqual(ByteView(a).first(31), a));
  // One bit different at the start, in the middle, at the end.
  for (size_t i : {size_t{0}, size_t{15}, size_t{31}}) {
    b = a;
    b[i] ^= 0x01;
    EXPECT_FALSE(ConstantTimeEqual(a, b)) << i;
    b[i] ^= 0x81;
    EXPECT_FALSE(ConstantTimeEqual(a, b)) << i;
  }
  // Every length up to 41 (whole eight-byte words and a tail), each bit
  // position different.
  for (size_t size = 1; size <= 41; ++size) {
    Bytes x(size);
    for (size_t i = 0; i < size; ++i) x[i] = static_cast<uint8_t>(0x5a ^ (size * 7 + i));
    const ByteView xs = x;
    for (size_t i = 0; i < size; ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        Bytes y(xs.begin(), xs.end());
        y[i] ^= static_cast<uint8_t>(1 << bit);
        EXPECT_FALSE(ConstantTimeEqual(xs, y)) << size << " " << i << " " << bit;
      }
    }
    EXPECT_TRUE(ConstantTimeEqual(xs, Bytes(xs.begin(), xs.end()))) << size;
  }
  // SecretBytes equality uses it.
  EXPECT_TRUE(SecretBytes(a) == SecretBytes(a));
  EXPECT_FALSE(SecretBytes(a) == SecretBytes(ByteView(a).first(16)));
  EXPECT_TRUE(SecretBytes() == SecretBytes());
}

TEST(SecureWipeTest, ZeroesTheBuffer) {
  Bytes buffer = Pattern(12);
  SecureWipe(buffer.data(), buffer.size());
  EXPECT_TRUE(std::all_of(buffer.begin(), buffer.end(), [](uint8_t b) { return b == 0; }));
  SecureWipe(nullptr, 0);  // no-op
}

}  // namespace
}  // namespace otr::crypto
