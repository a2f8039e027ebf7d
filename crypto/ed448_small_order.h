// The four points of small order on Ed448 (the 4-torsion: the identity
// (0, 1), (0, -1) of order 2, and (±1, 0) of order 4), by their canonical
// RFC 8032 encodings. Both backends refuse them as EdDSA public keys: with
// such a key A, [S]B = R + [k]A no longer depends on the message in any way
// a signer must prove, and libgcrypt 1.10 aborts the process when handed
// the identity as a key ("mulm_448: different sizes").
#ifndef OTR_CRYPTO_ED448_SMALL_ORDER_H_
#define OTR_CRYPTO_ED448_SMALL_ORDER_H_

#include "base/bytes.h"

namespace otr::crypto {

// True when `encoded` (57 bytes) is the canonical encoding of one of the
// four small-order points.
bool IsEd448SmallOrderEncoding(ByteView encoded);

}  // namespace otr::crypto

#endif  // OTR_CRYPTO_ED448_SMALL_ORDER_H_
