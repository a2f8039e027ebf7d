#include "protocol/wire/classify.h"

#include <utility>

#include "protocol/wire/armor.h"
#include "protocol/wire/reader.h"

namespace otr::wire {
namespace {

// The two v1 encoded messages (v1 spec "OTR Key Exchange", "OTR Data").
constexpr uint8_t kV1KeyExchange = 0x0a;
constexpr uint8_t kV1Data = 0x03;

// The v4 encoded messages (v4 spec "Identity Message", "Auth-R Message",
// "Auth-I Message", "Prekey Message", "Non-Interactive-Auth Message", "Data
// Message Format": protocol version 0x0004 and these types).
std::string_view DescribeV4(uint8_t type) {
  switch (type) {
    case 0x35:
      return "OTR v4 Identity Message";
    case 0x36:
      return "OTR v4 Auth-R Message";
    case 0x37:
      return "OTR v4 Auth-I Message";
    case 0x0f:
      return "OTR v4 Prekey Message";
    case 0x0d:
      return "OTR v4 Non-Interactive-Auth Message";
    case 0x03:
      return "OTR v4 Data Message";
    default:
      return "OTR v4 message of unknown type";
  }
}

std::string_view DescribeUnsupported(uint16_t version, uint8_t type) {
  if (version == 1 && type == kV1KeyExchange) return "OTR v1 Key Exchange";
  if (version == 1 && type == kV1Data) return "OTR v1 Data";
  if (version == 1) return "OTR v1 message of unknown type";
  if (version == 4) return DescribeV4(type);
  return "OTR message of an unknown version";
}

InboundMessage ClassifyEncoded(std::string_view text) {
  auto decoded = DecodeArmor(text);
  if (!decoded.ok()) return MalformedMessage{MessageKind::kEncoded, decoded.error()};
  Reader reader(*decoded);
  auto version = reader.ReadU16();
  auto type = reader.ReadU8();
  if (!version.ok() || !type.ok()) {
    return MalformedMessage{MessageKind::kEncoded,
                            MakeError(ErrorCode::kTruncated, "encoded message lacks its header")};
  }
  if (*version == 2 || *version == 3) {
    return EncodedMessage{*version, *type, std::move(decoded).value()};
  }
  UnsupportedMessage message;
  message.protocol_version = *version;
  message.message_type = *type;
  message.description = DescribeUnsupported(*version, *type);
  message.message = std::move(decoded).value();
  return message;
}

template <typename T>
InboundMessage OrMalformed(Result<T> result, MessageKind kind) {
  if (!result.ok()) return MalformedMessage{kind, result.error()};
  return std::move(result).value();
}

// The first "?OTR" that decides what `text` is: "?OTR Error:" anywhere but
// at the start is not a marker (v4 spec "OTR Error Messages").
size_t FindDecidingMarker(std::string_view text) {
  size_t at = text.find(kOtrMarker);
  while (at != std::string_view::npos && at != 0 && text.substr(at).starts_with(kErrorPrefix)) {
    at = text.find(kOtrMarker, at + 1);
  }
  return at;
}

}  // namespace

InboundMessage Classify(std::string_view text) {
  // v3 and v4 fragments both start "?OTR|"; DecodeFragment tells them apart.
  size_t at = text.find(kFragmentPrefixV3);
  if (at == std::string_view::npos) at = text.find(kFragmentPrefixV2);
  if (at != std::string_view::npos) {
    return OrMalformed(DecodeFragment(text.substr(at)), MessageKind::kFragment);
  }
  // "Any message containing "?OTR Error: " at the starting position is an
  // OTR Error Message ... the string "?OTR Error:" must be in at the start
  // position of the message" (v4 spec "OTR Error Messages"). The v3 spec and
  // libotr 4.1.1 take it anywhere; no libotr or potr sends it anywhere but
  // at the start, so the stricter rule serves every version, and an
  // embedded one is text ("playing games with the state machine by
  // "embedding" this string inside some other message").
  if (text.starts_with(kErrorPrefix)) {
    return OrMalformed(DecodeErrorMessage(text), MessageKind::kError);
  }
  at = FindDecidingMarker(text);
  if (at == std::string_view::npos) {
    if (auto tagged = DecodeTaggedPlaintext(text)) return std::move(*tagged);
    return PlainText{std::string(text)};
  }
  const std::string_view otr = text.substr(at);
  if (otr.starts_with(kArmorPrefix)) return ClassifyEncoded(otr);
  if (otr.starts_with("?OTR?") || otr.starts_with("?OTRv")) {
    return OrMalformed(DecodeQuery(otr), MessageKind::kQuery);
  }
  return MalformedMessage{MessageKind::kUnknownOtr,
                          MakeError(ErrorCode::kUnknownType, "unknown ?OTR message")};
}

namespace {

// The header an encoded value claims must be the one its bytes start with.
Status CheckHeader(const Bytes& message, uint16_t version, uint8_t type) {
  Reader reader(message);
  auto read_version = reader.ReadU16();
  auto read_type = reader.ReadU8();
  if (!read_version.ok() || !read_type.ok() || *read_version != version || *read_type != type) {
    return MakeError(ErrorCode::kInvalidEncoding, "header fields disagree with the message");
  }
  return Status::Ok();
}

struct Encoder {
  // Plain text may hold "?OTR Error:" past its start, and nothing else that
  // Classify reads as a marker or a tag.
  Result<std::string> operator()(const PlainText& m) const {
    if (!(Classify(m.text) == InboundMessage(m))) {
      return MakeError(ErrorCode::kInvalidEncoding, "plain text holds a marker or a tag");
    }
    return m.text;
  }
  Result<std::string> operator()(const TaggedPlaintext& m) const {
    OTR_ASSIGN_OR_RETURN(std::string text, EncodeTaggedPlaintext(m));
    if (!(Classify(text) == InboundMessage(m))) {
      return MakeError(ErrorCode::kInvalidEncoding, "tagged text holds an ?OTR marker");
    }
    return text;
  }
  Result<std::string> operator()(const QueryMessage& m) const {
    std::string text = EncodeQuery(m);
    if (ContainsFragmentMarker(text)) {
      return MakeError(ErrorCode::kInvalidEncoding, "query text holds a fragment marker");
    }
    return text;
  }
  Result<std::string> operator()(const ErrorMessage& m) const {
    std::string text = EncodeErrorMessage(m);
    if (ContainsFragmentMarker(text)) {
      return MakeError(ErrorCode::kInvalidEncoding, "error text holds a fragment marker");
    }
    return text;
  }
  Result<std::string> operator()(const EncodedMessage& m) const {
    if (m.protocol_version != 2 && m.protocol_version != 3) {
      return MakeError(ErrorCode::kUnsupportedVersion, "encoded messages are v2 or v3");
    }
    OTR_RETURN_IF_ERROR(CheckHeader(m.message, m.protocol_version, m.message_type));
    return EncodeArmor(m.message);
  }
  Result<std::string> operator()(const UnsupportedMessage& m) const {
    if (m.protocol_version == 2 || m.protocol_version == 3) {
      return MakeError(ErrorCode::kInvalidEncoding, "v2 and v3 are supported versions");
    }
    OTR_RETURN_IF_ERROR(CheckHeader(m.message, m.protocol_version, m.message_type));
    return EncodeArmor(m.message);
  }
  Result<std::string> operator()(const Fragment& m) const { return EncodeFragment(m); }
  Result<std::string> operator()(const MalformedMessage&) const {
    return MakeError(ErrorCode::kInvalidEncoding, "a malformed message has no encoding");
  }
};

}  // namespace

Result<std::string> EncodeInbound(const InboundMessage& message) {
  return std::visit(Encoder{}, message);
}

}  // namespace otr::wire
