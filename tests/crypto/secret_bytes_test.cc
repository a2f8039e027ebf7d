// SecretBytes: registered while alive, wiped and unregistered when destroyed,
// cleared or moved from; compared in constant time (DESIGN.md principle 5).
#include "crypto/secret_bytes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
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
  // 32 bytes live inside the object (decision 0051): the bytes are copied
  // and the source's buffer wiped; the moved-from object holds nothing.
  EXPECT_NE(target.data(), buffer);
  EXPECT_TRUE(std::all_of(buffer, buffer + pattern.size(), [](uint8_t b) { return b == 0; }));
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

// ---- Sizes either side of SecretBytes::kInlineSize (decision 0051) ----

constexpr size_t kSizes[] = {0, 1, 63, 64, 65, 79, 80, 81, 300};

// `size` recognisable non-zero bytes, distinct per `tag`.
Bytes PatternOfSize(size_t size, uint8_t tag) {
  Bytes out(size);
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(1 + (tag * 37 + i * 11) % 255);
  return out;
}

bool Holds(const SecretBytes& s, const Bytes& pattern) {
  return s.size() == pattern.size() &&
         (pattern.empty() || std::memcmp(s.data(), pattern.data(), pattern.size()) == 0);
}

bool AllZero(const uint8_t* p, size_t size) {
  return std::all_of(p, p + size, [](uint8_t b) { return b == 0; });
}

// Whether the registry holds a buffer at exactly `data` of `size` bytes.
bool RegisteredAt(const uint8_t* data, size_t size) {
  bool found = false;
  ForEachLiveSecret([&](ByteView live) { found |= live.data() == data && live.size() == size; });
  return found;
}

// 0 or 1: a live buffer per non-empty secret.
size_t Buffers(size_t size) { return size == 0 ? 0 : 1; }

class SecretBytesSizeTest : public ::testing::TestWithParam<size_t> {};

INSTANTIATE_TEST_SUITE_P(InlineAndHeap, SecretBytesSizeTest, ::testing::ValuesIn(kSizes),
                         [](const auto& info) { return "Size" + std::to_string(info.param); });

TEST_P(SecretBytesSizeTest, StorageIsInlineUpToTheLimit) {
  const size_t size = GetParam();
  SecretBytes s(PatternOfSize(size, 1));
  if (size == 0) {
    EXPECT_EQ(s.data(), nullptr);
    return;
  }
  const auto object = reinterpret_cast<uintptr_t>(&s);
  const auto data = reinterpret_cast<uintptr_t>(s.data());
  const bool inside = data >= object && data < object + sizeof(s);
  EXPECT_EQ(inside, size <= SecretBytes::kInlineSize);
  EXPECT_TRUE(RegisteredAt(s.data(), size));
}

TEST_P(SecretBytesSizeTest, SizedConstructorIsZeroedAndRegistered) {
  const size_t size = GetParam();
  const size_t before = LiveSecretCount();
  SecretBytes s(size);
  EXPECT_EQ(s.size(), size);
  EXPECT_TRUE(AllZero(s.data(), size));
  EXPECT_EQ(LiveSecretCount(), before + Buffers(size));
}

TEST_P(SecretBytesSizeTest, Copy) {
  const size_t size = GetParam();
  const Bytes pattern = PatternOfSize(size, 2);
  const size_t before = LiveSecretCount();
  {
    SecretBytes original(pattern);
    SecretBytes copy(original);
    EXPECT_EQ(LiveSecretCount(), before + 2 * Buffers(size));
    EXPECT_TRUE(Holds(copy, pattern));
    EXPECT_TRUE(copy == original);
    if (size != 0) {
      EXPECT_NE(copy.data(), original.data());
      EXPECT_EQ(LiveCopiesOf(pattern), 2);
      copy[size - 1] ^= 0xff;
      EXPECT_TRUE(Holds(original, pattern));
      EXPECT_FALSE(copy == original);
    }
  }
  EXPECT_EQ(LiveSecretCount(), before);
  if (size != 0) {
    EXPECT_EQ(LiveCopiesOf(pattern), 0);
  }
}

TEST_P(SecretBytesSizeTest, MoveConstructionWipesAndEmptiesTheSource) {
  const size_t size = GetParam();
  const Bytes pattern = PatternOfSize(size, 3);
  const size_t before = LiveSecretCount();
  SecretBytes source(pattern);
  const uint8_t* old_buffer = source.data();
  SecretBytes target(std::move(source));
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): the moved-from state
  EXPECT_EQ(source.data(), nullptr);
  EXPECT_TRUE(Holds(target, pattern));
  EXPECT_EQ(LiveSecretCount(), before + Buffers(size));
  if (size == 0) return;
  EXPECT_EQ(LiveCopiesOf(pattern), 1);
  EXPECT_TRUE(RegisteredAt(target.data(), size));
  if (size <= SecretBytes::kInlineSize) {
    // The source's inline buffer (still part of a live object) is wiped at
    // once and no longer registered.
    EXPECT_NE(target.data(), old_buffer);
    EXPECT_TRUE(AllZero(old_buffer, size));
    EXPECT_FALSE(RegisteredAt(old_buffer, size));
  } else {
    EXPECT_EQ(target.data(), old_buffer);  // the heap buffer changes owner
  }
}

TEST_P(SecretBytesSizeTest, MoveAssignmentWipesBothOldBuffers) {
  const size_t size = GetParam();
  const Bytes old_pattern = PatternOfSize(size, 4);
  const Bytes new_pattern = PatternOfSize(size, 5);
  const size_t before = LiveSecretCount();
  SecretBytes target(old_pattern);
  SecretBytes source(new_pattern);
  const uint8_t* source_buffer = source.data();
  target = std::move(source);
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(Holds(target, new_pattern));
  EXPECT_EQ(LiveSecretCount(), before + Buffers(size));
  if (size == 0) return;
  EXPECT_EQ(LiveCopiesOf(old_pattern), 0);
  EXPECT_EQ(LiveCopiesOf(new_pattern), 1);
  EXPECT_TRUE(RegisteredAt(target.data(), size));
  if (size <= SecretBytes::kInlineSize) {
    EXPECT_TRUE(AllZero(source_buffer, size));
  }
}

TEST_P(SecretBytesSizeTest, SelfAssignmentKeepsContentsAndRegistration) {
  const size_t size = GetParam();
  const Bytes pattern = PatternOfSize(size, 6);
  SecretBytes s(pattern);
  const size_t before = LiveSecretCount();
  SecretBytes& alias = s;
  s = alias;
  EXPECT_TRUE(Holds(s, pattern));
  s = std::move(alias);
  EXPECT_TRUE(Holds(s, pattern));
  EXPECT_EQ(LiveSecretCount(), before);
  if (size != 0) {
    EXPECT_TRUE(RegisteredAt(s.data(), size));
  }
}

TEST_P(SecretBytesSizeTest, ClearWipesAndUnregisters) {
  const size_t size = GetParam();
  const Bytes pattern = PatternOfSize(size, 7);
  const size_t before = LiveSecretCount();
  SecretBytes s(pattern);
  const uint8_t* buffer = s.data();
  s.Clear();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.data(), nullptr);
  EXPECT_EQ(LiveSecretCount(), before);
  if (size != 0) {
    EXPECT_EQ(LiveCopiesOf(pattern), 0);
  }
  if (size != 0 && size <= SecretBytes::kInlineSize) {
    EXPECT_TRUE(AllZero(buffer, size));
  }
  s.Clear();
  EXPECT_TRUE(s.empty());
}

// Copy and move assignment between every pair of sizes: inline to heap, heap
// to inline, and within each.
TEST(SecretBytesTest, AssignmentAcrossTheInlineBoundary) {
  for (size_t from : kSizes) {
    for (size_t to : kSizes) {
      SCOPED_TRACE(std::to_string(to) + " assigned over by " + std::to_string(from));
      const Bytes old_pattern = PatternOfSize(to, 8);
      const Bytes new_pattern = PatternOfSize(from, 9);
      const size_t before = LiveSecretCount();
      {
        SecretBytes target(old_pattern);
        const SecretBytes source(new_pattern);
        target = source;
        EXPECT_TRUE(Holds(target, new_pattern));
        EXPECT_TRUE(Holds(source, new_pattern));
        EXPECT_EQ(LiveSecretCount(), before + 2 * Buffers(from));
        if (from != 0) {
          EXPECT_TRUE(RegisteredAt(target.data(), from));
        }
        if (to != 0 && from != to) {
          EXPECT_EQ(LiveCopiesOf(old_pattern), 0);
        }
      }
      EXPECT_EQ(LiveSecretCount(), before);
      {
        SecretBytes target(old_pattern);
        SecretBytes source(new_pattern);
        target = std::move(source);
        EXPECT_TRUE(Holds(target, new_pattern));
        EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move)
        EXPECT_EQ(LiveSecretCount(), before + Buffers(from));
        if (from != 0) {
          EXPECT_TRUE(RegisteredAt(target.data(), from));
        }
        if (to != 0 && from != to) {
          EXPECT_EQ(LiveCopiesOf(old_pattern), 0);
        }
      }
      EXPECT_EQ(LiveSecretCount(), before);
    }
  }
}

// Every buffer the registry lets go of is already zero: destroyed, cleared,
// moved from, assigned over (the check the key-erasure tests make).
std::map<size_t, int>* g_released = nullptr;  // size -> count
int g_released_dirty = 0;
void CountReleased(ByteView released) {
  if (g_released == nullptr) return;
  ++(*g_released)[released.size()];
  if (!AllZero(released.data(), released.size())) ++g_released_dirty;
}

TEST(SecretBytesTest, ReleasedBuffersAreZeroWhenTheRegistryLetsGo) {
  std::map<size_t, int> released;
  g_released = &released;
  g_released_dirty = 0;
  SetReleasedSecretHook(CountReleased);
  constexpr size_t kInline = SecretBytes::kInlineSize;
  static_assert(kInline > 65, "64 and 65 are both inline");
  for (size_t size : {size_t{1}, size_t{64}, kInline, kInline + 1, size_t{300}}) {
    { SecretBytes destroyed(PatternOfSize(size, 10)); }
    SecretBytes cleared(PatternOfSize(size, 11));
    cleared.Clear();
    SecretBytes moved(PatternOfSize(size, 12));
    SecretBytes target(std::move(moved));               // inline: `moved`'s buffer released
    target = SecretBytes(PatternOfSize(size + 1, 13));  // target's buffer released
  }
  SetReleasedSecretHook(nullptr);
  g_released = nullptr;
  EXPECT_EQ(g_released_dirty, 0);
  // Per size n: destroyed, cleared, target's n-byte buffer, and for inline
  // sizes the moved-from buffer; the (n+1)-byte one twice if inline (the
  // temporary moved from, then target destroyed), once if on the heap.
  EXPECT_EQ(released[1], 4);
  EXPECT_EQ(released[2], 2);
  EXPECT_EQ(released[64], 4);
  EXPECT_EQ(released[65], 2);
  EXPECT_EQ(released[kInline], 4);
  EXPECT_EQ(released[kInline + 1], 3 + 1);
  EXPECT_EQ(released[kInline + 2], 1);
  EXPECT_EQ(released[300], 3);
  EXPECT_EQ(released[301], 1);
}

TEST(SecretBytesTest, GrowingVectorOfMixedSizesKeepsOneRegistrationEach) {
  const size_t before = LiveSecretCount();
  {
    std::vector<SecretBytes> secrets;
    for (int i = 0; i < 60; ++i) {
      secrets.emplace_back(PatternOfSize(kSizes[1 + i % 5], static_cast<uint8_t>(20 + i)));
    }
    EXPECT_EQ(LiveSecretCount(), before + 60);
    for (int i = 0; i < 60; ++i) {
      EXPECT_TRUE(RegisteredAt(secrets[i].data(), secrets[i].size())) << i;
      EXPECT_TRUE(
          Holds(secrets[i], PatternOfSize(kSizes[1 + i % 5], static_cast<uint8_t>(20 + i))));
    }
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
