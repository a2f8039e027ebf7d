#include "protocol/wire/error_message.h"

namespace otr::wire {

ErrorMessage MakeErrorMessage(std::string_view text) {
  ErrorMessage message;
  message.detail.reserve(text.size() + 1);
  message.detail.push_back(' ');
  message.detail.append(text);
  return message;
}

std::string_view ErrorDisplayText(const ErrorMessage& message) {
  std::string_view text = message.detail;
  for (int i = 0; i < 2 && text.starts_with(' '); ++i) text.remove_prefix(1);
  return text;
}

std::string EncodeErrorMessage(const ErrorMessage& message) {
  std::string out(kErrorPrefix);
  out += message.detail;
  return out;
}

Result<ErrorMessage> DecodeErrorMessage(std::string_view text) {
  if (!text.starts_with(kErrorPrefix)) {
    return MakeError(ErrorCode::kInvalidEncoding, "error message lacks ?OTR Error:");
  }
  return ErrorMessage{std::string(text.substr(kErrorPrefix.size()))};
}

}  // namespace otr::wire
