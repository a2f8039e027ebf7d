#include "crypto/backend.h"

#include <algorithm>

namespace otr::crypto {

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

SecretBytes Backend::Shake256(ByteView data, size_t out_size) const {
  auto ctx = NewShake256();
  ctx->Update(data);
  SecretBytes out(out_size);
  ctx->Finish(out.mutable_view());
  return out;
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
    OTR_ASSIGN_OR_RETURN(SecretBytes gk, ModExp(pub.g, k, pub.p));
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
