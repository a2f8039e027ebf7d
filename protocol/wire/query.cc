#include "protocol/wire/query.h"

namespace otr::wire {
namespace {

// "a 'v' followed by the byte identifiers for the versions in question,
// followed by '?'" (v3 spec "OTR Query Messages"); identifiers are digits.
// "The byte identifier for OTR version 3 is "3", and "4" for 4" (v4 spec
// "Query Messages").
void AddIdentifiers(std::string_view identifiers, VersionSet& versions) {
  for (char c : identifiers) {
    if (c >= '0' && c <= '9') versions.Add(c - '0');
  }
}

}  // namespace

std::string EncodeQuery(const QueryMessage& query) {
  std::string out(kQueryPrefix);
  if (query.versions.Has(1)) out.push_back('?');
  std::string list;
  for (int v = 2; v <= kMaxRecognizedVersion; ++v) {
    if (query.versions.Has(v)) list.push_back(static_cast<char>('0' + v));
  }
  const bool v1_only = query.versions == VersionSet{1};
  if (!list.empty() || query.versions.empty() || (v1_only && query.text.starts_with('v'))) {
    out += 'v';
    out += list;
    out += '?';
  }
  out += query.text;
  return out;
}

Result<QueryMessage> DecodeQuery(std::string_view text) {
  if (!text.starts_with(kQueryPrefix)) {
    return MakeError(ErrorCode::kInvalidEncoding, "query lacks the ?OTR prefix");
  }
  std::string_view rest = text.substr(kQueryPrefix.size());
  QueryMessage query;
  bool v1 = false;
  // "If she is willing to use OTR version 1, the version string must start
  // with '?'."
  if (rest.starts_with('?')) {
    v1 = true;
    query.versions.Add(1);
    rest.remove_prefix(1);
  }
  if (rest.starts_with('v')) {
    const size_t close = rest.find('?', 1);
    if (close != std::string_view::npos) {
      AddIdentifiers(rest.substr(1, close - 1), query.versions);
      rest.remove_prefix(close + 1);
    } else if (!v1) {
      return MakeError(ErrorCode::kInvalidEncoding, "query version list lacks its closing '?'");
    }
  } else if (!v1) {
    return MakeError(ErrorCode::kInvalidEncoding, "?OTR not followed by '?' or 'v'");
  }
  query.text = std::string(rest);
  return query;
}

}  // namespace otr::wire
