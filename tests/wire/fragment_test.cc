#include "protocol/wire/fragment.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/wire/spec_example.h"

namespace otr::wire {
namespace {

TEST(FragmentTest, DecodesTheSpecExample) {
  auto f = DecodeFragment(testing::kSpecFragments[0]);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->version, 3);
  EXPECT_EQ(f->sender, 0x5a73a599u);
  EXPECT_EQ(f->receiver, 0x27e31597u);
  EXPECT_EQ(f->k, 1);
  EXPECT_EQ(f->n, 3);
  EXPECT_TRUE(f->piece.starts_with("?OTR:AAMDJ+MV"));
  // Our encoder writes the same fixed-width form.
  auto encoded = EncodeFragment(*f);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(*encoded, testing::kSpecFragments[0]);
}

TEST(FragmentTest, DecodesV2AndShortForms) {
  auto f = DecodeFragment("?OTR,1,2,abc,");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->version, 2);
  EXPECT_EQ(f->sender, kNoInstanceTag);
  EXPECT_EQ(f->k, 1);
  EXPECT_EQ(f->n, 2);
  EXPECT_EQ(f->piece, "abc");
  EXPECT_EQ(*EncodeFragment(*f), "?OTR,00001,00002,abc,");
  auto g = DecodeFragment("?OTR|100|0,000000001,65535,x,");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->sender, 0x100u);
  EXPECT_EQ(g->receiver, 0u);
  EXPECT_EQ(g->n, 65535);
  auto upper = DecodeFragment("?OTR|ABCDEF01|0000ffFF,1,1,x,");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(upper->sender, 0xabcdef01u);
  EXPECT_EQ(upper->receiver, 0xffffu);
}

TEST(FragmentTest, DecodeErrorPaths) {
  struct Case {
    const char* text;
    ErrorCode code;
  };
  const Case cases[] = {
      {"", ErrorCode::kInvalidEncoding},
      {"?OTR", ErrorCode::kInvalidEncoding},
      {"?OTR:AAMC.", ErrorCode::kInvalidEncoding},
      {"?OTR,,1,x,", ErrorCode::kInvalidEncoding},   // k has no digits
      {"?OTR,1,,x,", ErrorCode::kInvalidEncoding},   // n has no digits
      {"?OTR,1;1,x,", ErrorCode::kInvalidEncoding},  // separator
      {"?OTR,1,1;x,", ErrorCode::kInvalidEncoding},
      {"?OTR,0,1,x,", ErrorCode::kInvalidEncoding},  // k == 0
      {"?OTR,1,0,x,", ErrorCode::kInvalidEncoding},  // n == 0
      {"?OTR,3,2,x,", ErrorCode::kInvalidEncoding},  // k > n
      {"?OTR,1,65536,x,", ErrorCode::kTooLarge},     // n above 65535
      {"?OTR,99999999999999999999,1,x,", ErrorCode::kTooLarge},
      {"?OTR,1,1,,", ErrorCode::kInvalidEncoding},    // empty piece
      {"?OTR,1,1,abc", ErrorCode::kInvalidEncoding},  // no final ','
      {"?OTR,1,1,a,b", ErrorCode::kTrailingBytes},    // text after the last ','
      {"?OTR,1,1,a, ", ErrorCode::kTrailingBytes},    // text after
      {"?OTR,1,1,a,\n", ErrorCode::kTrailingBytes},
      {"?OTR|,0,1,1,x,", ErrorCode::kInvalidEncoding},           // empty tag
      {"?OTR|100,0,1,1,x,", ErrorCode::kInvalidEncoding},        // ',' for '|'
      {"?OTR|100|0|100|1,1,x,", ErrorCode::kInvalidEncoding},    // '|' for ','
      {"?OTR|000000100|0,1,1,x,", ErrorCode::kInvalidEncoding},  // 9 hex digits
      {"?OTR|0x100|0,1,1,x,", ErrorCode::kInvalidEncoding},      // no "0x"
      {"?OTR|ff|0,1,1,x,", ErrorCode::kInvalidInstanceTag},      // reserved tag
      {"?OTR|100|1,1,1,x,", ErrorCode::kInvalidInstanceTag},
  };
  for (const Case& c : cases) {
    auto f = DecodeFragment(c.text);
    ASSERT_FALSE(f.ok()) << c.text;
    EXPECT_EQ(f.code(), c.code) << c.text << " gave " << ErrorCodeName(f.code());
  }
}

TEST(FragmentTest, EncodeErrorPaths) {
  Fragment f{3, 0x100, 0x200, 1, 1, "x"};
  EXPECT_TRUE(EncodeFragment(f).ok());
  Fragment bad = f;
  bad.version = 5;
  EXPECT_EQ(EncodeFragment(bad).code(), ErrorCode::kUnsupportedVersion);
  bad = f;
  bad.identifier = 1;  // only v4 fragments carry one
  EXPECT_EQ(EncodeFragment(bad).code(), ErrorCode::kInvalidEncoding);
  bad = f;
  bad.version = 2;
  EXPECT_EQ(EncodeFragment(bad).code(), ErrorCode::kInvalidInstanceTag);
  bad = f;
  bad.sender = 0x42;
  EXPECT_EQ(EncodeFragment(bad).code(), ErrorCode::kInvalidInstanceTag);
  bad = f;
  bad.k = 2;
  EXPECT_EQ(EncodeFragment(bad).code(), ErrorCode::kInvalidEncoding);
  bad = f;
  bad.k = 0;
  EXPECT_EQ(EncodeFragment(bad).code(), ErrorCode::kInvalidEncoding);
  bad = f;
  bad.piece = "";
  EXPECT_EQ(EncodeFragment(bad).code(), ErrorCode::kInvalidEncoding);
}

// Issue 14: libotr puts ',' in pieces (a fragmented Query Message); the piece
// is everything before the fragment's final ','.
TEST(FragmentTest, PieceRunsToTheFinalComma) {
  auto f = DecodeFragment("?OTR,00006,00014, However, you do not have ,");
  ASSERT_TRUE(f.ok()) << ErrorCodeName(f.code());
  EXPECT_EQ(f->piece, " However, you do not have ");
  auto v3 = DecodeFragment("?OTR|100|0,1,2,a,b,,");
  ASSERT_TRUE(v3.ok()) << ErrorCodeName(v3.code());
  EXPECT_EQ(v3->piece, "a,b,");
  auto only_commas = DecodeFragment("?OTR,1,1,,,");
  ASSERT_TRUE(only_commas.ok());
  EXPECT_EQ(only_commas->piece, ",");
  // Such a piece encodes back to the same text.
  Fragment g{3, 0x100, 0x200, 1, 1, "a,b"};
  auto encoded = EncodeFragment(g);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(*encoded, "?OTR|00000100|00000200,00001,00001,a,b,");
  EXPECT_EQ(*DecodeFragment(*encoded), g);
}

TEST(FragmentTest, SplitterRespectsMaxSize) {
  const std::string message = testing::kSpecDataMessage;
  for (size_t max_size : {kFragmentOverheadV3 + 1, size_t{60}, size_t{100}, message.size() + 36}) {
    auto fragments = FragmentMessage(message, max_size, 3, 0x5a73a599, 0x27e31597);
    ASSERT_TRUE(fragments.ok()) << max_size;
    std::string joined;
    for (size_t i = 0; i < fragments->size(); ++i) {
      const std::string& text = (*fragments)[i];
      EXPECT_LE(text.size(), max_size);
      auto f = DecodeFragment(text);
      ASSERT_TRUE(f.ok()) << text;
      EXPECT_EQ(f->k, i + 1);
      EXPECT_EQ(f->n, fragments->size());
      joined += f->piece;
    }
    EXPECT_EQ(joined, message);
  }
  auto v2 = FragmentMessage("?OTR:AAEC.", kFragmentOverheadV2 + 3, 2, 0, 0);
  ASSERT_TRUE(v2.ok());
  ASSERT_EQ(v2->size(), 4u);
  EXPECT_EQ((*v2)[0], "?OTR,00001,00004,?OT,");
  EXPECT_EQ((*v2)[3], "?OTR,00004,00004,.,");
}

TEST(FragmentTest, SplitterErrorPaths) {
  EXPECT_EQ(FragmentMessage("abc", 100, 1, 0, 0).code(), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(FragmentMessage("abc", 100, 2, 0x100, 0).code(), ErrorCode::kInvalidInstanceTag);
  EXPECT_EQ(FragmentMessage("abc", 100, 3, 0x10, 0).code(), ErrorCode::kInvalidInstanceTag);
  EXPECT_EQ(FragmentMessage("", 100, 2, 0, 0).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(FragmentMessage("a,b", 100, 2, 0, 0).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(FragmentMessage("?OTR|", 100, 2, 0, 0).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(FragmentMessage("abc", kFragmentOverheadV2, 2, 0, 0).code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(FragmentMessage("abc", kFragmentOverheadV3, 3, 0x100, 0).code(),
            ErrorCode::kOutOfRange);
  // 65536 one-byte pieces.
  EXPECT_EQ(FragmentMessage(std::string(65536, 'A'), kFragmentOverheadV2 + 1, 2, 0, 0).code(),
            ErrorCode::kTooLarge);
  EXPECT_TRUE(FragmentMessage(std::string(65535, 'A'), kFragmentOverheadV2 + 1, 2, 0, 0).ok());
  EXPECT_EQ(FragmentMessage(std::string(kMaxReassembledSize + 1, 'A'), 100000, 2, 0, 0).code(),
            ErrorCode::kTooLarge);
}

// --- Version 4 (v4 spec "Fragmentation") -----------------------------------

TEST(FragmentV4Test, DecodesTheSpecExample) {
  std::string joined;
  for (int i = 0; i < 3; ++i) {
    auto f = DecodeFragment(testing::kSpecV4Fragments[i]);
    ASSERT_TRUE(f.ok()) << ErrorCodeName(f.code());
    EXPECT_EQ(f->version, 4);
    EXPECT_EQ(f->identifier, 0x3c5b5f03u);
    EXPECT_EQ(f->sender, 0x5a73a599u);
    EXPECT_EQ(f->receiver, 0x27e31597u);
    EXPECT_EQ(f->k, i + 1);
    EXPECT_EQ(f->n, 3);
    // Our encoder writes the same fixed-width form.
    EXPECT_EQ(*EncodeFragment(*f), testing::kSpecV4Fragments[i]);
    joined += f->piece;
  }
  EXPECT_EQ(joined, testing::kSpecDataMessage);
}

TEST(FragmentV4Test, ShortFormsAndAnyIdentifier) {
  // "The identifier, instance tags, index and total values may have leading
  // zeros"; fewer digits are what "%x" and "%hu" read too.
  auto f = DecodeFragment("?OTR|0|100|0,1,2,a,b,");
  ASSERT_TRUE(f.ok()) << ErrorCodeName(f.code());
  EXPECT_EQ(f->version, 4);
  EXPECT_EQ(f->identifier, 0u);
  EXPECT_EQ(f->sender, 0x100u);
  EXPECT_EQ(f->receiver, 0u);
  EXPECT_EQ(f->piece, "a,b");
  EXPECT_EQ(*EncodeFragment(*f), "?OTR|00000000|00000100|00000000,00001,00002,a,b,");
  auto g = DecodeFragment("?OTR|FFFFFFFF|ABCDEF01|00000100,00007,65535,x,");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->identifier, 0xffffffffu);
  EXPECT_EQ(g->k, 7);
  EXPECT_EQ(g->n, 65535);
}

TEST(FragmentV4Test, DecodeErrorPaths) {
  struct Case {
    const char* text;
    ErrorCode code;
  };
  const Case cases[] = {
      {"?OTR|1|100|,1,1,x,", ErrorCode::kInvalidEncoding},           // empty receiver
      {"?OTR||100|0,1,1,x,", ErrorCode::kInvalidEncoding},           // empty identifier
      {"?OTR|123456789|100|0,1,1,x,", ErrorCode::kInvalidEncoding},  // 9 hex digits
      {"?OTR|1|100|0|0,1,1,x,", ErrorCode::kInvalidEncoding},        // a fourth field
      {"?OTR|1|ff|0,1,1,x,", ErrorCode::kInvalidInstanceTag},        // reserved sender
      {"?OTR|1|100|1,1,1,x,", ErrorCode::kInvalidInstanceTag},       // reserved receiver
      {"?OTR|1|100|0,0,1,x,", ErrorCode::kInvalidEncoding},          // index 0
      {"?OTR|1|100|0,1,0,x,", ErrorCode::kInvalidEncoding},          // total 0
      {"?OTR|1|100|0,2,1,x,", ErrorCode::kInvalidEncoding},          // index > total
      {"?OTR|1|100|0,1,65536,x,", ErrorCode::kTooLarge},
      {"?OTR|1|100|0,1,1,,", ErrorCode::kInvalidEncoding},  // empty piece
      {"?OTR|1|100|0,1,1,x", ErrorCode::kInvalidEncoding},  // no final ','
      {"?OTR|1|100|0,1,1,x,y", ErrorCode::kTrailingBytes},
  };
  for (const Case& c : cases) {
    auto f = DecodeFragment(c.text);
    ASSERT_FALSE(f.ok()) << c.text;
    EXPECT_EQ(f.code(), c.code) << c.text << " gave " << ErrorCodeName(f.code());
  }
}

TEST(FragmentV4Test, EncodeErrorPaths) {
  Fragment f{4, 0x100, 0, 1, 2, "x", 0xdeadbeef};
  auto encoded = EncodeFragment(f);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(*encoded, "?OTR|deadbeef|00000100|00000000,00001,00002,x,");
  Fragment bad = f;
  bad.receiver = 0x80;
  EXPECT_EQ(EncodeFragment(bad).code(), ErrorCode::kInvalidInstanceTag);
  bad = f;
  bad.k = 3;
  EXPECT_EQ(EncodeFragment(bad).code(), ErrorCode::kInvalidEncoding);
  bad = f;
  bad.piece.clear();
  EXPECT_EQ(EncodeFragment(bad).code(), ErrorCode::kInvalidEncoding);
}

// Four fixed bytes, then zeros.
class FixedRandom final : public crypto::Random {
 public:
  void Fill(MutableByteView out) override {
    for (size_t i = 0; i < out.size(); ++i) out[i] = i < 4 ? kBytes[i] : 0;
    ++calls;
  }
  static constexpr uint8_t kBytes[4] = {0x3c, 0x5b, 0x5f, 0x03};
  int calls = 0;
};

TEST(FragmentV4Test, SplitterMatchesTheSpecExample) {
  // The spec's pieces are 163, 163 and 28 bytes long: max_size 45 + 163.
  FixedRandom random;
  auto fragments = FragmentMessageV4(testing::kSpecDataMessage, kFragmentOverheadV4 + 163, random,
                                     0x5a73a599, 0x27e31597);
  ASSERT_TRUE(fragments.ok()) << ErrorCodeName(fragments.code());
  EXPECT_EQ(random.calls, 1);
  ASSERT_EQ(fragments->size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ((*fragments)[i], testing::kSpecV4Fragments[i]);
}

TEST(FragmentV4Test, SplitterRespectsMaxSize) {
  const std::string message = testing::kSpecDataMessage;
  for (size_t max_size : {kFragmentOverheadV4 + 1, size_t{60}, size_t{100}, message.size() + 45}) {
    auto fragments = FragmentMessageV4(message, max_size, 0x01020304, 0x100, 0);
    ASSERT_TRUE(fragments.ok()) << max_size;
    std::string joined;
    for (size_t i = 0; i < fragments->size(); ++i) {
      EXPECT_LE((*fragments)[i].size(), max_size);
      auto f = DecodeFragment((*fragments)[i]);
      ASSERT_TRUE(f.ok());
      EXPECT_EQ(f->version, 4);
      EXPECT_EQ(f->identifier, 0x01020304u);
      EXPECT_EQ(f->k, i + 1);
      EXPECT_EQ(f->n, fragments->size());
      joined += f->piece;
    }
    EXPECT_EQ(joined, message);
  }
}

TEST(FragmentV4Test, SplitterErrorPaths) {
  EXPECT_EQ(FragmentMessageV4("abc", 100, 1, 0x10, 0).code(), ErrorCode::kInvalidInstanceTag);
  EXPECT_EQ(FragmentMessageV4("", 100, 1, 0x100, 0).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(FragmentMessageV4("a,b", 100, 1, 0x100, 0).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(FragmentMessageV4("?OTR|x", 100, 1, 0x100, 0).code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(FragmentMessageV4("abc", kFragmentOverheadV4, 1, 0x100, 0).code(),
            ErrorCode::kOutOfRange);
  const std::string most(kMaxFragmentsPerMessageV4, 'A');
  EXPECT_TRUE(FragmentMessageV4(most, kFragmentOverheadV4 + 1, 1, 0x100, 0).ok());
  EXPECT_EQ(FragmentMessageV4(most + "A", kFragmentOverheadV4 + 1, 1, 0x100, 0).code(),
            ErrorCode::kTooLarge);
  // The v2/v3 splitter does not make v4 fragments.
  EXPECT_EQ(FragmentMessage("abc", 100, 4, 0x100, 0).code(), ErrorCode::kUnsupportedVersion);
}

}  // namespace
}  // namespace otr::wire
