// Public key fingerprints (otr v3 spec, "Public keys, signatures, and
// fingerprints"): the SHA-1 hash of the PUBKEY encoding, without its two
// leading type bytes for DSA (type 0x0000) "for backwards compatibility".
#ifndef OTR_PROTOCOL_STORE_FINGERPRINT_H_
#define OTR_PROTOCOL_STORE_FINGERPRINT_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"

namespace otr::store {

inline constexpr size_t kFingerprintSize = 20;  // SHA-1
using Fingerprint = std::array<uint8_t, kFingerprintSize>;

// p, q, g, y as MPIs: the hashed bytes.
Bytes FingerprintInput(const crypto::DsaPublicKey& key);
Fingerprint ComputeFingerprint(const crypto::Backend& backend, const crypto::DsaPublicKey& key);

// Five groups of eight uppercase hex digits separated by spaces, as libotr's
// otrl_privkey_hash_to_human ("97EC7E68 AAD28882 FE00BD82 E9C4E48C CEBB65BD").
std::string FingerprintToHuman(const Fingerprint& fp);
// The inverse; kInvalidEncoding unless exactly that form (either case).
Result<Fingerprint> FingerprintFromHuman(std::string_view text);

// 40 lowercase hex digits, as in libotr's fingerprints file.
std::string FingerprintToHex(const Fingerprint& fp);
// kInvalidEncoding unless exactly 40 hex digits (either case).
Result<Fingerprint> FingerprintFromHex(std::string_view text);

}  // namespace otr::store

#endif  // OTR_PROTOCOL_STORE_FINGERPRINT_H_
