// Modular arithmetic over OpenSSL BIGNUMs, with the conventions of
// crypto/backend.h: big-endian inputs (leading zeros allowed), minimal
// big-endian outputs (zero is empty), an odd modulus m > 1 (kOutOfRange
// otherwise).
#ifndef OTR_CRYPTO_OPENSSL_BIGNUM_H_
#define OTR_CRYPTO_OPENSSL_BIGNUM_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/openssl/handles.h"
#include "crypto/secret_bytes.h"

namespace otr::crypto::openssl {

// Conversions. Every BIGNUM made here is wiped when freed (BnPtr); `secret`
// ones also get BN_FLG_CONSTTIME so OpenSSL takes its constant-time paths.
Result<BnPtr> BnFromBytes(ByteView big_endian, bool secret);
SecretBytes BnToSecret(const BIGNUM* n);
Bytes BnToBytes(const BIGNUM* n);
// kOutOfRange unless m is odd and greater than one.
Status CheckModulus(const BIGNUM* m);

Result<SecretBytes> ModExp(ByteView base, const SecretBytes& exponent, ByteView m);
Result<Bytes> ModExpPublic(ByteView base, ByteView exponent, ByteView m);
Result<int> JacobiPublic(ByteView a, ByteView n);
Result<SecretBytes> ModMul(ByteView a, ByteView b, ByteView m);
Result<SecretBytes> ModAdd(ByteView a, ByteView b, ByteView m);
Result<SecretBytes> ModSub(ByteView a, ByteView b, ByteView m);
Result<SecretBytes> ModInverse(ByteView a, ByteView m);
Result<SecretBytes> Mod(ByteView a, ByteView m);
// BN_cmp on unsigned big-endian values, without allocating.
int Compare(ByteView a, ByteView b);

}  // namespace otr::crypto::openssl

#endif  // OTR_CRYPTO_OPENSSL_BIGNUM_H_
