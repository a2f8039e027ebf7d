// The prekey server's long-term key (otr-v4-prekey-server.md, "Key
// Management": the server's long-term Ed448 key H_s, whose fingerprint
// clients learn out of band, for XMPP through disco#items). The file holds
// sym_key (57 bytes) as 114 hex digits and a newline, mode 0600; the key
// pair is derived from it (v4::DeriveEd448KeyPair). LoadOrCreateKey makes a
// new key when the file does not exist and never overwrites one.
#ifndef OTR_TOOLS_PREKEY_SERVER_KEY_FILE_H_
#define OTR_TOOLS_PREKEY_SERVER_KEY_FILE_H_

#include <string>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/keys.h"

namespace otr::prekey_server {

// kInvalidEncoding for a malformed file, kBackendFailure when it cannot be
// read or written; *created tells whether a new key was made.
Result<v4::Ed448KeyPair> LoadOrCreateKey(const crypto::Backend& backend, crypto::Random& random,
                                         const std::string& path, bool* created);

// The file's text: 114 hex digits (either case) and a newline, nothing
// else (kInvalidEncoding), to the key pair; and the text LoadOrCreateKey
// writes for `sym_key` (57 bytes), uppercase. fuzz/prekey_key_file_fuzzer.
Result<v4::Ed448KeyPair> ParseKeyFile(const crypto::Backend& backend, ByteView text);
crypto::SecretBytes FormatKeyFile(const crypto::SecretBytes& sym_key);

// The 112 uppercase hex digits of the fingerprint (the disco item's name).
std::string FingerprintHex(const crypto::Backend& backend, const v4::Ed448KeyPair& key);

}  // namespace otr::prekey_server

#endif  // OTR_TOOLS_PREKEY_SERVER_KEY_FILE_H_
