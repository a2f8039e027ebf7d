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

// A 4-byte value in 1 to 8 hex digits ("%x"; leading zeros allowed): an
// instance tag, or a v4 identifier.
Result<uint32_t> ReadHex32(Reader& reader) {
  uint32_t value = 0;
  size_t digits = 0;
  while (!reader.empty() && HexValue(reader.rest()[0]) >= 0) {
    if (++digits > kMaxInstanceTagDigits) {
      return MakeError(ErrorCode::kInvalidEncoding, "fragment field above 8 hex digits");
    }
    value = (value << 4) | static_cast<uint32_t>(HexValue(*reader.ReadU8()));
  }
  if (digits == 0) return MakeError(ErrorCode::kInvalidEncoding, "fragment field lacks hex digits");
  return value;
}

Result<InstanceTag> ReadInstanceTag(Reader& reader) {
  OTR_ASSIGN_OR_RETURN(uint32_t value, ReadHex32(reader));
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

// Any non-empty piece: the decoder reads up to the final ',', so a piece
// holding ',' comes back whole.
Status CheckPiece(std::string_view piece) {
  if (piece.empty()) return MakeError(ErrorCode::kInvalidEncoding, "empty fragment piece");
  return Status::Ok();
}

// What the header of a fragment of one message says besides k and n.
struct HeaderFields {
  int version = 3;
  uint32_t identifier = 0;
  InstanceTag sender = kNoInstanceTag;
  InstanceTag receiver = kNoInstanceTag;
};

Status CheckHeaderFields(const HeaderFields& h) {
  if (h.version != 2 && h.version != 3 && h.version != 4) {
    return MakeError(ErrorCode::kUnsupportedVersion, "fragments exist in v2, v3 and v4 only");
  }
  if (h.version == 2 && (h.sender != kNoInstanceTag || h.receiver != kNoInstanceTag)) {
    return MakeError(ErrorCode::kInvalidInstanceTag, "v2 fragments carry no instance tags");
  }
  if (h.version != 4 && h.identifier != 0) {
    return MakeError(ErrorCode::kInvalidEncoding, "only v4 fragments carry an identifier");
  }
  OTR_RETURN_IF_ERROR(CheckInstanceTag(h.sender));
  OTR_RETURN_IF_ERROR(CheckInstanceTag(h.receiver));
  return Status::Ok();
}

size_t Overhead(int version) {
  switch (version) {
    case 2:
      return kFragmentOverheadV2;
    case 3:
      return kFragmentOverheadV3;
    default:
      return kFragmentOverheadV4;
  }
}

// The header of fragment k of n, in libotr's (v2, v3) and libotr-ng's (v4)
// fixed-width form.
std::string Header(const HeaderFields& h, uint32_t k, uint32_t n) {
  char buffer[kFragmentOverheadV4 + 1];
  int size = 0;
  switch (h.version) {
    case 2:
      size = std::snprintf(buffer, sizeof buffer, "?OTR,%05u,%05u,", k, n);
      break;
    case 3:
      size = std::snprintf(buffer, sizeof buffer, "?OTR|%08x|%08x,%05u,%05u,", h.sender, h.receiver,
                           k, n);
      break;
    default:
      size = std::snprintf(buffer, sizeof buffer, "?OTR|%08x|%08x|%08x,%05u,%05u,", h.identifier,
                           h.sender, h.receiver, k, n);
      break;
  }
  return std::string(buffer, static_cast<size_t>(size));
}

Result<std::vector<std::string>> Split(std::string_view message, size_t max_size,
                                       const HeaderFields& h, size_t max_fragments) {
  OTR_RETURN_IF_ERROR(CheckHeaderFields(h));
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
  const size_t overhead = Overhead(h.version);
  if (max_size <= overhead) {
    return MakeError(ErrorCode::kOutOfRange, "max_size leaves no room for a piece");
  }
  const size_t piece_size = max_size - overhead;
  const size_t n = (message.size() + piece_size - 1) / piece_size;
  if (n > max_fragments) {
    return MakeError(ErrorCode::kTooLarge, "more fragments than a receiver takes");
  }
  std::vector<std::string> fragments;
  fragments.reserve(n);
  for (size_t k = 1; k <= n; ++k) {
    std::string fragment = Header(h, static_cast<uint32_t>(k), static_cast<uint32_t>(n));
    fragment += message.substr((k - 1) * piece_size, piece_size);
    fragment.push_back(',');
    fragments.push_back(std::move(fragment));
  }
  return fragments;
}

}  // namespace

bool ContainsFragmentMarker(std::string_view text) {
  return text.find(kFragmentPrefixV2) != std::string_view::npos ||
         text.find(kFragmentPrefixV3) != std::string_view::npos;
}

Result<std::string> EncodeFragment(const Fragment& fragment) {
  const HeaderFields h{fragment.version, fragment.identifier, fragment.sender, fragment.receiver};
  OTR_RETURN_IF_ERROR(CheckHeaderFields(h));
  OTR_RETURN_IF_ERROR(CheckCounts(fragment.k, fragment.n));
  OTR_RETURN_IF_ERROR(CheckPiece(fragment.piece));
  std::string out = Header(h, fragment.k, fragment.n);
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
    // v3: sender|receiver; v4: identifier|sender|receiver. Two fields are
    // read before the third '|' (or its absence) says which.
    OTR_ASSIGN_OR_RETURN(const uint32_t first, ReadHex32(reader));
    OTR_RETURN_IF_ERROR(ExpectChar(reader, '|', "fragment lacks '|' between its hex fields"));
    OTR_ASSIGN_OR_RETURN(const uint32_t second, ReadHex32(reader));
    if (!reader.empty() && reader.rest()[0] == '|') {
      (void)reader.ReadU8();
      fragment.version = 4;
      fragment.identifier = first;
      OTR_ASSIGN_OR_RETURN(fragment.sender, CheckInstanceTag(second));
      OTR_ASSIGN_OR_RETURN(fragment.receiver, ReadInstanceTag(reader));
    } else {
      fragment.version = 3;
      OTR_ASSIGN_OR_RETURN(fragment.sender, CheckInstanceTag(first));
      OTR_ASSIGN_OR_RETURN(fragment.receiver, CheckInstanceTag(second));
    }
    OTR_RETURN_IF_ERROR(ExpectChar(reader, ',', "fragment lacks ',' after instance tags"));
  } else {
    return MakeError(ErrorCode::kInvalidEncoding, "not a fragment");
  }
  OTR_ASSIGN_OR_RETURN(fragment.k, ReadCount(reader));
  OTR_RETURN_IF_ERROR(ExpectChar(reader, ',', "fragment lacks ',' after k"));
  OTR_ASSIGN_OR_RETURN(fragment.n, ReadCount(reader));
  OTR_RETURN_IF_ERROR(ExpectChar(reader, ',', "fragment lacks ',' after n"));
  OTR_RETURN_IF_ERROR(CheckCounts(fragment.k, fragment.n));
  // The piece runs to the last ',' (libotr sends pieces holding ','; see
  // fragment.h); text after that ',' is trailing.
  const std::string_view rest = AsText(reader.rest());
  const size_t comma = rest.rfind(',');
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
  if (version != 2 && version != 3) {
    return MakeError(ErrorCode::kUnsupportedVersion, "FragmentMessage splits v2 and v3 only");
  }
  return Split(message, max_size, HeaderFields{version, 0, sender, receiver}, kMaxFragmentCount);
}

Result<std::vector<std::string>> FragmentMessageV4(std::string_view message, size_t max_size,
                                                   uint32_t identifier, InstanceTag sender,
                                                   InstanceTag receiver) {
  return Split(message, max_size, HeaderFields{4, identifier, sender, receiver},
               kMaxFragmentsPerMessageV4);
}

Result<std::vector<std::string>> FragmentMessageV4(std::string_view message, size_t max_size,
                                                   crypto::Random& random, InstanceTag sender,
                                                   InstanceTag receiver) {
  uint8_t bytes[4];
  random.Fill(MutableByteView(bytes, sizeof bytes));
  const uint32_t identifier = (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                              (uint32_t{bytes[2]} << 8) | uint32_t{bytes[3]};
  return FragmentMessageV4(message, max_size, identifier, sender, receiver);
}

}  // namespace otr::wire
