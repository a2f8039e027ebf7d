#include "protocol/store/instag_file.h"

#include <set>
#include <utility>

#include "protocol/store/tab_lines.h"

namespace otr::store {
namespace {

Error Invalid(std::string_view context) { return MakeError(ErrorCode::kInvalidEncoding, context); }

bool Contains(std::string_view s, std::string_view chars) {
  return s.find_first_of(chars) != std::string_view::npos;
}

constexpr std::string_view kNul("\0", 1);
constexpr size_t kInstagHexDigits = 8;  // libotr: "%08x", and "hex str of length 8"

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<wire::InstanceTag> TagFromHex(std::string_view hex) {
  if (hex.size() != kInstagHexDigits) return Invalid("instance tag not 8 hex digits");
  wire::InstanceTag tag = 0;
  for (char c : hex) {
    const int v = HexValue(c);
    if (v < 0) return Invalid("instance tag not 8 hex digits");
    tag = (tag << 4) | static_cast<wire::InstanceTag>(v);
  }
  return tag;
}

std::string TagToHex(wire::InstanceTag tag) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(kInstagHexDigits, '0');
  for (size_t i = kInstagHexDigits; i-- > 0; tag >>= 4) hex[i] = kHex[tag & 0xf];
  return hex;
}

using AccountKey = std::pair<std::string_view, std::string_view>;

}  // namespace

Result<std::vector<InstagEntry>> ParseInstagFile(std::string_view text) {
  std::vector<InstagEntry> entries;
  // Views into `text`, so the duplicate check costs O(n log n), not O(n^2).
  std::set<AccountKey> seen;
  while (!text.empty()) {
    OTR_ASSIGN_OR_RETURN(std::string_view line, TakeLine(text, kMaxInstagLineSize));
    if (Contains(line, kNul)) return Invalid("NUL in instance tag file");
    if (Contains(line, "\r")) return Invalid("CR inside an instance tag line");
    std::string_view rest = line, accountname, protocol;
    if (!TakeField(rest, accountname)) continue;  // no TAB: a comment, as libotr's first line
    if (!TakeField(rest, protocol)) return Invalid("instance tag line with too few fields");
    OTR_ASSIGN_OR_RETURN(wire::InstanceTag tag, TagFromHex(rest));
    // libotr: "if (instag < OTRL_MIN_VALID_INSTAG) ... continue;" -- the line
    // is skipped, and so the account has no tag (see the header).
    if (tag < wire::kMinInstanceTag) continue;
    if (!seen.emplace(accountname, protocol).second) {
      return Invalid("account given twice in the instance tag file");
    }
    entries.push_back(InstagEntry{std::string(accountname), std::string(protocol), tag});
  }
  return entries;
}

Result<std::string> WriteInstagFile(std::span<const InstagEntry> entries) {
  std::string out(kInstagFileComment);
  std::set<AccountKey> seen;
  for (const InstagEntry& e : entries) {
    constexpr std::string_view kBadInName("\t\r\n\0", 4);
    if (Contains(e.accountname, kBadInName) || Contains(e.protocol, kBadInName)) {
      return Invalid("character that the instance tag file cannot hold");
    }
    if (e.instag < wire::kMinInstanceTag) {
      return MakeError(ErrorCode::kInvalidInstanceTag, "instance tag below 0x100");
    }
    if (!seen.emplace(e.accountname, e.protocol).second) {
      return Invalid("account given twice in the instance tag file");
    }
    std::string line = e.accountname + '\t' + e.protocol + '\t' + TagToHex(e.instag) + '\n';
    if (line.size() > kMaxInstagLineSize) {
      return MakeError(ErrorCode::kTooLarge, "instance tag line longer than libotr reads");
    }
    out += line;
  }
  return out;
}

}  // namespace otr::store
