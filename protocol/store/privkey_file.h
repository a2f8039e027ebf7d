// libotr's private-key file (libotr 4.1.1 privkey.c; the OTR specs leave key
// storage to implementations):
//   (privkeys
//    (account
//   (name "alice@example.com")
//   (protocol prpl-jabber)
//   (private-key
//    (dsa
//     (p #00C0EF...#) (q #...#) (g #...#) (y #...#) (x #...#) )))
// with the exact whitespace that libotr and libgcrypt write (see the
// writer). Text in, text out: reading and writing files is the caller's.
//
// Reading is as tolerant as libotr where the file's syntax varies (every atom
// form of libgcrypt's advanced format, any whitespace, the children of
// account and dsa in any order, numbers with or without a sign byte) and
// strict elsewhere: each child exactly once, nothing unknown, no duplicate
// accounts, no NUL in names.
#ifndef OTR_PROTOCOL_STORE_PRIVKEY_FILE_H_
#define OTR_PROTOCOL_STORE_PRIVKEY_FILE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"

namespace otr::store {

// FIPS 186-4's largest DSA sizes: p of 3072 bits, q of 256 bits. libotr
// makes 1024/160 keys; the bound keeps hostile files from reaching the
// arithmetic with huge numbers.
inline constexpr size_t kMaxDsaPSize = 3072 / 8;
inline constexpr size_t kMaxDsaQSize = 256 / 8;

struct PrivateKeyEntry {
  std::string account_name;
  std::string protocol;
  crypto::DsaPrivateKey key;  // numbers minimal big-endian
};

struct PrivateKeyFile {
  std::vector<PrivateKeyEntry> accounts;  // in file order
};

// Errors: kInvalidEncoding (syntax, structure, duplicates), kTruncated,
// kTrailingBytes, kTooLarge (numbers or nesting beyond the bounds),
// kUnknownType (a key that is not DSA).
Result<PrivateKeyFile> ParsePrivateKeyFile(std::string_view text);

// The file exactly as libotr 4.1.1 writes it for these accounts (names must
// hold no NUL: kInvalidEncoding). The text holds the secret keys.
Result<crypto::SecretBytes> WritePrivateKeyFile(const PrivateKeyFile& file);

}  // namespace otr::store

#endif  // OTR_PROTOCOL_STORE_PRIVKEY_FILE_H_
