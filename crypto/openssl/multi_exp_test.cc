// The masked table look-up of the simultaneous exponentiation
// (multi_exp.h): every index returns exactly its entry, whatever the other
// entries hold. The products themselves are checked against the plain
// computation by tests/crypto:differential_test (ProductsOfTwoPowers,
// ProductsOfTwoPowersUseEveryWindowPair).
#include "crypto/openssl/multi_exp.h"

#include <gtest/gtest.h>

#include <vector>

namespace otr::crypto::openssl {
namespace {

TEST(OpensslMultiExpTest, SelectWordsReturnsExactlyTheIndexedEntry) {
  constexpr size_t kCount = 16, kWidth = 3;
  std::vector<uint64_t> table(kCount * kWidth);
  for (size_t j = 0; j < kCount; ++j) {
    // Distinct, with all bits set somewhere, so an OR of two entries or a
    // neighbouring entry shows.
    table[j * kWidth] = 0x0101010101010101ull * (j + 1);
    table[j * kWidth + 1] = ~uint64_t{0} ^ (uint64_t{1} << j);
    table[j * kWidth + 2] = uint64_t{1} << (63 - j);
  }
  std::vector<uint64_t> out(kWidth, 0xdeadbeef);
  for (size_t index = 0; index < kCount; ++index) {
    SelectWords(table, kCount, index, out);
    for (size_t w = 0; w < kWidth; ++w) {
      EXPECT_EQ(out[w], table[index * kWidth + w]) << "index " << index << " word " << w;
    }
  }
}

TEST(OpensslMultiExpTest, SelectWordsOutOfRangeIndexGivesZero) {
  std::vector<uint64_t> table(4 * 2, ~uint64_t{0});
  std::vector<uint64_t> out(2, 7);
  SelectWords(table, 4, 4, out);
  EXPECT_EQ(out[0], 0u);
  EXPECT_EQ(out[1], 0u);
}

}  // namespace
}  // namespace otr::crypto::openssl
