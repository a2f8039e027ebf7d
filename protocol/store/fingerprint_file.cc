#include "protocol/store/fingerprint_file.h"

#include "protocol/store/tab_lines.h"

namespace otr::store {
namespace {

Error Invalid(std::string_view context) { return MakeError(ErrorCode::kInvalidEncoding, context); }

bool Contains(std::string_view s, std::string_view chars) {
  return s.find_first_of(chars) != std::string_view::npos;
}

constexpr std::string_view kNul("\0", 1);

Result<FingerprintEntry> ParseLine(std::string_view line) {
  if (Contains(line, kNul)) return Invalid("NUL in fingerprint file");
  if (Contains(line, "\r")) return Invalid("CR inside a fingerprint line");
  std::string_view rest = line, username, accountname, protocol, hex;
  if (!TakeField(rest, username) || !TakeField(rest, accountname) || !TakeField(rest, protocol)) {
    return Invalid("fingerprint line with too few fields");
  }
  std::string_view trust;
  if (!TakeField(rest, hex)) {
    hex = rest;  // no trust field: libotr reads it as NULL, i.e. untrusted
  } else {
    trust = rest;  // the rest of the line, tabs included, as libotr reads it
  }
  OTR_ASSIGN_OR_RETURN(Fingerprint fp, FingerprintFromHex(hex));
  return FingerprintEntry{std::string(username), std::string(accountname), std::string(protocol),
                          fp, std::string(trust)};
}

}  // namespace

Result<std::vector<FingerprintEntry>> ParseFingerprintFile(std::string_view text) {
  std::vector<FingerprintEntry> entries;
  while (!text.empty()) {
    OTR_ASSIGN_OR_RETURN(std::string_view line, TakeLine(text, kMaxFingerprintLineSize));
    OTR_ASSIGN_OR_RETURN(FingerprintEntry entry, ParseLine(line));
    // The line as we (and libotr) write it must fit too: a line without the
    // trust field gains a TAB.
    size_t written_size = entry.username.size() + entry.accountname.size() + entry.protocol.size() +
                          2 * kFingerprintSize + entry.trust.size() + 5;
    if (written_size > kMaxFingerprintLineSize) {
      return MakeError(ErrorCode::kTooLarge, "fingerprint line longer than libotr reads");
    }
    for (const FingerprintEntry& other : entries) {
      if (other.username == entry.username && other.accountname == entry.accountname &&
          other.protocol == entry.protocol && other.fingerprint == entry.fingerprint) {
        return Invalid("fingerprint given twice");
      }
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::string> WriteFingerprintFile(std::span<const FingerprintEntry> entries) {
  std::string out;
  for (const FingerprintEntry& e : entries) {
    constexpr std::string_view kBadInName("\t\r\n\0", 4);
    constexpr std::string_view kBadInTrust("\r\n\0", 3);
    if (Contains(e.username, kBadInName) || Contains(e.accountname, kBadInName) ||
        Contains(e.protocol, kBadInName) || Contains(e.trust, kBadInTrust)) {
      return Invalid("character that the fingerprint file cannot hold");
    }
    std::string line = e.username + '\t' + e.accountname + '\t' + e.protocol + '\t' +
                       FingerprintToHex(e.fingerprint) + '\t' + e.trust + '\n';
    if (line.size() > kMaxFingerprintLineSize) {
      return MakeError(ErrorCode::kTooLarge, "fingerprint line longer than libotr reads");
    }
    out += line;
  }
  return out;
}

}  // namespace otr::store
