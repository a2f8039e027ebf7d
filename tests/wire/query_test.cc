#include "protocol/wire/query.h"

#include <gtest/gtest.h>

namespace otr::wire {
namespace {

struct Case {
  const char* text;
  VersionSet versions;
  const char* rest;
};

// The examples of the v3 spec, "OTR Query Messages", plus libotr's forms;
// version 4 is recognised (v4 spec "Query Messages").
TEST(QueryTest, DecodesTheSpecExamples) {
  const Case cases[] = {
      {"?OTR?", {1}, ""},
      {"?OTRv2?", {2}, ""},
      {"?OTRv23?", {2, 3}, ""},
      {"?OTR?v2?", {1, 2}, ""},
      {"?OTRv24x?", {2, 4}, ""},
      {"?OTR?v24x?", {1, 2, 4}, ""},
      {"?OTR?v?", {1}, ""},
      {"?OTRv?", {}, ""},
      {"?OTR?v23?", {1, 2, 3}, ""},
      {"?OTRv32?", {2, 3}, ""},
      {"?OTRv3?", {3}, ""},
      {"?OTRv4?", {4}, ""},
      {"?OTRv23?\n<b>alice</b> has requested", {2, 3}, "\n<b>alice</b> has requested"},
      {"?OTR?\nYour client does not support OTR", {1}, "\nYour client does not support OTR"},
      {"?OTR?very well", {1}, "very well"},  // 'v' without '?': explanation text
      {"?OTR?v2? ok?", {1, 2}, " ok?"},
      // The v4 spec's examples.
      {"?OTRv34?", {3, 4}, ""},
      {"?OTRv45x?", {4}, ""},
      {"?OTRv43?", {3, 4}, ""},  // "The order of the identifiers ... does not matter"
  };
  for (const Case& c : cases) {
    auto query = DecodeQuery(c.text);
    ASSERT_TRUE(query.ok()) << c.text;
    EXPECT_EQ(query->versions, c.versions) << c.text;
    EXPECT_EQ(query->text, c.rest) << c.text;
  }
}

TEST(QueryTest, ErrorPaths) {
  EXPECT_EQ(DecodeQuery("").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeQuery("OTR?").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeQuery("?OTR").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeQuery("?OTRx?").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeQuery("?OTR:AAMC.").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeQuery("?OTRv23").code(), ErrorCode::kInvalidEncoding);  // unclosed list
}

TEST(QueryTest, Encodes) {
  EXPECT_EQ(EncodeQuery({{1}, ""}), "?OTR?");
  EXPECT_EQ(EncodeQuery({{2}, ""}), "?OTRv2?");
  EXPECT_EQ(EncodeQuery({{2, 3}, ""}), "?OTRv23?");
  EXPECT_EQ(EncodeQuery({{1, 2, 3}, ""}), "?OTR?v23?");
  EXPECT_EQ(EncodeQuery({{}, ""}), "?OTRv?");
  EXPECT_EQ(EncodeQuery({{2, 3}, "\nhello"}), "?OTRv23?\nhello");
  // v1 alone before text starting with 'v' needs the empty list.
  EXPECT_EQ(EncodeQuery({{1}, "very"}), "?OTR?v?very");
  EXPECT_EQ(EncodeQuery({{1}, "hello"}), "?OTR?hello");
  // v4 is advertised when asked.
  EXPECT_EQ(EncodeQuery({{3, 4}, ""}), "?OTRv34?");
  EXPECT_EQ(EncodeQuery({{4}, " hi"}), "?OTRv4? hi");
}

TEST(QueryTest, VersionSetIgnoresUnknownVersions) {
  VersionSet set{0, 1, 5, 9, -1};
  EXPECT_EQ(set, VersionSet{1});
  EXPECT_FALSE(set.Has(5));
  EXPECT_EQ(VersionSet::FromBits(0xffffffff), (VersionSet{1, 2, 3, 4}));
}

// Version 4 is held (a peer's offer is visible) but not spoken yet.
TEST(QueryTest, VersionSetHoldsFourButSpeaksThree) {
  static_assert(kMaxKnownVersion == 3);
  static_assert(kMaxRecognizedVersion == 4);
  const VersionSet offer{3, 4};
  EXPECT_TRUE(offer.Has(4));
  EXPECT_FALSE(VersionSet::IsKnown(4));
  EXPECT_TRUE(VersionSet::IsRecognized(4));
  EXPECT_EQ(offer.Supported(), VersionSet{3});
  EXPECT_TRUE(VersionSet{4}.Supported().empty());
  EXPECT_FALSE(VersionSet{4}.empty());
}

}  // namespace
}  // namespace otr::wire
