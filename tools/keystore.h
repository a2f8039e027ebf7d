// The `otr` program's key store: libotr's private-key, fingerprint and
// instance-tag files (protocol/store parses and writes their text; this file
// does the file I/O) in a per-user directory, so Pidgin's
// ~/.purple/otr.private_key, otr.fingerprints and otr.instance_tags, or
// irssi's otr.key, otr.fp and otr.instag, can be used as they are.
//
// Files are written with mode 0600 whatever the umask, through a temporary
// file in the same directory that is then renamed (or linked, when an
// existing file must not be replaced), so a crash never leaves half a file.
#ifndef OTR_TOOLS_KEYSTORE_H_
#define OTR_TOOLS_KEYSTORE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "protocol/store/fingerprint.h"
#include "protocol/store/fingerprint_file.h"
#include "protocol/store/instag_file.h"
#include "protocol/store/privkey_file.h"
#include "tools/outcome.h"

namespace otr::tools {

// Pidgin's file names (libotr's defaults in pidgin-otr).
inline constexpr std::string_view kPrivateKeyFileName = "otr.private_key";
inline constexpr std::string_view kFingerprintFileName = "otr.fingerprints";
// Our instance tag per account, kept so that a restart keeps it (pidgin-otr's
// INSTAGFNAME; libotr's format, store/instag_file.h).
inline constexpr std::string_view kInstagFileName = "otr.instance_tags";
// Pidgin's protocol id for IRC accounts; accounts are "nick@server" there.
inline constexpr std::string_view kDefaultProtocol = "prpl-irc";
// The trust word libotr front ends write for a manually verified key, and
// the one libotr writes after a successful SMP.
inline constexpr std::string_view kTrustVerified = "verified";
inline constexpr std::string_view kTrustSmp = "smp";

// $XDG_CONFIG_HOME/otr if that is set and absolute, else $HOME/.config/otr;
// nullopt when neither is usable. The arguments are the environment values
// (nullptr when unset).
std::optional<std::string> DefaultDir(const char* xdg_config_home, const char* home);
// The same from the process environment.
std::optional<std::string> DefaultDirFromEnvironment();

struct StorePaths {
  std::string dir;
  std::string private_key;
  std::string fingerprints;
  std::string instance_tags;
  static StorePaths In(const std::string& dir);
};

// The whole file; nullopt if it does not exist.
Outcome<std::optional<crypto::SecretBytes>> ReadPrivateFile(const std::string& path);
// Writes `data` with mode 0600, creating the directory (0700) if needed. An
// existing file is replaced only when `replace`; otherwise that is a failure.
Outcome<Done> WritePrivateFile(const std::string& path, ByteView data, bool replace);

// The files of a store; a missing file reads as empty.
Outcome<store::PrivateKeyFile> LoadKeys(const std::string& path);
Outcome<std::vector<store::FingerprintEntry>> LoadFingerprints(const std::string& path);
Outcome<std::vector<store::InstagEntry>> LoadInstags(const std::string& path);
Outcome<Done> SaveKeys(const std::string& path, const store::PrivateKeyFile& keys, bool replace);
Outcome<Done> SaveFingerprints(const std::string& path,
                               const std::vector<store::FingerprintEntry>& entries, bool replace);
Outcome<Done> SaveInstags(const std::string& path, const std::vector<store::InstagEntry>& entries,
                          bool replace);

const store::PrivateKeyEntry* FindKey(const store::PrivateKeyFile& keys, std::string_view account,
                                      std::string_view protocol);

// The key of `account` (with `protocol`); with an empty `account`, the only
// key of that protocol in the file. Failures say which accounts there are.
Outcome<const store::PrivateKeyEntry*> ChooseKey(const store::PrivateKeyFile& keys,
                                                 std::string_view account,
                                                 std::string_view protocol);

// Our stored instance tag for the account, or nullptr.
const store::InstagEntry* FindInstag(const std::vector<store::InstagEntry>& entries,
                                     std::string_view account, std::string_view protocol);

// The entry for this peer key of our account, or nullptr.
store::FingerprintEntry* FindFingerprint(std::vector<store::FingerprintEntry>& entries,
                                         std::string_view username, std::string_view account,
                                         std::string_view protocol, const store::Fingerprint& fp);
// Sets the trust of the entry, adding it if missing (as libotr records every
// fingerprint it sees). Returns whether anything changed.
bool SetFingerprintTrust(std::vector<store::FingerprintEntry>& entries, std::string_view username,
                         std::string_view account, std::string_view protocol,
                         const store::Fingerprint& fp, std::string_view trust);

// Adds `from` to `into`. An entry of `from` with the same key as one of
// `into` (account and protocol for keys and instance tags; user, account,
// protocol and fingerprint for fingerprints) but different content is a
// conflict: it is taken only when `replace`.
struct MergeCounts {
  int added = 0;
  int same = 0;
  int replaced = 0;
  int conflicts = 0;  // left as they were (not `replace`)
};
MergeCounts MergeKeys(store::PrivateKeyFile& into, const store::PrivateKeyFile& from, bool replace);
MergeCounts MergeFingerprints(std::vector<store::FingerprintEntry>& into,
                              const std::vector<store::FingerprintEntry>& from, bool replace);
MergeCounts MergeInstags(std::vector<store::InstagEntry>& into,
                         const std::vector<store::InstagEntry>& from, bool replace);

// A fingerprint typed by a user: libotr's human form (five groups of eight,
// any case; also without the spaces) or 40 hex digits.
std::optional<store::Fingerprint> ParseUserFingerprint(std::string_view text);

}  // namespace otr::tools

#endif  // OTR_TOOLS_KEYSTORE_H_
