// Public key fingerprints (otr v3 spec, "Public keys, signatures, and
// fingerprints"): the SHA-1 hash of the PUBKEY encoding, without its two
// leading type bytes for DSA (type 0x0000) "for backwards compatibility".
#ifndef OTR_PROTOCOL_STORE_FINGERPRINT_H_
#define OTR_PROTOCOL_STORE_FINGERPRINT_H_

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/inline_bytes.h"
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

// A peer's fingerprint of any version, as trust records keep them: v3
// fingerprints are 20 bytes of SHA-1 of the DSA key; v4 fingerprints
// (v4 spec, "Fingerprints") are 56 bytes of SHAKE-256 of the long-term and
// forging keys. Trust is recorded per fingerprint, each kind on its own.
enum class FingerprintKind { kV3Dsa, kV4Ed448 };
inline constexpr size_t kV4FingerprintSize = 56;

struct PeerFingerprint {
  // At most kV4FingerprintSize bytes, held inside the object: a fingerprint
  // is made for every conversation that goes secure and looked up in the
  // trust records, with no heap allocation. `b` must fit (a longer one is a
  // bug of the caller, which checks the size it parsed, and aborts).
  using Storage = InlineBytes<kV4FingerprintSize>;

  PeerFingerprint() = default;
  PeerFingerprint(FingerprintKind k, ByteView b) : kind(k), bytes(b) {}
  // A v3 fingerprint converts implicitly: trust records of v3 callers read
  // as before.
  PeerFingerprint(const Fingerprint& fp)  // NOLINT(google-explicit-constructor)
      : kind(FingerprintKind::kV3Dsa), bytes(ByteView(fp)) {}

  FingerprintKind kind = FingerprintKind::kV3Dsa;
  Storage bytes;  // kFingerprintSize or kV4FingerprintSize bytes

  static PeerFingerprint V3(const Fingerprint& fp) { return PeerFingerprint(fp); }
  // The v3 fingerprint, when it is one.
  std::optional<Fingerprint> AsV3() const;
  // By kind, then the bytes in lexicographic order (trust records are
  // ordered maps keyed by fingerprint).
  friend std::strong_ordering operator<=>(const PeerFingerprint& a, const PeerFingerprint& b);
  friend bool operator==(const PeerFingerprint& a, const PeerFingerprint& b) {
    return a.kind == b.kind && a.bytes == b.bytes;
  }
};

// The human form of either kind: v3 as FingerprintToHuman; v4 as groups of
// eight hex digits.
std::string PeerFingerprintToHuman(const PeerFingerprint& fp);

// 40 lowercase hex digits, as in libotr's fingerprints file.
std::string FingerprintToHex(const Fingerprint& fp);
// kInvalidEncoding unless exactly 40 hex digits (either case).
Result<Fingerprint> FingerprintFromHex(std::string_view text);

}  // namespace otr::store

#endif  // OTR_PROTOCOL_STORE_FINGERPRINT_H_
