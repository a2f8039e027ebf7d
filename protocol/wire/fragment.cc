#include "protocol/wire/fragment.h"

#include <cstdio>

#include "protocol/wire/reader.h"

namespace otr::wire {
namespace {

std::string_view AsText(ByteView bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

Status ExpectChar(Reader& reader, char expected, std::string_view context) {
  auto c = reader.ReadU8();
  if (!c.ok() || *c != static_cast<uint8_t>(expected)) {
    return MakeError(ErrorCode::kInvalidEncoding, context);
  }
  return Status::Ok();
}

int HexValue(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// An instance tag: 1 to 8 hex digits ("%x"; leading zeros allowed).
Result<InstanceTag> ReadInstanceTag(Reader& reader) {
  uint32_t value = 0;
  size_t digits = 0;
  while (!reader.empty() && HexValue(reader.rest()[0]) >= 0) {
    if (++digits > kMaxInstanceTagDigits) {
      return MakeError(ErrorCode::kInvalidEncoding, "instance tag above 8 hex digits");
    }
    value = (value << 4) | static_cast<uint32_t>(HexValue(*reader.ReadU8()));
  }
  if (digits == 0) return MakeError(ErrorCode::kInvalidEncoding, "instance tag lacks hex digits");
  return CheckInstanceTag(value);
}

// k or n: decimal digits ("%hu"; leading zeros allowed), at most 65535.
Result<uint16_t> ReadCount(Reader& reader) {
  uint32_t value = 0;
  size_t digits = 0;
  while (!reader.empty() && reader.rest()[0] >= '0' && reader.rest()[0] <= '9') {
    value = value * 10 + (*reader.ReadU8() - '0');
    ++digits;
    if (value > kMaxFragmentCount) {
      return MakeError(ErrorCode::kTooLarge, "fragment number above 65535");
    }
  }
  if (digits == 0) return MakeError(ErrorCode::kInvalidEncoding, "fragment number lacks digits");
  return static_cast<uint16_t>(value);
}

Status CheckCounts(uint32_t k, uint32_t n) {
  // "If k == 0 or n == 0 or k > n, discard this (illegal) fragment."
  if (k == 0 || n == 0 || k > n) {
    return MakeError(ErrorCode::kInvalidEncoding, "fragment numbers outside 1 <= k <= n");
  }
  return Status::Ok();
}

Status CheckPiece(std::string_view piece) {
  if (piece.empty()) return MakeError(ErrorCode::kInvalidEncoding, "empty fragment piece");
  if (piece.find(',') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidEncoding, "fragment piece contains ','");
  }
  return Status::Ok();
}

Status CheckTags(int version, InstanceTag sender, InstanceTag receiver) {
  if (version != 2 && version != 3) {
    return MakeError(ErrorCode::kUnsupportedVersion, "fragments exist in v2 and v3 only");
  }
  if (version == 2 && (sender != kNoInstanceTag || receiver != kNoInstanceTag)) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "v2 fragments carry no instance tags");
  }
  OTR_RETURN_IF_ERROR(CheckInstanceTag(sender));
  OTR_RETURN_IF_ERROR(CheckInstanceTag(receiver));
  return Status::Ok();
}

// The header of fragment k of n, in libotr's fixed-width form.
std::string Header(int version, InstanceTag sender, InstanceTag receiver, uint32_t k, uint32_t n) {
  char buffer[kFragmentOverheadV3 + 1];
  int size = version == 2 ? std::snprintf(buffer, sizeof buffer, "?OTR,%05u,%05u,", k, n)
                          : std::snprintf(buffer, sizeof buffer, "?OTR|%08x|%08x,%05u,%05u,",
                                          sender, receiver, k, n);
  return std::string(buffer, static_cast<size_t>(size));
}

}  // namespace

bool ContainsFragmentMarker(std::string_view text) {
  return text.find(kFragmentPrefixV2) != std::string_view::npos ||
         text.find(kFragmentPrefixV3) != std::string_view::npos;
}

Result<std::string> EncodeFragment(const Fragment& fragment) {
  OTR_RETURN_IF_ERROR(CheckTags(fragment.version, fragment.sender, fragment.receiver));
  OTR_RETURN_IF_ERROR(CheckCounts(fragment.k, fragment.n));
  OTR_RETURN_IF_ERROR(CheckPiece(fragment.piece));
  std::string out =
      Header(fragment.version, fragment.sender, fragment.receiver, fragment.k, fragment.n);
  out += fragment.piece;
  out.push_back(',');
  return out;
}

Result<Fragment> DecodeFragment(std::string_view text) {
  Reader reader(AsBytes(text));
  Fragment fragment;
  auto prefix = reader.ReadBytes(kFragmentPrefixV2.size());
  if (!prefix.ok()) return MakeError(ErrorCode::kInvalidEncoding, "not a fragment");
  if (AsText(*prefix) == kFragmentPrefixV2) {
    fragment.version = 2;
  } else if (AsText(*prefix) == kFragmentPrefixV3) {
    fragment.version = 3;
    OTR_ASSIGN_OR_RETURN(fragment.sender, ReadInstanceTag(reader));
    OTR_RETURN_IF_ERROR(ExpectChar(reader, '|', "fragment lacks '|' between instance tags"));
    OTR_ASSIGN_OR_RETURN(fragment.receiver, ReadInstanceTag(reader));
    OTR_RETURN_IF_ERROR(ExpectChar(reader, ',', "fragment lacks ',' after instance tags"));
  } else {
    return MakeError(ErrorCode::kInvalidEncoding, "not a fragment");
  }
  OTR_ASSIGN_OR_RETURN(fragment.k, ReadCount(reader));
  OTR_RETURN_IF_ERROR(ExpectChar(reader, ',', "fragment lacks ',' after k"));
  OTR_ASSIGN_OR_RETURN(fragment.n, ReadCount(reader));
  OTR_RETURN_IF_ERROR(ExpectChar(reader, ',', "fragment lacks ',' after n"));
  OTR_RETURN_IF_ERROR(CheckCounts(fragment.k, fragment.n));
  const std::string_view rest = AsText(reader.rest());
  const size_t comma = rest.find(',');
  if (comma == std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidEncoding, "fragment lacks its final ','");
  }
  if (comma == 0) return MakeError(ErrorCode::kInvalidEncoding, "empty fragment piece");
  fragment.piece = std::string(rest.substr(0, comma));
  (void)reader.ReadBytes(comma + 1);
  OTR_RETURN_IF_ERROR(reader.ExpectEnd());
  return fragment;
}

Result<std::vector<std::string>> FragmentMessage(std::string_view message, size_t max_size,
                                                 int version, InstanceTag sender,
                                                 InstanceTag receiver) {
  OTR_RETURN_IF_ERROR(CheckTags(version, sender, receiver));
  if (message.empty()) return MakeError(ErrorCode::kInvalidEncoding, "empty message");
  if (message.find(',') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidEncoding, "message contains ','");
  }
  // "Note that fragments are not themselves messages that can be
  // fragmented: you can't fragment a fragment."
  if (ContainsFragmentMarker(message)) {
    return MakeError(ErrorCode::kInvalidEncoding, "cannot fragment a fragment");
  }
  if (message.size() > kMaxReassembledSize) {
    return MakeError(ErrorCode::kTooLarge, "message above kMaxReassembledSize");
  }
  const size_t overhead = version == 2 ? kFragmentOverheadV2 : kFragmentOverheadV3;
  if (max_size <= overhead) {
    return MakeError(ErrorCode::kOutOfRange, "max_size leaves no room for a piece");
  }
  const size_t piece_size = max_size - overhead;
  const size_t n = (message.size() + piece_size - 1) / piece_size;
  if (n > kMaxFragmentCount) {
    return MakeError(ErrorCode::kTooLarge, "more than 65535 fragments");
  }
  std::vector<std::string> fragments;
  fragments.reserve(n);
  for (size_t k = 1; k <= n; ++k) {
    std::string fragment =
        Header(version, sender, receiver, static_cast<uint32_t>(k), static_cast<uint32_t>(n));
    fragment += message.substr((k - 1) * piece_size, piece_size);
    fragment.push_back(',');
    fragments.push_back(std::move(fragment));
  }
  return fragments;
}

}  // namespace otr::wire
