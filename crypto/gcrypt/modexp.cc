// Fixed-window exponentiation in a blinded representation.
//
// Why not gcry_mpi_powm: in libgcrypt 1.10 (mpi/mpi-pow.c) it is a
// left-to-right sliding-window method. Its table look-up is masked, but the
// number of squarings between multiplications follows the runs of zero bits
// of the exponent; GCRYMPI_FLAG_SECURE on the exponent only selects secure
// memory (the "multiply always" variant for secure exponents exists only in
// the disabled USE_ALGORITHM_SIMPLE_EXPONENTIATION code).
//
// What this does instead (4-bit windows, 2 per exponent byte, all of them,
// so the operation sequence depends only on the exponent's length):
//   acc = R                      R: a random unit mod m
//   T[w] = base^w * R^-15        for w in 0..15
//   per window w:  acc = acc^16 * T[w]           (invariant: acc = base^e' R)
//   result = acc * R^-1
// T[w] is read by a masked scan over all 16 entries, so no address depends
// on w. The random R keeps every operand a full-size, random-looking residue
// even when the base is small (g = 2) or a window is zero, so libgcrypt's
// size-dependent shortcuts (a 1-limb operand, multiplication by 1) do not
// reveal exponent bits. R^-1 comes from gcry_mpi_invm, which libgcrypt 1.10
// computes in constant time for odd moduli (mpi/mpi-inv.c, mpih_invm_odd).
//
// ConstantTimeModExp2 (two bases, Straus/Shamir): 2-bit windows i of e1 and
// j of e2, T[4i + j] = b1^i * b2^j * R^-3, acc = acc^4 * T[4i + j].
//
// Residual leakage: gcry_mpi_mulm is gcry_mpi_mul + division; both trim
// leading zero limbs and the division has rare value-dependent correction
// steps. These depend on the (blinded) values, not on the exponent bits
// directly. A base of 0 mod m makes the table entries for w > 0 zero.
#include "crypto/gcrypt/modexp.h"

#include <algorithm>
#include <cstdint>

#include "crypto/gcrypt/ct_select.h"
#include "crypto/gcrypt/handles.h"
#include "crypto/gcrypt/mpi_codec.h"

namespace otr::crypto::gcrypt_internal {
namespace {

constexpr int kWindowBits = 4;
constexpr uint32_t kTableSize = 1u << kWindowBits;
constexpr int kBlindingAttempts = 64;
// Extra random bytes so that the blinding unit is close to uniform mod m.
constexpr size_t kBlindingExtraBytes = 16;

size_t ByteSize(gcry_mpi_t mpi) { return (gcry_mpi_get_nbits(mpi) + 7) / 8; }

// A random unit R mod m and its inverse; false if none was found (only for
// moduli with many small factors).
bool MakeBlinding(gcry_mpi_t m, Mpi& r, Mpi& r_inv) {
  SecretBytes random(ByteSize(m) + kBlindingExtraBytes);
  for (int attempt = 0; attempt < kBlindingAttempts; ++attempt) {
    gcry_create_nonce(random.data(), random.size());
    r = SecretMpiFromBigEndian(random.view());
    r_inv = NewSecretMpi();
    if (!r || !r_inv) return false;
    gcry_mpi_mod(r.get(), r.get(), m);
    if (gcry_mpi_invm(r_inv.get(), r.get(), m)) return true;
  }
  return false;
}

// Byte k of `e` left-padded with zeros to `length` bytes (length is public).
uint8_t PaddedByte(const SecretBytes& e, size_t length, size_t k) {
  const size_t pad = length - e.size();
  return k < pad ? 0 : e[k - pad];
}

}  // namespace

Result<SecretBytes> ConstantTimeModExp(gcry_mpi_t base, const SecretBytes& exponent, gcry_mpi_t m) {
  const size_t width = ByteSize(m);
  Mpi b = NewSecretMpi();
  gcry_mpi_mod(b.get(), base, m);

  Mpi r, r_inv;
  if (!MakeBlinding(m, r, r_inv)) {
    return MakeError(ErrorCode::kBackendFailure, "ModExp: no blinding unit found");
  }

  // T[0] = R^-15, T[w] = T[w-1] * base; stored as fixed-width big-endian
  // strings so that the look-up below can read all of them.
  SecretBytes table(kTableSize * width);
  {
    Mpi entry = NewSecretMpi();
    Mpi fifteen(gcry_mpi_set_ui(nullptr, kTableSize - 1));
    gcry_mpi_powm(entry.get(), r_inv.get(), fifteen.get(), m);  // public exponent 15
    for (uint32_t w = 0; w < kTableSize; ++w) {
      if (w > 0) gcry_mpi_mulm(entry.get(), entry.get(), b.get(), m);
      if (!MpiToFixedBigEndian(entry.get(), table.mutable_view().subspan(w * width, width))) {
        return MakeError(ErrorCode::kBackendFailure, "ModExp: table entry too wide");
      }
    }
  }

  Mpi acc = NewSecretMpi();
  gcry_mpi_set(acc.get(), r.get());
  SecretBytes selected(width);
  for (size_t i = 0; i < 2 * exponent.size(); ++i) {
    const uint8_t byte = exponent[i / 2];
    const uint32_t window = (i % 2 == 0) ? (byte >> 4) : (byte & 0x0f);
    for (int s = 0; s < kWindowBits; ++s) gcry_mpi_mulm(acc.get(), acc.get(), acc.get(), m);
    ConstantTimeSelect(table.data(), kTableSize, window, selected);
    Mpi factor = MpiFromBigEndian(selected.view());  // blinded, wiped on release
    if (!factor) return MakeError(ErrorCode::kBackendFailure, "ModExp: gcry_mpi_scan");
    gcry_mpi_mulm(acc.get(), acc.get(), factor.get(), m);
  }
  gcry_mpi_mulm(acc.get(), acc.get(), r_inv.get(), m);
  return MpiToSecretBigEndian(acc.get());
}

Result<SecretBytes> ConstantTimeModExp2(gcry_mpi_t base1, const SecretBytes& exponent1,
                                        gcry_mpi_t base2, const SecretBytes& exponent2,
                                        gcry_mpi_t m) {
  constexpr uint32_t kEntries = 16;
  const size_t width = ByteSize(m);
  Mpi b1 = NewSecretMpi(), b2 = NewSecretMpi();
  gcry_mpi_mod(b1.get(), base1, m);
  gcry_mpi_mod(b2.get(), base2, m);

  Mpi r, r_inv;
  if (!MakeBlinding(m, r, r_inv)) {
    return MakeError(ErrorCode::kBackendFailure, "ModExp2: no blinding unit found");
  }

  SecretBytes table(kEntries * width);
  {
    Mpi row = NewSecretMpi(), entry = NewSecretMpi();
    gcry_mpi_mulm(row.get(), r_inv.get(), r_inv.get(), m);
    gcry_mpi_mulm(row.get(), row.get(), r_inv.get(), m);  // R^-3
    for (uint32_t i = 0; i < 4; ++i) {
      if (i > 0) gcry_mpi_mulm(row.get(), row.get(), b1.get(), m);
      gcry_mpi_set(entry.get(), row.get());
      for (uint32_t j = 0; j < 4; ++j) {
        if (j > 0) gcry_mpi_mulm(entry.get(), entry.get(), b2.get(), m);
        if (!MpiToFixedBigEndian(entry.get(),
                                 table.mutable_view().subspan((4 * i + j) * width, width))) {
          return MakeError(ErrorCode::kBackendFailure, "ModExp2: table entry too wide");
        }
      }
    }
  }

  Mpi acc = NewSecretMpi();
  gcry_mpi_set(acc.get(), r.get());
  SecretBytes selected(width);
  const size_t length = std::max(exponent1.size(), exponent2.size());
  for (size_t k = 0; k < length; ++k) {
    const uint32_t byte1 = PaddedByte(exponent1, length, k);
    const uint32_t byte2 = PaddedByte(exponent2, length, k);
    for (int shift = 6; shift >= 0; shift -= 2) {
      gcry_mpi_mulm(acc.get(), acc.get(), acc.get(), m);
      gcry_mpi_mulm(acc.get(), acc.get(), acc.get(), m);
      const uint32_t index = 4 * ((byte1 >> shift) & 3u) + ((byte2 >> shift) & 3u);
      ConstantTimeSelect(table.data(), kEntries, index, selected);
      Mpi factor = MpiFromBigEndian(selected.view());  // blinded, wiped on release
      if (!factor) return MakeError(ErrorCode::kBackendFailure, "ModExp2: gcry_mpi_scan");
      gcry_mpi_mulm(acc.get(), acc.get(), factor.get(), m);
    }
  }
  gcry_mpi_mulm(acc.get(), acc.get(), r_inv.get(), m);
  return MpiToSecretBigEndian(acc.get());
}

}  // namespace otr::crypto::gcrypt_internal
