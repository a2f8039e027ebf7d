// libotr-ng's fingerprint (fingerprint.c, otrng_serialize_fingerprint), for
// the `libotr-ng` compatibility profile (issue 20;
// docs/libotr-ng-deviations.md #7): HWC(usage_fingerprint || ED448-PUBKEY ||
// ED448-FORGING-KEY, 56) with each key serialised whole, its big-endian
// type first (00 10 || H, 00 12 || F), where otrv4.md hashes the two
// 57-byte points alone. A user comparing fingerprints with a libotr-ng user
// (pidgin-otrng) compares these.
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_FINGERPRINT_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_FINGERPRINT_H_

#include "crypto/backend.h"
#include "protocol/v4/crypto/fingerprint.h"

namespace otr::v4::libotr_ng {

Fingerprint ComputeFingerprint(const crypto::Backend& backend, const crypto::Ed448Encoding& h,
                               const crypto::Ed448Encoding& f);

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_FINGERPRINT_H_
