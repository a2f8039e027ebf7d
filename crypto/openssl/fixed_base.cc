#include "crypto/openssl/fixed_base.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>

#include <array>
#include <cstring>
#include <vector>

#include "crypto/modp_group.h"
#include "crypto/openssl/bignum.h"
#include "crypto/openssl/handles.h"

namespace otr::crypto::openssl {
namespace {

using MontCtxPtr = Owned<BN_MONT_CTX, BN_MONT_CTX_free>;

constexpr size_t kWindowBits = 4;
constexpr size_t kEntries = size_t{1} << kWindowBits;
// Rows for an exponent of `bytes` bytes: one per 4-bit window.
constexpr size_t WindowsFor(size_t bytes) { return bytes * 8 / kWindowBits; }

// The table of g = 2 in the group of `kElementBytes`-byte modulus `id`
// (192: RFC 3526's 1536-bit group; 384: its 3072-bit group, decision 0033).
template <size_t kElementBytes>
class GeneratorTable {
  static constexpr size_t kWords = kElementBytes / 8;
  // One group element in Montgomery form, little-endian bytes held in words
  // so that selection works a word at a time.
  using Element = std::array<uint64_t, kWords>;

 public:
  GeneratorTable(ModpGroupId id, size_t windows)
      : ctx_(BN_CTX_new()), mont_(BN_MONT_CTX_new()), rows_(windows) {
    const ModpGroup& group = GetModpGroup(id);
    FatalUnless(group.p.size() == kElementBytes, "GeneratorTable: modulus size");
    p_ = BnFromBytes(group.p, /*secret=*/false).value();
    FatalUnless(ctx_ && mont_ && BN_MONT_CTX_set(mont_.get(), p_.get(), ctx_.get()) == 1,
                "BN_MONT_CTX_set");
    // base = g^(16^i) as i goes up; row i holds base^j * B_i for j < 16.
    BnPtr base(BN_new()), entry(BN_new()), blind(BN_new()), product(BN_new());
    FatalUnless(base && entry && blind && product, "BN_new");
    FatalUnless(BN_set_word(base.get(), 2) == 1 && BN_one(product.get()) == 1 &&
                    BN_to_montgomery(base.get(), base.get(), mont_.get(), ctx_.get()) == 1 &&
                    BN_to_montgomery(product.get(), product.get(), mont_.get(), ctx_.get()) == 1,
                "BN_to_montgomery");
    for (size_t i = 0; i < rows_.size(); ++i) {
      // A fresh B_i until all 16 entries are full width (each draw fails
      // with probability about 16 * 2^-64).
      for (bool full = false; !full;) {
        FatalUnless(BN_priv_rand_range(blind.get(), p_.get()) == 1, "BN_priv_rand_range");
        if (BN_is_zero(blind.get())) continue;
        FatalUnless(BN_copy(entry.get(), blind.get()) != nullptr, "BN_copy");  // Mont(B_i / R)
        full = true;
        for (size_t j = 0; j < kEntries; ++j) {
          if (j > 0) Mul(entry.get(), entry.get(), base.get());
          Store(entry.get(), rows_[i][j]);
          full = full && rows_[i][j][kWords - 1] != 0;
        }
      }
      Mul(product.get(), product.get(), blind.get());  // Montgomery form of the B_i product
      for (size_t s = 0; s < kWindowBits; ++s) Mul(base.get(), base.get(), base.get());
    }
    // unblind_ = (B_0 ... B_last)^-1 in Montgomery form. Taking each B_i as
    // the Montgomery form of a random value b_i, the product above is
    // Mont(b_0 ... b_last) and its plain inverse times R^2 is the Montgomery
    // form of the inverse.
    unblind_.reset(BN_new());
    FatalUnless(unblind_ != nullptr, "BN_new");
    FatalUnless(BN_from_montgomery(product.get(), product.get(), mont_.get(), ctx_.get()) == 1,
                "BN_from_montgomery");
    FatalUnless(BN_mod_inverse(unblind_.get(), product.get(), p_.get(), ctx_.get()) != nullptr,
                "BN_mod_inverse");
    FatalUnless(BN_to_montgomery(unblind_.get(), unblind_.get(), mont_.get(), ctx_.get()) == 1,
                "BN_to_montgomery");
    BN_set_flags(unblind_.get(), BN_FLG_CONSTTIME);
  }

  SecretBytes Power(const SecretBytes& exponent) const {
    BnCtxPtr ctx(BN_CTX_secure_new());
    BnPtr acc(BN_secure_new()), selected(BN_secure_new());
    FatalUnless(ctx && acc && selected, "BN_secure_new");
    BN_set_flags(acc.get(), BN_FLG_CONSTTIME);
    BN_set_flags(selected.get(), BN_FLG_CONSTTIME);
    Element chosen;
    for (size_t i = 0; i < rows_.size(); ++i) {
      Select(i, Window(exponent, i), chosen);
      Load(chosen, i == 0 ? acc.get() : selected.get());
      if (i > 0) Mul(acc.get(), acc.get(), selected.get(), ctx.get());
    }
    OPENSSL_cleanse(chosen.data(), sizeof(chosen));
    Mul(acc.get(), acc.get(), unblind_.get(), ctx.get());
    BnPtr r(BN_secure_new());
    FatalUnless(r && BN_from_montgomery(r.get(), acc.get(), mont_.get(), ctx.get()) == 1,
                "BN_from_montgomery");
    return BnToSecret(r.get());
  }

  size_t ShortEntries() const {
    size_t count = 0;
    for (const auto& row : rows_) {
      for (const Element& entry : row) count += entry[kWords - 1] == 0 ? 1 : 0;
    }
    return count;
  }

 private:
  // The 4-bit window i of the big-endian exponent (window 0 the lowest);
  // windows above the exponent's length are 0. The exponent's length is
  // public, its bits are not: no branch or index depends on them.
  static unsigned Window(const SecretBytes& e, size_t i) {
    const size_t byte = i / 2;
    if (byte >= e.size()) return 0;
    return (e[e.size() - 1 - byte] >> (4 * (i % 2))) & 0xf;
  }

  // out = rows_[i][index], reading every entry of the row.
  void Select(size_t i, unsigned index, Element& out) const {
    out.fill(0);
    for (size_t j = 0; j < kEntries; ++j) {
      const uint64_t diff = static_cast<uint64_t>(j ^ index);
      const uint64_t mask = 0 - ((diff - 1) >> 63);  // all ones iff diff == 0
      const Element& entry = rows_[i][j];
      for (size_t w = 0; w < kWords; ++w) out[w] |= entry[w] & mask;
    }
  }

  static void Store(const BIGNUM* n, Element& out) {
    std::array<unsigned char, kElementBytes> bytes;
    FatalUnless(BN_bn2lebinpad(n, bytes.data(), static_cast<int>(bytes.size())) ==
                    static_cast<int>(bytes.size()),
                "BN_bn2lebinpad");
    std::memcpy(out.data(), bytes.data(), bytes.size());
  }

  static void Load(const Element& in, BIGNUM* out) {
    std::array<unsigned char, kElementBytes> bytes;
    std::memcpy(bytes.data(), in.data(), bytes.size());
    FatalUnless(BN_lebin2bn(bytes.data(), static_cast<int>(bytes.size()), out) != nullptr,
                "BN_lebin2bn");
    OPENSSL_cleanse(bytes.data(), bytes.size());
  }

  void Mul(BIGNUM* r, const BIGNUM* a, const BIGNUM* b, BN_CTX* ctx = nullptr) const {
    FatalUnless(BN_mod_mul_montgomery(r, a, b, mont_.get(), ctx ? ctx : ctx_.get()) == 1,
                "BN_mod_mul_montgomery");
  }

  BnPtr p_;
  BnPtr unblind_;  // Montgomery form of (B_0 ... B_last)^-1
  BnCtxPtr ctx_;   // table construction only
  MontCtxPtr mont_;
  std::vector<std::array<Element, kEntries>> rows_;
};

using Table1536 = GeneratorTable<192>;
using Table3072 = GeneratorTable<384>;

// D-H key generation (at most 320 bits, 80 rows, 245 KB) and SMP (1536-bit
// exponents, 384 rows, 1.2 MB): two tables, each built on first use, so a
// process that never runs SMP does not pay for the large one.
const Table1536& Table(size_t exponent_size) {
  if (exponent_size <= kFixedBaseMaxExponentBytes) {
    static const Table1536* table = new Table1536(
        ModpGroupId::kModp1536, WindowsFor(kFixedBaseMaxExponentBytes));  // never freed
    return *table;
  }
  static const Table1536* table = new Table1536(
      ModpGroupId::kModp1536, WindowsFor(kFixedBaseMaxLongExponentBytes));  // never freed
  return *table;
}

// v4's generateDH (80-byte r): 160 rows, 983 KB, built on first use.
const Table3072& V4Table() {
  static const Table3072* table = new Table3072(
      ModpGroupId::kModp3072, WindowsFor(kFixedBaseMaxV4ExponentBytes));  // never freed
  return *table;
}

}  // namespace

SecretBytes Modp1536GeneratorPower(const SecretBytes& exponent) {
  return Table(exponent.size()).Power(exponent);
}

size_t Modp1536TableShortEntries() {
  return Table(kFixedBaseMaxExponentBytes).ShortEntries() +
         Table(kFixedBaseMaxLongExponentBytes).ShortEntries();
}

SecretBytes Modp3072GeneratorPower(const SecretBytes& exponent) {
  return V4Table().Power(exponent);
}

size_t Modp3072TableShortEntries() { return V4Table().ShortEntries(); }

}  // namespace otr::crypto::openssl
