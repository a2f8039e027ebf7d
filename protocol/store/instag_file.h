// libotr's instance-tag file (libotr 4.1.1 instag.c, otrl_instag_read_FILEp /
// otrl_instag_write_FILEp; Pidgin's ~/.purple/otr.instance_tags, irssi's
// ~/.irssi/otr/otr.instag): a comment line, then one line per account,
//   accountname TAB protocol TAB instag LF
// with the instance tag (otr v3 spec, "Instance Tags") as 8 lowercase hex
// digits. A client keeps its tag across restarts so that a peer's Data
// Messages, addressed to that tag, still reach it after a restart.
// Text in, text out: reading and writing files is the caller's.
//
// Reading, libotr's way where libotr means it:
// - a line without a TAB is a comment and skipped (libotr writes its warning
//   line so, "ignored when read back in, since there are no tabs");
// - a line whose tag is below 0x100 (kMinInstanceTag; 0 and the reserved
//   meta tags) is skipped, as otrl_instag_read does: the account then has no
//   stored tag and its client chooses a new one;
// - CR LF line ends and uppercase hex are accepted.
// and refusing what libotr would skip or cut silently by accident: a line
// with one TAB only, a tag that is not exactly 8 hex digits (libotr's
// sscanf would take "+0000abc" or "fff\tabcd"), a CR inside a line, NUL
// bytes, a last line without LF, lines beyond libotr's 1000-byte buffer,
// and an account given twice (libotr would keep both and use the later).
#ifndef OTR_PROTOCOL_STORE_INSTAG_FILE_H_
#define OTR_PROTOCOL_STORE_INSTAG_FILE_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "protocol/wire/instance_tag.h"

namespace otr::store {

// libotr reads each line with fgets into a 1000-byte buffer: a line of more
// than 999 bytes (terminator included) would be split and misread.
inline constexpr size_t kMaxInstagLineSize = 999;

// The first line libotr writes (and skips when reading: no TAB).
inline constexpr std::string_view kInstagFileComment =
    "# WARNING! You shouldn't copy this file to another computer. It is unnecessary and can "
    "cause problems.\n";

struct InstagEntry {
  std::string accountname;  // our account
  std::string protocol;
  wire::InstanceTag instag = wire::kNoInstanceTag;  // >= wire::kMinInstanceTag
  friend bool operator==(const InstagEntry&, const InstagEntry&) = default;
};

// The entries in file order. Errors: kInvalidEncoding, kTruncated (last line
// without LF), kTooLarge (a line above kMaxInstagLineSize).
Result<std::vector<InstagEntry>> ParseInstagFile(std::string_view text);

// Exactly as libotr writes the entries: kInstagFileComment, then one line per
// entry in the order given. kInvalidEncoding for a TAB, CR, LF or NUL in a
// name or an account given twice; kInvalidInstanceTag for a tag below
// wire::kMinInstanceTag; kTooLarge for a line above kMaxInstagLineSize.
Result<std::string> WriteInstagFile(std::span<const InstagEntry> entries);

}  // namespace otr::store

#endif  // OTR_PROTOCOL_STORE_INSTAG_FILE_H_
