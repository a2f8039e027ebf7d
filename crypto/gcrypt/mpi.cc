#include "crypto/gcrypt/mpi.h"

#include <gcrypt.h>

#include <utility>

#include "crypto/gcrypt/fixed_base.h"
#include "crypto/gcrypt/init.h"
#include "crypto/gcrypt/modexp.h"
#include "crypto/gcrypt/mpi_codec.h"
#include "crypto/modp_group.h"

namespace otr::crypto::gcrypt_internal {
namespace {

Error ScanFailed() { return MakeError(ErrorCode::kBackendFailure, "mpi: gcry_mpi_scan failed"); }

// Inputs of the modular operations may be secrets (DsaSign passes x and k),
// so all of them are read into secure MPIs.
Result<Mpi> ReadOperand(ByteView value) {
  Mpi mpi = SecretMpiFromBigEndian(value);
  if (!mpi) return ScanFailed();
  return mpi;
}

}  // namespace

Result<Mpi> ParseOddModulus(ByteView m) {
  EnsureInitialized();
  Mpi modulus = MpiFromBigEndian(m);
  if (!modulus) return ScanFailed();
  if (!gcry_mpi_test_bit(modulus.get(), 0) || gcry_mpi_cmp_ui(modulus.get(), 1) <= 0) {
    return MakeError(ErrorCode::kOutOfRange, "mpi: modulus must be odd and greater than 1");
  }
  return modulus;
}

Result<SecretBytes> GcryptModExp(ByteView base, const SecretBytes& exponent, ByteView m) {
  // D-H key generation in the v2/v3 group: a precomputed table of g's powers.
  if (IsModp1536GeneratorPower(base, exponent.size(), m)) return Modp1536GeneratorPower(exponent);
  OTR_ASSIGN_OR_RETURN(Mpi modulus, ParseOddModulus(m));
  OTR_ASSIGN_OR_RETURN(Mpi b, ReadOperand(base));
  return ConstantTimeModExp(b.get(), exponent, modulus.get());
}

Result<SecretBytes> GcryptModExp2(ByteView base1, const SecretBytes& exponent1, ByteView base2,
                                  const SecretBytes& exponent2, ByteView m) {
  OTR_ASSIGN_OR_RETURN(Mpi modulus, ParseOddModulus(m));
  OTR_ASSIGN_OR_RETURN(Mpi b1, ReadOperand(base1));
  OTR_ASSIGN_OR_RETURN(Mpi b2, ReadOperand(base2));
  return ConstantTimeModExp2(b1.get(), exponent1, b2.get(), exponent2, modulus.get());
}

Result<Bytes> GcryptModExpPublic(ByteView base, ByteView exponent, ByteView m) {
  // g1 powers of SMP's proof checks (public exponents up to 1536 bits): the
  // fixed-base table is faster than a sliding window, and constant time.
  if (IsModp1536GeneratorPower(base, exponent.size(), m)) {
    OTR_ASSIGN_OR_RETURN(SecretBytes power, Modp1536GeneratorPower(SecretBytes(exponent)));
    return power.Declassify();
  }
  OTR_ASSIGN_OR_RETURN(Mpi modulus, ParseOddModulus(m));
  Mpi b = MpiFromBigEndian(base);
  Mpi e = MpiFromBigEndian(exponent);
  if (!b || !e) return ScanFailed();
  Mpi result = NewMpi();
  gcry_mpi_powm(result.get(), b.get(), e.get(), modulus.get());
  return MpiToBigEndian(result.get());
}

// libgcrypt has no Jacobi symbol: the textbook algorithm (Cohen, "A Course
// in Computational Algebraic Number Theory", algorithm 1.4.10), on public
// values: (2 | n) = -1 iff n = 3, 5 (mod 8); reciprocity flips the sign
// iff a = n = 3 (mod 4).
Result<int> GcryptJacobiPublic(ByteView a_bytes, ByteView n_bytes) {
  OTR_ASSIGN_OR_RETURN(Mpi n, ParseOddModulus(n_bytes));
  Mpi a = MpiFromBigEndian(a_bytes);
  if (!a) return ScanFailed();
  gcry_mpi_mod(a.get(), a.get(), n.get());
  const auto low_bits = [](gcry_mpi_t x, unsigned count) {
    unsigned value = 0;
    for (unsigned bit = 0; bit < count; ++bit) value |= gcry_mpi_test_bit(x, bit) ? 1u << bit : 0u;
    return value;
  };
  int symbol = 1;
  while (gcry_mpi_cmp_ui(a.get(), 0) != 0) {
    unsigned twos = 0;
    while (!gcry_mpi_test_bit(a.get(), twos)) ++twos;
    gcry_mpi_rshift(a.get(), a.get(), twos);
    const unsigned n_mod_8 = low_bits(n.get(), 3);
    if (twos % 2 == 1 && (n_mod_8 == 3 || n_mod_8 == 5)) symbol = -symbol;
    if (low_bits(a.get(), 2) == 3 && n_mod_8 % 4 == 3) symbol = -symbol;
    std::swap(a, n);
    gcry_mpi_mod(a.get(), a.get(), n.get());
  }
  return gcry_mpi_cmp_ui(n.get(), 1) == 0 ? symbol : 0;
}

Result<SecretBytes> GcryptModMul(ByteView a, ByteView b, ByteView m) {
  OTR_ASSIGN_OR_RETURN(Mpi modulus, ParseOddModulus(m));
  OTR_ASSIGN_OR_RETURN(Mpi x, ReadOperand(a));
  OTR_ASSIGN_OR_RETURN(Mpi y, ReadOperand(b));
  Mpi result = NewSecretMpi();
  gcry_mpi_mulm(result.get(), x.get(), y.get(), modulus.get());
  return MpiToSecretBigEndian(result.get());
}

Result<SecretBytes> GcryptModAdd(ByteView a, ByteView b, ByteView m) {
  OTR_ASSIGN_OR_RETURN(Mpi modulus, ParseOddModulus(m));
  OTR_ASSIGN_OR_RETURN(Mpi x, ReadOperand(a));
  OTR_ASSIGN_OR_RETURN(Mpi y, ReadOperand(b));
  Mpi result = NewSecretMpi();
  gcry_mpi_addm(result.get(), x.get(), y.get(), modulus.get());
  return MpiToSecretBigEndian(result.get());
}

// gcry_mpi_subm reduces with gcry_mpi_mod, whose remainder takes the sign of
// the (positive) modulus, so a negative difference lands in [0, m).
Result<SecretBytes> GcryptModSub(ByteView a, ByteView b, ByteView m) {
  OTR_ASSIGN_OR_RETURN(Mpi modulus, ParseOddModulus(m));
  OTR_ASSIGN_OR_RETURN(Mpi x, ReadOperand(a));
  OTR_ASSIGN_OR_RETURN(Mpi y, ReadOperand(b));
  Mpi result = NewSecretMpi();
  gcry_mpi_subm(result.get(), x.get(), y.get(), modulus.get());
  return MpiToSecretBigEndian(result.get());
}

// libgcrypt 1.10 inverts modulo an odd number with Möller's constant-time
// algorithm (mpi/mpi-inv.c); the operand is reduced first, as it expects.
Result<SecretBytes> GcryptModInverse(ByteView a, ByteView m) {
  OTR_ASSIGN_OR_RETURN(Mpi modulus, ParseOddModulus(m));
  OTR_ASSIGN_OR_RETURN(Mpi x, ReadOperand(a));
  gcry_mpi_mod(x.get(), x.get(), modulus.get());
  Mpi result = NewSecretMpi();
  if (!gcry_mpi_invm(result.get(), x.get(), modulus.get())) {
    return MakeError(ErrorCode::kOutOfRange, "ModInverse: no inverse");
  }
  return MpiToSecretBigEndian(result.get());
}

Result<SecretBytes> GcryptMod(ByteView a, ByteView m) {
  OTR_ASSIGN_OR_RETURN(Mpi modulus, ParseOddModulus(m));
  OTR_ASSIGN_OR_RETURN(Mpi x, ReadOperand(a));
  Mpi result = NewSecretMpi();
  gcry_mpi_mod(result.get(), x.get(), modulus.get());
  return MpiToSecretBigEndian(result.get());
}

int GcryptCompare(ByteView a, ByteView b) {
  EnsureInitialized();
  Mpi x = MpiFromBigEndian(a);
  Mpi y = MpiFromBigEndian(b);
  if (!x || !y) LibraryInvariantFailed("gcry_mpi_scan");
  int cmp = gcry_mpi_cmp(x.get(), y.get());
  return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
}

}  // namespace otr::crypto::gcrypt_internal
