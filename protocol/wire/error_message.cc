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

std::string_view ErrorMessageCodeName(ErrorMessageCode code) {
  switch (code) {
    case ErrorMessageCode::kUnreadableMessage:
      return "ERROR_1";
    case ErrorMessageCode::kNotInPrivateStateMessage:
      return "ERROR_2";
    case ErrorMessageCode::kMalformedMessage:
      return "ERROR_3";
  }
  return "ERROR_?";
}

std::string_view ErrorMessageCodeText(ErrorMessageCode code) {
  switch (code) {
    case ErrorMessageCode::kUnreadableMessage:
      return "Unreadable message";
    case ErrorMessageCode::kNotInPrivateStateMessage:
      return "Not in private state message";
    case ErrorMessageCode::kMalformedMessage:
      return "Malformed message";
  }
  return "";
}

ErrorMessage MakeErrorMessage(ErrorMessageCode code) {
  std::string text(ErrorMessageCodeName(code));
  text += ": ";
  text += ErrorMessageCodeText(code);
  return MakeErrorMessage(text);
}

std::optional<ErrorMessageCode> ErrorMessageCodeOf(const ErrorMessage& message) {
  const std::string_view text = ErrorDisplayText(message);
  for (ErrorMessageCode code :
       {ErrorMessageCode::kUnreadableMessage, ErrorMessageCode::kNotInPrivateStateMessage,
        ErrorMessageCode::kMalformedMessage}) {
    const std::string_view name = ErrorMessageCodeName(code);
    if (text.starts_with(name) && text.substr(name.size()).starts_with(':')) return code;
  }
  return std::nullopt;
}

}  // namespace otr::wire
