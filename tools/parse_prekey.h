// `otr parse` for the prekey-server protocol (otr-v4-prekey-server.md):
// its messages travel as bare base64 and "." ("Encoded Messages": no "?OTR:"
// prefix), so they are recognised before the OTR classification.
#ifndef OTR_TOOLS_PARSE_PREKEY_H_
#define OTR_TOOLS_PARSE_PREKEY_H_

#include <string_view>

namespace otr::tools {

// When `text` is base64 and "." decoding to a version-4 message of a
// prekey-server type, prints its fields (and those of a DAKE-3's attached
// message) and returns the exit status: 0 valid, 1 malformed. Returns -1
// when `text` is not a prekey-server message, printing nothing.
int ParsePrekeyServerMessage(std::string_view text);

}  // namespace otr::tools

#endif  // OTR_TOOLS_PARSE_PREKEY_H_
