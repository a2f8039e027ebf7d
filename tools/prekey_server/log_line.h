// Structured logs of the prekey server program: one line per event on
// stderr, `ts=<unix seconds> event=<name> key=value ...`. Values with
// spaces, quotes or '=' are double-quoted; control characters and
// non-ASCII bytes are escaped (\xHH) so a peer's JID cannot forge lines.
// Never given secrets (keys, the component secret, message bodies).
#ifndef OTR_TOOLS_PREKEY_SERVER_LOG_LINE_H_
#define OTR_TOOLS_PREKEY_SERVER_LOG_LINE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otr::prekey_server {

using LogFields = std::vector<std::pair<std::string_view, std::string>>;

std::string FormatLogLine(int64_t now, std::string_view event, const LogFields& fields);
void Log(std::string_view event, const LogFields& fields = {});

}  // namespace otr::prekey_server

#endif  // OTR_TOOLS_PREKEY_SERVER_LOG_LINE_H_
