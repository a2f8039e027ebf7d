// The `otr` program's v4 keys and v4 trust records, beside libotr's files in
// the same store directory (docs/otr-cli.md, "Files"). libotr has no v4
// formats, so these two small text files are ours, one record a line, fields
// separated by tabs, '#' starting a comment line:
//
//   otr.v4_keys          ACCOUNT PROTOCOL SYM_H F [CLIENT_PROFILE]
//     SYM_H: the 57-byte symmetric key of the long-term key H (otrv4.md
//     "Public keys, Shared Prekeys, Forging keys and Fingerprints"), hex;
//     F: the forging public key, its 57-byte POINT encoding, hex (its secret
//     is never kept: "the forging key ... can be generated as a point
//     directly");
//     CLIENT_PROFILE: our signed Client Profile (CLIENT-PROF encoding), hex,
//     renewed by `otr chat` before it expires ("Client Profile Expiration
//     and Renewal").
//   otr.v4_fingerprints  USERNAME ACCOUNT PROTOCOL FINGERPRINT TRUST
//     FINGERPRINT: 112 lowercase hex digits (the 56-byte v4 fingerprint);
//     TRUST as in libotr's file (empty: unverified).
//   otr.v4_prekeys       ACCOUNT PROTOCOL profile EXPIRES PREKEY_PROFILE SK_D
//                        ACCOUNT PROTOCOL prekey EXPIRES ID TAG Y B
//     what the account published for offline conversations (otrv4.md
//     "Publishing Prekey Ensembles"; v4::PrekeyStore): our Prekey Profile
//     (PREKEY-PROF encoding, hex) with the secret of its shared prekey, and
//     the private values y (57 bytes) and b (80 bytes) of each Prekey
//     Message we published (ID and TAG in decimal), each usable until
//     EXPIRES (unix seconds). A Non-Interactive-Auth that arrives after a
//     restart is read with them; a used one is erased from the file.
//
// All three are written with mode 0600 like libotr's (keystore.h).
#ifndef OTR_TOOLS_KEYSTORE_V4_H_
#define OTR_TOOLS_KEYSTORE_V4_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/store/fingerprint.h"
#include "protocol/v4/engine/identity.h"
#include "protocol/wire/instance_tag.h"
#include "tools/outcome.h"

namespace otr::tools {

inline constexpr std::string_view kV4KeyFileName = "otr.v4_keys";
inline constexpr std::string_view kV4FingerprintFileName = "otr.v4_fingerprints";
inline constexpr std::string_view kV4PrekeyFileName = "otr.v4_prekeys";

struct V4KeyEntry {
  std::string account;
  std::string protocol;
  crypto::SecretBytes sym_h;        // 57 bytes
  crypto::Ed448Encoding forging{};  // F
  Bytes client_profile;             // encoded; empty: none yet
};

struct V4FingerprintEntry {
  std::string username;
  std::string account;
  std::string protocol;
  store::PeerFingerprint fingerprint;  // kV4Ed448
  std::string trust;
};

// One line of otr.v4_prekeys.
struct V4PrekeyEntry {
  enum class Kind { kProfile, kPrekey };
  std::string account;
  std::string protocol;
  Kind kind = Kind::kPrekey;
  int64_t expires = 0;
  Bytes prekey_profile;           // kProfile: encoded
  crypto::SecretBytes secret;     // kProfile: sk_d; kPrekey: y
  uint32_t identifier = 0;        // kPrekey
  uint32_t owner_tag = 0;         // kPrekey
  crypto::SecretBytes dh_secret;  // kPrekey: b
};

// Text of the files, both ways; a malformed line is an error naming it.
Outcome<std::vector<V4KeyEntry>> ParseV4Keys(std::string_view text);
crypto::SecretBytes WriteV4Keys(const std::vector<V4KeyEntry>& entries);
Outcome<std::vector<V4FingerprintEntry>> ParseV4Fingerprints(std::string_view text);
std::string WriteV4Fingerprints(const std::vector<V4FingerprintEntry>& entries);
Outcome<std::vector<V4PrekeyEntry>> ParseV4Prekeys(std::string_view text);
crypto::SecretBytes WriteV4Prekeys(const std::vector<V4PrekeyEntry>& entries);

// The files in `dir` (a missing file reads as empty).
Outcome<std::vector<V4KeyEntry>> LoadV4Keys(const std::string& dir);
Outcome<Done> SaveV4Keys(const std::string& dir, const std::vector<V4KeyEntry>& entries);
Outcome<std::vector<V4FingerprintEntry>> LoadV4Fingerprints(const std::string& dir);
Outcome<Done> SaveV4Fingerprints(const std::string& dir,
                                 const std::vector<V4FingerprintEntry>& entries);

Outcome<std::vector<V4PrekeyEntry>> LoadV4Prekeys(const std::string& dir);
Outcome<Done> SaveV4Prekeys(const std::string& dir, const std::vector<V4PrekeyEntry>& entries);

V4KeyEntry* FindV4Key(std::vector<V4KeyEntry>& entries, std::string_view account,
                      std::string_view protocol);

// A fresh long-term key and forging point (no profile yet).
Outcome<V4KeyEntry> GenerateV4Key(const crypto::Backend& backend, crypto::Random& random,
                                  std::string account, std::string protocol);

// The identity a Session uses: H from sym_h, F decoded, and the stored
// Client Profile when it belongs to `tag`, to these keys and is not due for
// renewal at `now`; otherwise a new one (versions "43" with the DSA key's
// Transitional Signature when `dsa` is given, else "4"), which is also put
// into `entry` (the caller saves it). `renewed` says which.
Outcome<v4::Identity> V4IdentityOf(const crypto::Backend& backend, V4KeyEntry& entry,
                                   wire::InstanceTag tag, const crypto::DsaPrivateKey* dsa,
                                   int64_t now, crypto::Random& random, bool* renewed);

// The v4 fingerprint of a stored key: HWC(usage_fingerprint || H || F, 56).
Outcome<store::PeerFingerprint> V4FingerprintOf(const crypto::Backend& backend,
                                                const V4KeyEntry& entry);

// Sets the trust of the entry, adding it if missing; whether anything changed.
bool SetV4FingerprintTrust(std::vector<V4FingerprintEntry>& entries, std::string_view username,
                           std::string_view account, std::string_view protocol,
                           const store::PeerFingerprint& fp, std::string_view trust);
V4FingerprintEntry* FindV4Fingerprint(std::vector<V4FingerprintEntry>& entries,
                                      std::string_view username, std::string_view account,
                                      std::string_view protocol, const store::PeerFingerprint& fp);

// A v4 fingerprint typed by a user: fourteen groups of eight hex digits
// (store::PeerFingerprintToHuman's form, any case) or 112 hex digits.
std::optional<store::PeerFingerprint> ParseUserV4Fingerprint(std::string_view text);

}  // namespace otr::tools

#endif  // OTR_TOOLS_KEYSTORE_V4_H_
