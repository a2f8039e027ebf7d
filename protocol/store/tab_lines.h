// The line and field layout libotr's text files share (fingerprints,
// instance tags): LF-terminated lines, fields separated by TABs.
#ifndef OTR_PROTOCOL_STORE_TAB_LINES_H_
#define OTR_PROTOCOL_STORE_TAB_LINES_H_

#include <cstddef>
#include <string_view>

#include "base/result.h"

namespace otr::store {

// Takes the next line off `text` (without its LF, and without a CR before
// it). kTruncated when the last line has no LF; kTooLarge when a line with
// its LF is longer than `max_line_size` (what libotr reads in one go).
inline Result<std::string_view> TakeLine(std::string_view& text, size_t max_line_size) {
  const size_t lf = text.find('\n');
  if (lf == std::string_view::npos) {
    return MakeError(ErrorCode::kTruncated, "last line of a libotr text file without LF");
  }
  if (lf + 1 > max_line_size) {
    return MakeError(ErrorCode::kTooLarge, "line longer than libotr reads");
  }
  std::string_view line = text.substr(0, lf);
  text = text.substr(lf + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Splits `rest` at its first TAB into `field` and what follows; false if
// there is none (nothing changes then).
inline bool TakeField(std::string_view& rest, std::string_view& field) {
  const size_t tab = rest.find('\t');
  if (tab == std::string_view::npos) return false;
  field = rest.substr(0, tab);
  rest = rest.substr(tab + 1);
  return true;
}

}  // namespace otr::store

#endif  // OTR_PROTOCOL_STORE_TAB_LINES_H_
