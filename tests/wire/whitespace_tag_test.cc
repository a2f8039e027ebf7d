#include "protocol/wire/whitespace_tag.h"

#include <gtest/gtest.h>

#include <string>

namespace otr::wire {
namespace {

const std::string kBase(kWhitespaceTagBase);
const std::string kV1(kWhitespaceTagV1);
const std::string kV2(kWhitespaceTagV2);
const std::string kV3(kWhitespaceTagV3);

TEST(WhitespaceTagTest, ConstantsAreTheSpecBytes) {
  // v1 spec: "the bit pattern of the string 'OTR' as expressed in spaces and
  // tabs" -- with v1's version tag appended.
  EXPECT_EQ(kBase.size(), 16u);
  EXPECT_EQ(kBase + kV1,
            "\x20\x09\x20\x20\x09\x09\x09\x09\x20\x09\x20\x09\x20\x09\x20\x20"
            "\x20\x09\x20\x09\x20\x20\x09\x20");
  EXPECT_EQ(kV2, "\x20\x20\x09\x09\x20\x20\x09\x20");
  EXPECT_EQ(kV3, "\x20\x20\x09\x09\x20\x20\x09\x09");
}

// v4 spec "Whitespace Tags": 20 20 09 09 20 09 20 20 for version 4.
TEST(WhitespaceTagTest, VersionFourTag) {
  const std::string v4(kWhitespaceTagV4);
  EXPECT_EQ(v4, "\x20\x20\x09\x09\x20\x09\x20\x20");
  EXPECT_EQ(WhitespaceVersionTag(4), kWhitespaceTagV4);
  EXPECT_TRUE(WhitespaceVersionTag(5).empty());
  // Advertised when asked, after v3.
  EXPECT_EQ(WhitespaceTag({4, 3}), kBase + kV3 + v4);
  auto m = DecodeTaggedPlaintext("hi" + kBase + kV3 + v4);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->versions, (VersionSet{3, 4}));
  EXPECT_EQ(m->versions.Supported(), VersionSet{3});
  EXPECT_EQ(m->text, "hi");
  auto only4 = DecodeTaggedPlaintext(kBase + v4 + "x");
  ASSERT_TRUE(only4.has_value());
  EXPECT_EQ(only4->versions, VersionSet{4});
  EXPECT_EQ(only4->text, "x");
}

TEST(WhitespaceTagTest, TagPutsV1First) {
  EXPECT_EQ(WhitespaceTag({3, 1, 2}), kBase + kV1 + kV2 + kV3);
  EXPECT_EQ(WhitespaceTag({}), kBase);
}

TEST(WhitespaceTagTest, DecodesAnywhereAndRemovesTheTag) {
  auto m = DecodeTaggedPlaintext("hello" + kBase + kV3 + kV2 + " world");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->versions, (VersionSet{2, 3}));
  EXPECT_EQ(m->text, "hello world");
  auto front = DecodeTaggedPlaintext(kBase + kV1 + "hi");
  ASSERT_TRUE(front.has_value());
  EXPECT_EQ(front->versions, VersionSet{1});
  EXPECT_EQ(front->text, "hi");
}

TEST(WhitespaceTagTest, SkipsUnknownGroups) {
  auto m = DecodeTaggedPlaintext(kBase + "\t\t\t\t\t\t\t\t" + kV3 + "x");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->versions, VersionSet{3});
  EXPECT_EQ(m->text, "x");
}

TEST(WhitespaceTagTest, StopsAtAShortOrNonWhiteGroup) {
  // Seven spaces are not a version tag: they stay in the text.
  auto m = DecodeTaggedPlaintext(kBase + kV2 + "       ");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->versions, VersionSet{2});
  EXPECT_EQ(m->text, "       ");
  auto n = DecodeTaggedPlaintext(kBase + "  \t\t  \tx" + kV2);
  ASSERT_TRUE(n.has_value());
  EXPECT_TRUE(n->versions.empty());
  EXPECT_EQ(n->text, "  \t\t  \tx" + kV2);
}

TEST(WhitespaceTagTest, BaseTagAloneOffersNothing) {
  auto m = DecodeTaggedPlaintext("a" + kBase + "b");
  ASSERT_TRUE(m.has_value());
  EXPECT_TRUE(m->versions.empty());
  EXPECT_EQ(m->text, "ab");
}

TEST(WhitespaceTagTest, NoTag) {
  EXPECT_FALSE(DecodeTaggedPlaintext("").has_value());
  EXPECT_FALSE(DecodeTaggedPlaintext("plain text").has_value());
  EXPECT_FALSE(DecodeTaggedPlaintext(kBase.substr(0, 15)).has_value());
}

TEST(WhitespaceTagTest, Encodes) {
  auto encoded = EncodeTaggedPlaintext({{2, 3}, "hi"});
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(*encoded, "hi" + kBase + kV2 + kV3);
}

TEST(WhitespaceTagTest, RefusesTextThatAlreadyHoldsATag) {
  EXPECT_EQ(EncodeTaggedPlaintext({{2}, "a" + kBase}).code(), ErrorCode::kInvalidEncoding);
}

}  // namespace
}  // namespace otr::wire
