// Why the table is blinded: gcry_mpi_mulm trims leading zero limbs, so a
// product with a small operand (the entry g^0 = 1 of every row, or g^1 = 2)
// is faster and would tell which windows of x are zero. Each row i is
// therefore multiplied by a random unit B_i drawn when the table is built:
//   T[i][j] = g^(j * 16^i) * B_i,    B = B_0 * ... * B_last,
//   g^x = T[0][x_0] * T[1][x_1] * ... * T[last][x_last] * B^-1,
// so every operand is a full-size, random-looking residue whatever x is, as
// in modexp.cc. All windows of the table are used for every exponent (the length is
// public, the bits are not), and each entry is read by a masked scan of its
// whole row, so no address depends on x. The B_i are not key material (they
// only hide operand sizes) and live as long as the process, like the table.
// The table keeps bytes, not MPIs: no libgcrypt handle outlives a call
// (crypto/gcrypt/handles.h).
// Residual leakage as modexp.cc: libgcrypt's division has rare
// value-dependent correction steps on the blinded values.
#include "crypto/gcrypt/fixed_base.h"

#include <cstdint>
#include <vector>

#include "crypto/gcrypt/ct_select.h"
#include "crypto/gcrypt/handles.h"
#include "crypto/gcrypt/mpi_codec.h"
#include "crypto/modp_group.h"

namespace otr::crypto::gcrypt_internal {
namespace {

constexpr size_t kElementBytes = 192;  // 1536 bits
constexpr size_t kWindowBits = 4;
constexpr size_t kEntries = size_t{1} << kWindowBits;
// Rows for an exponent of `bytes` bytes: one per 4-bit window.
constexpr size_t WindowsFor(size_t bytes) { return bytes * 8 / kWindowBits; }
constexpr size_t kRowBytes = kEntries * kElementBytes;
// Extra random bytes so that each blinding unit is close to uniform mod p.
constexpr size_t kBlindingExtraBytes = 16;

// The 4-bit window i of the big-endian exponent (window 0 the lowest);
// windows above the exponent's length are 0.
uint32_t Window(const SecretBytes& e, size_t i) {
  const size_t byte = i / 2;
  if (byte >= e.size()) return 0;
  return (e[e.size() - 1 - byte] >> (4 * (i % 2))) & 0xfu;
}

class GeneratorTable {
 public:
  // Built on first use; if libgcrypt fails meanwhile, Power fails with
  // kBackendFailure instead.
  explicit GeneratorTable(size_t windows) : windows_(windows) { ok_ = Build(); }

  Result<SecretBytes> Power(const SecretBytes& exponent) const {
    if (!ok_) return MakeError(ErrorCode::kBackendFailure, "g^x: no table");
    Mpi p = MpiFromBigEndian(GetModpGroup(ModpGroupId::kModp1536).p);
    Mpi unblind = MpiFromBigEndian(unblind_);
    SecretBytes selected(kElementBytes);
    ConstantTimeSelect(Row(0), kEntries, Window(exponent, 0), selected);
    Mpi acc = SecretMpiFromBigEndian(selected.view());  // secure memory
    if (!p || !unblind || !acc) return MakeError(ErrorCode::kBackendFailure, "g^x: gcry_mpi_scan");
    for (size_t i = 1; i < windows_; ++i) {
      ConstantTimeSelect(Row(i), kEntries, Window(exponent, i), selected);
      Mpi factor = MpiFromBigEndian(selected.view());  // blinded, wiped on release
      if (!factor) return MakeError(ErrorCode::kBackendFailure, "g^x: gcry_mpi_scan");
      gcry_mpi_mulm(acc.get(), acc.get(), factor.get(), p.get());
    }
    gcry_mpi_mulm(acc.get(), acc.get(), unblind.get(), p.get());
    return MpiToSecretBigEndian(acc.get());
  }

 private:
  bool Build() {
    rows_.resize(windows_ * kRowBytes);
    Mpi p = MpiFromBigEndian(GetModpGroup(ModpGroupId::kModp1536).p);
    Mpi base(gcry_mpi_set_ui(nullptr, 2));  // g^(16^i) as i goes up
    Mpi entry = NewMpi(), blind = NewMpi(), product(gcry_mpi_set_ui(nullptr, 1));
    Mpi unblind = NewMpi();
    if (!p || !base || !entry || !blind || !product || !unblind) return false;
    std::vector<uint8_t> random(kElementBytes + kBlindingExtraBytes);
    for (size_t i = 0; i < windows_; ++i) {
      // B_i: random mod p, never 0 in practice (p is prime; a zero would
      // make gcry_mpi_invm below fail and the table unusable).
      gcry_create_nonce(random.data(), random.size());
      Mpi r = MpiFromBigEndian(random);
      if (!r) return false;
      gcry_mpi_mod(blind.get(), r.get(), p.get());
      gcry_mpi_mulm(product.get(), product.get(), blind.get(), p.get());
      gcry_mpi_set(entry.get(), blind.get());  // g^0 * B_i
      for (size_t j = 0; j < kEntries; ++j) {
        if (j > 0) gcry_mpi_mulm(entry.get(), entry.get(), base.get(), p.get());
        const MutableByteView out(rows_.data() + i * kRowBytes + j * kElementBytes, kElementBytes);
        if (!MpiToFixedBigEndian(entry.get(), out)) return false;
      }
      for (size_t s = 0; s < kWindowBits; ++s) {
        gcry_mpi_mulm(base.get(), base.get(), base.get(), p.get());
      }
    }
    if (gcry_mpi_invm(unblind.get(), product.get(), p.get()) == 0) return false;
    unblind_ = MpiToBigEndian(unblind.get());
    return true;
  }

  const uint8_t* Row(size_t i) const { return rows_.data() + i * kRowBytes; }

  Bytes unblind_;              // B^-1 mod p, big-endian
  std::vector<uint8_t> rows_;  // T[i][j], fixed-width big-endian
  size_t windows_;
  bool ok_ = false;
};

}  // namespace

// D-H key generation (at most 320 bits, 80 rows) and SMP (1536-bit
// exponents, 384 rows, 1.2 MB): two tables, each built on first use.
Result<SecretBytes> Modp1536GeneratorPower(const SecretBytes& exponent) {
  if (exponent.size() <= kFixedBaseMaxExponentBytes) {
    static const GeneratorTable* table =
        new GeneratorTable(WindowsFor(kFixedBaseMaxExponentBytes));  // never freed
    return table->Power(exponent);
  }
  static const GeneratorTable* table =
      new GeneratorTable(WindowsFor(kFixedBaseMaxLongExponentBytes));  // never freed
  return table->Power(exponent);
}

}  // namespace otr::crypto::gcrypt_internal
