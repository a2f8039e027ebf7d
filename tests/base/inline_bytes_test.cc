// InlineBytes (base/inline_bytes.h): holds up to N bytes, copies what it
// holds, compares by contents, refuses (aborts) what does not fit.
#include "base/inline_bytes.h"

#include <gtest/gtest.h>

namespace otr {
namespace {

using Small = InlineBytes<4>;

TEST(InlineBytesTest, EmptyByDefault) {
  const Small s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.size(), 0u);
  EXPECT_TRUE(s.view().empty());
  EXPECT_EQ(s, Small());
  EXPECT_TRUE(Small().ToBytes().empty());
}

TEST(InlineBytesTest, HoldsWhatItIsGiven) {
  const Bytes b{1, 2, 3};
  const Small s(b);
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(s.ToBytes(), b);
  EXPECT_EQ(Bytes(s.begin(), s.end()), b);
  EXPECT_EQ(s, ByteView(b));
  const Small full(Bytes{9, 8, 7, 6});
  EXPECT_EQ(full.size(), Small::kCapacity);
}

TEST(InlineBytesTest, CopiesAreEqualAndIndependent) {
  Small a(Bytes{1, 2});
  const Small b = a;
  EXPECT_EQ(a, b);
  a = Small(Bytes{3});
  EXPECT_EQ(b.ToBytes(), (Bytes{1, 2}));
  EXPECT_EQ(a.ToBytes(), Bytes{3});
  const Small& same = a;
  a = same;  // self-assignment keeps the value
  EXPECT_EQ(a.ToBytes(), Bytes{3});
}

TEST(InlineBytesTest, ComparesContentsAndLength) {
  EXPECT_FALSE(Small(Bytes{1, 2}) == Small(Bytes{1, 3}));
  EXPECT_FALSE(Small(Bytes{1, 2}) == Small(Bytes{1, 2, 0}));
  EXPECT_FALSE(Small(Bytes{0}) == Small());
  EXPECT_TRUE(Small(Bytes{0}) == ByteView(Bytes{0}));
}

TEST(InlineBytesTest, FitsTellsWhatItCanHold) {
  EXPECT_TRUE(Small::Fits(Bytes(4)));
  EXPECT_FALSE(Small::Fits(Bytes(5)));
}

TEST(InlineBytesDeathTest, TooLongAborts) { EXPECT_DEATH(Small(Bytes(5)), ""); }

}  // namespace
}  // namespace otr
