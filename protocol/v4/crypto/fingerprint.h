// OTRv4 fingerprints (otrv4.md, "Public keys, Shared Prekeys, Forging keys
// and Fingerprints"):
//
//   HWC(usage_fingerprint || byte(H) || byte(F), 56)
//
// H is the long-term public key and F the forging public key, both points;
// byte(x) is "the byte representation of a value x" (otrv4.md, "Notation"),
// for a point its POINT encoding (57 bytes). The 2-byte type codes of
// ED448-PUBKEY / ED448-FORGING-KEY are not part of byte(H) and byte(F): the
// formula hashes H and F, and H and F are the POINT fields of those types.
// (libotr-ng's otrng_serialize_fingerprint hashes the whole ED448-PUBKEY
// and ED448-FORGING-KEY, type included, 59 bytes each: a difference from
// the spec, for docs/libotr-ng-deviations.md.)
//
// The prekey server's fingerprint (otr-v4-prekey-server.md, "Public keys
// and Fingerprints") is KDF_1(usage_fingerprint, byte(H), 56) with OTRv4's
// KDF, over its long-term key H alone.
//
// The human form is that of store::PeerFingerprintToHuman for kV4Ed448:
// fourteen groups of eight uppercase hex digits separated by spaces, as
// libotr-ng's otrng_fingerprint_hash_to_human and libotr's v3 form.
#ifndef OTR_PROTOCOL_V4_CRYPTO_FINGERPRINT_H_
#define OTR_PROTOCOL_V4_CRYPTO_FINGERPRINT_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "crypto/backend.h"
#include "protocol/store/fingerprint.h"

namespace otr::v4 {

inline constexpr size_t kFingerprintSize = store::kV4FingerprintSize;  // 56
using Fingerprint = std::array<uint8_t, kFingerprintSize>;

Fingerprint ComputeFingerprint(const crypto::Backend& backend, const crypto::Ed448Point& h,
                               const crypto::Ed448Point& f);
Fingerprint ComputePrekeyServerFingerprint(const crypto::Backend& backend,
                                           const crypto::Ed448Point& h);

// The trust records' form (store::FingerprintKind::kV4Ed448).
store::PeerFingerprint ToPeerFingerprint(const Fingerprint& fp);

// "8 hex digits" x 14, space-separated, uppercase: 125 characters.
std::string FingerprintToHuman(const Fingerprint& fp);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_CRYPTO_FINGERPRINT_H_
