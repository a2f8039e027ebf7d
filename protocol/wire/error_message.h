// OTR Error Messages (v2/v3 spec "OTR Error Messages"): "Any message
// containing the string '?OTR Error:' is an OTR Error Message. The following
// part of the message should contain human-readable details of the error."
#ifndef OTR_PROTOCOL_WIRE_ERROR_MESSAGE_H_
#define OTR_PROTOCOL_WIRE_ERROR_MESSAGE_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace otr::wire {

inline constexpr std::string_view kErrorPrefix = "?OTR Error:";

struct ErrorMessage {
  // Everything after "?OTR Error:", verbatim (libotr 4.1.1 sends
  // "?OTR Error: <text>", python-potr "?OTR Error:<text>").
  std::string detail;

  friend bool operator==(const ErrorMessage&, const ErrorMessage&) = default;
};

// An error message as libotr writes it: one space after the colon.
ErrorMessage MakeErrorMessage(std::string_view text);

// The text to show the user: `detail` without its leading separator. libotr
// 4.1.1 strips "?OTR Error: " and then one more space if present; we strip up
// to two leading spaces, which shows the same text for libotr's messages and
// also shows potr's, which have none.
std::string_view ErrorDisplayText(const ErrorMessage& message);

std::string EncodeErrorMessage(const ErrorMessage& message);

// `text` must start with "?OTR Error:" (kInvalidEncoding otherwise).
Result<ErrorMessage> DecodeErrorMessage(std::string_view text);

// v4 spec "OTR Error Messages": "The message may also include a specific code
// at the beginning, e.g. "?OTR Error: ERROR_N: ". This code is used to
// identify which error is being received for optional localization".
enum class ErrorMessageCode {
  kUnreadableMessage = 1,         // ERROR_1: the message is undecryptable
  kNotInPrivateStateMessage = 2,  // ERROR_2: arrived when not in an encrypted state
  kMalformedMessage = 3,          // ERROR_3: the instance tags do not correspond
};

// "ERROR_1", "ERROR_2", "ERROR_3".
std::string_view ErrorMessageCodeName(ErrorMessageCode code);
// The spec's text: "Unreadable message", "Not in private state message",
// "Malformed message".
std::string_view ErrorMessageCodeText(ErrorMessageCode code);
// "?OTR Error: ERROR_N: <text>" once encoded (libotr-ng's form).
ErrorMessage MakeErrorMessage(ErrorMessageCode code);
// The code at the start of the display text ("ERROR_N:" with N in 1..3), if
// any; the text after it is free (it may be localised).
std::optional<ErrorMessageCode> ErrorMessageCodeOf(const ErrorMessage& message);

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_ERROR_MESSAGE_H_
