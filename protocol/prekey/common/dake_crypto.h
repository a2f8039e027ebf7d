// The cryptography of the DAKEZ between a publisher and the prekey server and
// of the MACs that follow it (otr-v4-prekey-server.md, "Shared Session
// State", "Prekey Server Composite Identity", "Shared Secrets", "Key
// Exchange", "DAKE-2 Message", "DAKE-3 Message", the MACs of "Prekey
// Publication Message" .. "Failure Message"). Both sides use these: the
// client (protocol/prekey/client) and the server core (protocol/prekey/server).
//
// Readings (docs/decisions/0012-prekey-server-readings.md):
//   - phi = DATA(publisher's identity) || DATA(server's identity), the
//     publisher first, as the spec's XMPP section writes it ("phi =
//     DATA("alice@xmpp.org") || DATA("prekey.xmpp.org")"); libotr-ng too.
//   - t = 0x00 (DAKE-2) or 0x01 (DAKE-3) || KDF(usage_*_client_profile,
//     CLIENT-PROF encoding, 64) || KDF(usage_*_prekey_composite_identity,
//     PREKEY-SERVER-COMP-ID encoding, 64) || I || S (POINTs) ||
//     KDF(usage_*_prekey_composite_PHI, phi, 64).
//   - DAKE-2's ring is {H_a, H_s, I} signed by the server with sk_s; DAKE-3's
//     is {H_a, H_s, S} signed by the publisher with sk_a; both hash c with
//     "OTR-Prekey-Server" and its usage_auth (v4::kPrekeyServerRing).
//   - SK_ecdh multiplies the peer's point by the cofactor 4 first, as this
//     spec's "Generating Shared Secrets" writes (OTRv4's ECDH does not).
//   - The Prekey MAC always has KDF(usage_prekey_message, Prekey Messages, 64)
//     (over the empty string when N = 0) and KDF(usage_mac_proofs, Proofs,
//     64) inside the MAC; the profiles' KDFs only when present.
#ifndef OTR_PROTOCOL_PREKEY_COMMON_DAKE_CRYPTO_H_
#define OTR_PROTOCOL_PREKEY_COMMON_DAKE_CRYPTO_H_

#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/secret_bytes.h"
#include "protocol/prekey/messages/messages.h"
#include "protocol/v4/messages/data_types.h"

namespace otr::prekey {

inline constexpr size_t kSharedSecretSize = 64;  // SK
inline constexpr size_t kPrekeyMacKeySize = 64;  // prekey_mac_k

// phi = DATA(publisher identity) || DATA(server identity).
Bytes ServerDakePhi(std::string_view publisher_identity, std::string_view server_identity);

enum class DakeTranscript : uint8_t { kDake2 = 0x00, kDake3 = 0x01 };

// t of DAKE-2 or DAKE-3; the profile and identity as their encodings.
Bytes ServerDakeT(const crypto::Backend& backend, DakeTranscript which,
                  ByteView client_profile_encoding, ByteView composite_identity_encoding,
                  const v4::Point& i, const v4::Point& s, ByteView phi);

// SK = KDF(usage_SK, ECDH(secret, their), 64) with this spec's ECDH
// ("Generating Shared Secrets": "B = B * cofactor", then SK_ecdh = a * B as
// a POINT); kIdentityPoint for the all-zero SK_ecdh. libotr-ng leaves out
// the cofactor (docs/libotr-ng-deviations.md).
Result<crypto::SecretBytes> ServerDakeSharedSecret(const crypto::Backend& backend,
                                                   const crypto::SecretBytes& our_secret,
                                                   const crypto::Ed448Point& their_public);

// prekey_mac_k = KDF(usage_preMAC_key, SK, 64).
crypto::SecretBytes PrekeyMacKey(const crypto::Backend& backend, const crypto::SecretBytes& sk);

// The MACs, each KDF(usage_X, prekey_mac_k || input, 64).
v4::Mac PrekeyPublicationMac(const crypto::Backend& backend, const crypto::SecretBytes& mac_key,
                             const PrekeyPublicationMacParts& parts);
v4::Mac StorageInformationMac(const crypto::Backend& backend, const crypto::SecretBytes& mac_key);
v4::Mac StorageStatusMac(const crypto::Backend& backend, const crypto::SecretBytes& mac_key,
                         const StorageStatus& m);
v4::Mac SuccessMac(const crypto::Backend& backend, const crypto::SecretBytes& mac_key,
                   const Success& m);
v4::Mac FailureMac(const crypto::Backend& backend, const crypto::SecretBytes& mac_key,
                   const Failure& m);

// Constant-time comparison of two MACs.
bool MacEqual(const v4::Mac& a, const v4::Mac& b);

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_COMMON_DAKE_CRYPTO_H_
