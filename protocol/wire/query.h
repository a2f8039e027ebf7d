// OTR Query Messages (v2/v3 spec "OTR Query Messages"; v1 spec "OTR Query").
//
//   "?OTR?"        version 1          "?OTRv23?"     versions 2 and 3
//   "?OTR?v2?"     versions 1 and 2   "?OTRv34?"     versions 3 and 4 (v4
//   "?OTR?v?"      version 1                         spec "Query Messages")
//   "?OTRv?"       no version at all  "?OTRv245x?"   versions 2 and 4 ("5",
//                                                    "x": unknown, ignored)
//
// Version 4 is recognised and kept in the VersionSet (version_set.h), so the
// caller sees a v4 offer; the encoder advertises it when asked.
//
// The query may be followed by a human-readable explanation, kept as `text`.
#ifndef OTR_PROTOCOL_WIRE_QUERY_H_
#define OTR_PROTOCOL_WIRE_QUERY_H_

#include <string>
#include <string_view>

#include "base/result.h"
#include "protocol/wire/version_set.h"

namespace otr::wire {

inline constexpr std::string_view kQueryPrefix = "?OTR";

struct QueryMessage {
  VersionSet versions;
  std::string text;  // everything after the version string, verbatim

  friend bool operator==(const QueryMessage&, const QueryMessage&) = default;
};

// "?OTR" + ("?" if v1) + ("v" + digits + "?" when any other version is
// offered) + text. "?OTRv?" for the empty set; "?OTR?v?" for v1 alone when
// `text` starts with "v", so the explanation is never read as a version list.
std::string EncodeQuery(const QueryMessage& query);

// `text` must start with "?OTR" followed by "?" or "v" (kInvalidEncoding
// otherwise). After "?OTRv" the version list must end with "?"
// (kInvalidEncoding). After "?OTR?" a "v" without a closing "?" is taken as
// the start of the explanation: "?OTR?" alone is a complete v1 query.
// Unknown version identifiers are skipped.
Result<QueryMessage> DecodeQuery(std::string_view text);

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_QUERY_H_
