// MacKeysToReveal (protocol/v4/ratchet/mac_keys_to_reveal.h): the newest
// `bound` keys in the order they came, through many drops and compactions.
#include "protocol/v4/ratchet/mac_keys_to_reveal.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace otr::v4::ratchet {
namespace {

crypto::SecretBytes Key(uint32_t n) {
  crypto::SecretBytes key(4);
  for (int i = 0; i < 4; ++i) key[i] = static_cast<uint8_t>(n >> (8 * i));
  return key;
}

uint32_t Number(const crypto::SecretBytes& key) {
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= uint32_t{key[i]} << (8 * i);
  return n;
}

TEST(MacKeysToRevealTest, KeepsTheNewestKeysInOrder) {
  for (size_t bound : {size_t{0}, size_t{1}, size_t{3}, size_t{64}, size_t{4096}}) {
    MacKeysToReveal keys;
    for (uint32_t n = 1; n <= 10000; ++n) {
      keys.Add(Key(n), bound);
      const size_t expected = n < bound ? n : bound;
      ASSERT_EQ(keys.size(), expected) << bound << " " << n;
      if (expected == 0) continue;
      EXPECT_EQ(Number(keys[0]), n - expected + 1);
      EXPECT_EQ(Number(keys[expected - 1]), n);
    }
    std::vector<uint32_t> seen;
    for (const crypto::SecretBytes& key : keys) seen.push_back(Number(key));
    ASSERT_EQ(seen.size(), bound < 10000 ? bound : size_t{10000});
    for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 10000 - seen.size() + 1 + i);
    keys.Clear();
    EXPECT_TRUE(keys.empty());
    keys.Add(Key(7), bound);
    EXPECT_EQ(keys.size(), bound == 0 ? 0u : 1u);
  }
}

}  // namespace
}  // namespace otr::v4::ratchet
