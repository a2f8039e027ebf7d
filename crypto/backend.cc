#include "crypto/backend.h"

#include <algorithm>
#include <cstdint>

namespace otr::crypto {

Status CheckStreamBuffers(ByteView in, MutableByteView out) {
  if (in.size() != out.size()) {
    return MakeError(ErrorCode::kOutOfRange, "stream cipher: output size must equal input size");
  }
  const auto in_begin = reinterpret_cast<uintptr_t>(in.data());
  const auto out_begin = reinterpret_cast<uintptr_t>(out.data());
  const bool apart = in_begin + in.size() <= out_begin || out_begin + out.size() <= in_begin;
  if (!in.empty() && in_begin != out_begin && !apart) {
    return MakeError(ErrorCode::kOutOfRange, "stream cipher: in and out partially overlap");
  }
  return Status::Ok();
}

Bytes Backend::Hash(HashAlgorithm alg, ByteView data) const {
  auto ctx = NewHash(alg);
  ctx->Update(data);
  return ctx->Finish().Declassify();
}

SecretBytes Backend::Hmac(HashAlgorithm alg, ByteView key, ByteView data) const {
  auto ctx = NewHmac(alg, key);
  ctx->Update(data);
  return ctx->Finish();
}

void Backend::Shake256Of(std::span<const ByteView> inputs, MutableByteView out) const {
  auto ctx = NewShake256();
  for (ByteView input : inputs) ctx->Update(input);
  ctx->Finish(out);
}

SecretBytes Backend::Shake256(ByteView data, size_t out_size) const {
  SecretBytes out(out_size);
  Shake256Of(std::span<const ByteView>(&data, 1), out.mutable_view());
  return out;
}

Result<SecretBytes> Backend::ModExp2(ByteView base1, const SecretBytes& exponent1, ByteView base2,
                                     const SecretBytes& exponent2, ByteView m) const {
  OTR_ASSIGN_OR_RETURN(SecretBytes first, ModExp(base1, exponent1, m));
  OTR_ASSIGN_OR_RETURN(SecretBytes second, ModExp(base2, exponent2, m));
  return ModMul(first.view(), second.view(), m);
}

Result<Bytes> Backend::ModExp2Public(ByteView base1, ByteView exponent1, ByteView base2,
                                     ByteView exponent2, ByteView m) const {
  OTR_ASSIGN_OR_RETURN(Bytes first, ModExpPublic(base1, exponent1, m));
  OTR_ASSIGN_OR_RETURN(Bytes second, ModExpPublic(base2, exponent2, m));
  OTR_ASSIGN_OR_RETURN(SecretBytes product, ModMul(first, second, m));
  return product.Declassify();
}

Ed448Point Backend::Ed448MulAdd(const Ed448Point& p, const SecretBytes& a, const Ed448Point& q,
                                const SecretBytes& b) const {
  return Ed448Add(Ed448Mul(p, a), Ed448Mul(q, b));
}

Ed448Point Backend::Ed448MulBaseAddPublic(ByteView a, ByteView b, const Ed448Point& p) const {
  return Ed448Add(Ed448MulBase(SecretBytes(a)), Ed448Mul(p, SecretBytes(b)));
}

namespace {

constexpr size_t kDsaQSize = 20;

bool IsZero(ByteView v) {
  return std::all_of(v.begin(), v.end(), [](uint8_t b) { return b == 0; });
}

// Left-pads a minimal big-endian value to `size` bytes.
void PadInto(ByteView value, MutableByteView out) {
  std::fill(out.begin(), out.end(), 0);
  std::copy(value.begin(), value.end(), out.end() - static_cast<std::ptrdiff_t>(value.size()));
}

size_t BitLength(ByteView value) {  // of a public value
  size_t i = 0;
  while (i < value.size() && value[i] == 0) ++i;
  if (i == value.size()) return 0;
  size_t bits = 8 * (value.size() - i - 1);
  for (uint8_t top = value[i]; top != 0; top >>= 1) ++bits;
  return bits;
}

// out = a + b over out.size() bytes (big-endian; a and b no wider), with
// no branch or index on the values.
void AddInto(ByteView a, ByteView b, MutableByteView out) {
  uint32_t carry = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const uint32_t x = i < a.size() ? a[a.size() - 1 - i] : 0;
    const uint32_t y = i < b.size() ? b[b.size() - 1 - i] : 0;
    const uint32_t sum = x + y + carry;
    out[out.size() - 1 - i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
}

// The nonce as the exponent of g^k: k + q when that has bitlen(q) + 1 bits,
// else k + 2q (which then has), written on (bitlen(q) + 1 + 7) / 8 bytes.
// Since g has order q, g^(k + q) = g^(k + 2q) = g^k; the exponentiation now
// sees the same length (bytes and bits) for every k, so its number of
// windows says nothing about k (the Minerva leak of a short nonce;
// CVE-2019-15809 and libgcrypt's own fix in _gcry_dsa_modify_k).
SecretBytes FixedLengthNonce(const SecretBytes& k, ByteView q) {
  const size_t n = BitLength(q);
  const size_t width = (n + 2 + 7) / 8;  // k + 2q < 3q < 2^(n + 2)
  SecretBytes plus_q(width), plus_2q(width), two_q(width);
  AddInto(q, q, two_q.mutable_view());
  AddInto(k.view(), q, plus_q.mutable_view());
  AddInto(k.view(), two_q.view(), plus_2q.mutable_view());
  // Bit n of k + q, read at fixed positions.
  const uint8_t bit = (plus_q[width - 1 - n / 8] >> (n % 8)) & 1;
  const uint8_t keep = static_cast<uint8_t>(0u - bit);  // 0xff: k + q
  SecretBytes out((n + 1 + 7) / 8);
  const size_t skip = width - out.size();
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint8_t>((plus_q[skip + i] & keep) | (plus_2q[skip + i] & ~keep));
  }
  return out;
}

}  // namespace

// DSA signing (FIPS 186 with the OTR v3 reading of the message modulo q):
//   r = (g^k mod p) mod q,  s = k^-1 (m + x r) mod q.
// Implemented over the backend's constant-time modular arithmetic so that the
// nonce comes from the injected Random and runs replay byte for byte.
Result<Bytes> Backend::DsaSign(const DsaPrivateKey& key, ByteView message, Random& random) const {
  const DsaPublicKey& pub = key.pub;
  if (pub.q.empty() || pub.q.size() > kDsaQSize || pub.p.empty() || key.x.empty()) {
    return MakeError(ErrorCode::kInvalidKey, "DsaSign: q must be at most 160 bits");
  }
  OTR_ASSIGN_OR_RETURN(SecretBytes m, Mod(message, pub.q));
  for (int attempt = 0; attempt < 64; ++attempt) {
    // k uniform in [0, q): 64 extra bits make the modular bias negligible.
    SecretBytes wide = random.SecretOfSize(kDsaQSize + 8);
    OTR_ASSIGN_OR_RETURN(SecretBytes k, Mod(wide.view(), pub.q));
    if (IsZero(k.view())) continue;
    OTR_ASSIGN_OR_RETURN(SecretBytes gk, ModExp(pub.g, FixedLengthNonce(k, pub.q), pub.p));
    OTR_ASSIGN_OR_RETURN(SecretBytes r, Mod(gk.view(), pub.q));
    if (IsZero(r.view())) continue;
    OTR_ASSIGN_OR_RETURN(SecretBytes k_inv, ModInverse(k.view(), pub.q));
    OTR_ASSIGN_OR_RETURN(SecretBytes xr, ModMul(key.x.view(), r.view(), pub.q));
    OTR_ASSIGN_OR_RETURN(SecretBytes sum, ModAdd(m.view(), xr.view(), pub.q));
    OTR_ASSIGN_OR_RETURN(SecretBytes s, ModMul(k_inv.view(), sum.view(), pub.q));
    if (IsZero(s.view())) continue;
    Bytes signature(kDsaSignatureSize);
    PadInto(r.view(), MutableByteView(signature).first(kDsaQSize));
    PadInto(s.view(), MutableByteView(signature).last(kDsaQSize));
    return signature;
  }
  return MakeError(ErrorCode::kBackendFailure, "DsaSign: no valid nonce found");
}

}  // namespace otr::crypto
