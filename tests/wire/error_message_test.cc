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

}  // namespace
}  // namespace otr::wire
