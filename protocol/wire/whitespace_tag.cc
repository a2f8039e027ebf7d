#include "protocol/wire/whitespace_tag.h"

namespace otr::wire {
namespace {

bool IsSpaceOrTab(char c) { return c == '\x20' || c == '\x09'; }

bool IsWhitespaceGroup(std::string_view group) {
  if (group.size() != kWhitespaceVersionTagSize) return false;
  for (char c : group) {
    if (!IsSpaceOrTab(c)) return false;
  }
  return true;
}

}  // namespace

std::string_view WhitespaceVersionTag(int version) {
  switch (version) {
    case 1:
      return kWhitespaceTagV1;
    case 2:
      return kWhitespaceTagV2;
    case 3:
      return kWhitespaceTagV3;
    case 4:
      return kWhitespaceTagV4;
    default:
      return {};
  }
}

std::string WhitespaceTag(VersionSet versions) {
  std::string tag(kWhitespaceTagBase);
  for (int v = kMinKnownVersion; v <= kMaxRecognizedVersion; ++v) {
    if (versions.Has(v)) tag += WhitespaceVersionTag(v);
  }
  return tag;
}

Result<std::string> EncodeTaggedPlaintext(const TaggedPlaintext& message) {
  std::string out = message.text;
  out += WhitespaceTag(message.versions);
  if (out.find(kWhitespaceTagBase) != message.text.size()) {
    return MakeError(ErrorCode::kInvalidEncoding, "text already holds a whitespace tag");
  }
  return out;
}

std::optional<TaggedPlaintext> DecodeTaggedPlaintext(std::string_view text) {
  const size_t start = text.find(kWhitespaceTagBase);
  if (start == std::string_view::npos) return std::nullopt;
  TaggedPlaintext message;
  size_t end = start + kWhitespaceTagBase.size();
  while (IsWhitespaceGroup(text.substr(end, kWhitespaceVersionTagSize))) {
    std::string_view group = text.substr(end, kWhitespaceVersionTagSize);
    for (int v = kMinKnownVersion; v <= kMaxRecognizedVersion; ++v) {
      if (group == WhitespaceVersionTag(v)) message.versions.Add(v);
    }
    end += kWhitespaceVersionTagSize;
  }
  message.text.reserve(text.size() - (end - start));
  message.text.append(text.substr(0, start));
  message.text.append(text.substr(end));
  return message;
}

}  // namespace otr::wire
