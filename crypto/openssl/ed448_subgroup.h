// The subgroup check of Ed448 point validation (otrv4.md "Verifying that a
// point is on the curve": q·P = identity) without a scalar multiplication:
// one square root and one Legendre symbol on the y-coordinate, over OpenSSL
// BIGNUMs. The criterion and its proof are in
// docs/decisions/0004-decaf-isogeny.md ("The subgroup check").
#ifndef OTR_CRYPTO_OPENSSL_ED448_SUBGROUP_H_
#define OTR_CRYPTO_OPENSSL_ED448_SUBGROUP_H_

#include "crypto/backend.h"

namespace otr::crypto::openssl {

// For the canonical encoding of a point P on Ed448 with y != 1 and y != -1
// (the caller has checked all of that): true iff q·P is the identity, that
// is iff P is in 4·E (E = Z/4 x Z/q). Public values, variable time.
bool InPrimeOrderSubgroup(const Ed448Encoding& encoded);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_ED448_SUBGROUP_H_
