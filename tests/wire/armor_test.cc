#include "protocol/wire/armor.h"

#include <gtest/gtest.h>

#include <string>

#include "protocol/wire/base64.h"

namespace otr::wire {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  // RFC 4648 section 10.
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(EncodeBase64(AsBytes(plain)), encoded);
    auto decoded = DecodeBase64(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(*decoded, ToBytes(plain));
  }
}

TEST(Base64Test, RejectsBadInput) {
  EXPECT_EQ(DecodeBase64("Zm9").code(), ErrorCode::kInvalidEncoding);       // length
  EXPECT_EQ(DecodeBase64("Zm9*").code(), ErrorCode::kInvalidEncoding);      // alphabet
  EXPECT_EQ(DecodeBase64("Zg==Zm9v").code(), ErrorCode::kInvalidEncoding);  // inner padding
  EXPECT_EQ(DecodeBase64("Z===").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeBase64("====").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeBase64("Zm 9").code(), ErrorCode::kInvalidEncoding);  // no whitespace
  EXPECT_EQ(DecodeBase64("Zh==").code(), ErrorCode::kNonCanonical);     // pad bits set
  EXPECT_EQ(DecodeBase64("Zm9=").code(), ErrorCode::kNonCanonical);
}

TEST(ArmorTest, EncodesWithPrefixAndDot) {
  const Bytes header = {0x00, 0x03, 0x02};
  EXPECT_EQ(EncodeArmor(header), "?OTR:AAMC.");
  EXPECT_EQ(EncodeArmor({}), "?OTR:.");
}

TEST(ArmorTest, Decodes) {
  auto decoded = DecodeArmor("?OTR:AAMC.");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, (Bytes{0x00, 0x03, 0x02}));
  auto empty = DecodeArmor("?OTR:.");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(ArmorTest, IgnoresTextAfterTheDot) {
  auto decoded = DecodeArmor("?OTR:AAMC.</span> and more.");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, (Bytes{0x00, 0x03, 0x02}));
}

TEST(ArmorTest, ErrorPaths) {
  EXPECT_EQ(DecodeArmor("").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeArmor("?OTR").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeArmor(" ?OTR:AAMC.").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeArmor("?OTR:AAMC").code(), ErrorCode::kTruncated);
  EXPECT_EQ(DecodeArmor("?OTR:AAM.").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeArmor("?OTR:AA\nMC.").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeArmor("?OTR:AAN=.").code(), ErrorCode::kNonCanonical);
}

TEST(ArmorTest, BoundsTheSize) {
  // The largest accepted armour: prefix, base64, '.' = kMaxArmoredSize bytes.
  const size_t base64_size = (kMaxArmoredSize - kArmorPrefix.size() - 1) / 4 * 4;
  std::string text = std::string(kArmorPrefix) + std::string(base64_size, 'A') + ".";
  ASSERT_LE(text.size(), kMaxArmoredSize);
  EXPECT_TRUE(DecodeArmor(text).ok());
  std::string too_large = std::string(kArmorPrefix) + std::string(kMaxArmoredSize, 'A') + ".";
  EXPECT_EQ(DecodeArmor(too_large).code(), ErrorCode::kTooLarge);
  std::string unterminated = std::string(kArmorPrefix) + std::string(kMaxArmoredSize, 'A');
  EXPECT_EQ(DecodeArmor(unterminated).code(), ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace otr::wire
