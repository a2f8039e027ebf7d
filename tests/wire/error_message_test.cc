#include "protocol/wire/error_message.h"

#include <gtest/gtest.h>

namespace otr::wire {
namespace {

TEST(ErrorMessageTest, DecodesLibotrForm) {
  auto m = DecodeErrorMessage("?OTR Error: You sent encrypted data");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->detail, " You sent encrypted data");
  EXPECT_EQ(ErrorDisplayText(*m), "You sent encrypted data");
}

TEST(ErrorMessageTest, DisplayStripsUpToTwoSpacesAsLibotr) {
  EXPECT_EQ(ErrorDisplayText({"boom"}), "boom");      // potr's form
  EXPECT_EQ(ErrorDisplayText({"  boom"}), "boom");    // libotr skips one more space
  EXPECT_EQ(ErrorDisplayText({"   boom"}), " boom");  // but no third
  EXPECT_EQ(ErrorDisplayText({""}), "");
}

TEST(ErrorMessageTest, EncodesLikeLibotr) {
  EXPECT_EQ(EncodeErrorMessage(MakeErrorMessage("boom")), "?OTR Error: boom");
  EXPECT_EQ(EncodeErrorMessage({"x"}), "?OTR Error:x");
}

TEST(ErrorMessageTest, ErrorPaths) {
  EXPECT_EQ(DecodeErrorMessage("").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeErrorMessage("?OTR Error").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeErrorMessage("?OTR error: x").code(), ErrorCode::kInvalidEncoding);
  EXPECT_EQ(DecodeErrorMessage("x ?OTR Error: x").code(), ErrorCode::kInvalidEncoding);
}

// v4 spec "OTR Error Messages": "?OTR Error: ERROR_N: " codes and their texts.
TEST(ErrorMessageTest, V4CodesAndTheirTexts) {
  EXPECT_EQ(EncodeErrorMessage(MakeErrorMessage(ErrorMessageCode::kUnreadableMessage)),
            "?OTR Error: ERROR_1: Unreadable message");
  EXPECT_EQ(EncodeErrorMessage(MakeErrorMessage(ErrorMessageCode::kNotInPrivateStateMessage)),
            "?OTR Error: ERROR_2: Not in private state message");
  EXPECT_EQ(EncodeErrorMessage(MakeErrorMessage(ErrorMessageCode::kMalformedMessage)),
            "?OTR Error: ERROR_3: Malformed message");
  for (auto code :
       {ErrorMessageCode::kUnreadableMessage, ErrorMessageCode::kNotInPrivateStateMessage,
        ErrorMessageCode::kMalformedMessage}) {
    auto decoded = DecodeErrorMessage(EncodeErrorMessage(MakeErrorMessage(code)));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(ErrorMessageCodeOf(*decoded), code);
  }
  // The text after the code is free (localised); potr-style without a space.
  EXPECT_EQ(ErrorMessageCodeOf(*DecodeErrorMessage("?OTR Error:ERROR_2: nicht privat")),
            ErrorMessageCode::kNotInPrivateStateMessage);
  // No code, an unknown code, or a code without its colon.
  EXPECT_EQ(ErrorMessageCodeOf(*DecodeErrorMessage("?OTR Error: boom")), std::nullopt);
  EXPECT_EQ(ErrorMessageCodeOf(*DecodeErrorMessage("?OTR Error: ERROR_4: x")), std::nullopt);
  EXPECT_EQ(ErrorMessageCodeOf(*DecodeErrorMessage("?OTR Error: ERROR_1 x")), std::nullopt);
  EXPECT_EQ(ErrorMessageCodeOf(*DecodeErrorMessage("?OTR Error: ERROR_10: x")), std::nullopt);
}

}  // namespace
}  // namespace otr::wire
