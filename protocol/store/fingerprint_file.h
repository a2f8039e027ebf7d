// libotr's fingerprint store (libotr 4.1.1 privkey.c,
// otrl_privkey_write_fingerprints_FILEp / otrl_privkey_read_fingerprints_FILEp):
// one line per known fingerprint,
//   username TAB accountname TAB protocol TAB 40-hex-fingerprint TAB trust LF
// with lowercase hex and the trust possibly empty ("verified", "smp", ...).
// Text in, text out: reading and writing files is the caller's.
//
// Reading accepts what libotr's reader understands the same way (a line
// without the trust field, CR LF line ends, uppercase hex) and refuses what
// libotr would skip or cut silently: lines with too few fields or a bad
// fingerprint, a last line without LF, lines beyond libotr's buffer, NUL
// bytes, duplicate entries.
#ifndef OTR_PROTOCOL_STORE_FINGERPRINT_FILE_H_
#define OTR_PROTOCOL_STORE_FINGERPRINT_FILE_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "protocol/store/fingerprint.h"

namespace otr::store {

// libotr reads each line with fgets into a 1000-byte buffer: a line of more
// than 999 bytes (terminator included) would be split and misread.
inline constexpr size_t kMaxFingerprintLineSize = 999;

struct FingerprintEntry {
  std::string username;     // the buddy
  std::string accountname;  // our account
  std::string protocol;
  Fingerprint fingerprint{};
  std::string trust;  // empty: not trusted (libotr writes it empty, reads it absent as NULL)
  friend bool operator==(const FingerprintEntry&, const FingerprintEntry&) = default;
};

// Errors: kInvalidEncoding, kTruncated (last line without LF), kTooLarge.
Result<std::vector<FingerprintEntry>> ParseFingerprintFile(std::string_view text);

// Exactly as libotr writes the entries. kInvalidEncoding for a TAB, CR, LF or
// NUL in a name (or CR, LF, NUL in the trust); kTooLarge for a line above
// kMaxFingerprintLineSize.
Result<std::string> WriteFingerprintFile(std::span<const FingerprintEntry> entries);

}  // namespace otr::store

#endif  // OTR_PROTOCOL_STORE_FINGERPRINT_FILE_H_
