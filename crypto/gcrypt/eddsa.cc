#include "crypto/gcrypt/eddsa.h"

#include <gcrypt.h>

#include <cstring>
#include <memory>

#include "crypto/backend.h"
#include "crypto/ed448_small_order.h"
#include "crypto/gcrypt/ed448.h"
#include "crypto/gcrypt/ed448_curve.h"
#include "crypto/gcrypt/handles.h"
#include "crypto/gcrypt/hash.h"
#include "crypto/gcrypt/init.h"
#include "crypto/gcrypt/mpi_codec.h"

namespace otr::crypto::gcrypt_internal {
namespace {

constexpr size_t kHalfSignature = kEd448SignatureSize / 2;

// The seed in libgcrypt-allocated secure memory: gcry_sexp_build moves an
// s-expression to secure memory when a %b argument lives there, and
// gcry_sexp_release wipes only secure s-expressions.
class SecureCopy {
 public:
  explicit SecureCopy(ByteView data)
      : size_(data.size()), data_(static_cast<uint8_t*>(gcry_malloc_secure(data.size()))) {
    if (data_) std::memcpy(data_.get(), data.data(), size_);
  }
  ~SecureCopy() {
    if (data_) SecureWipe(data_.get(), size_);
  }
  const uint8_t* data() const { return data_.get(); }
  int size() const { return static_cast<int>(size_); }

 private:
  struct Free {
    void operator()(uint8_t* p) const { gcry_free(p); }
  };
  size_t size_;
  std::unique_ptr<uint8_t, Free> data_;
};

Result<Sexp> BuildData(ByteView message) {
  gcry_sexp_t raw = nullptr;
  // libgcrypt 1.10 takes the message itself, flagged eddsa with SHAKE256 as
  // the hash (checked against RFC 8032 section 7.4 in the unit test).
  if (gcry_sexp_build(&raw, nullptr, "(data (flags eddsa)(hash-algo shake256)(value %b))",
                      static_cast<int>(message.size()), message.data()) != 0) {
    return MakeError(ErrorCode::kBackendFailure, "Ed448: data s-expression");
  }
  return Sexp(raw);
}

// Copies the 57-byte value of token `name` of a signature s-expression.
bool ExtractHalf(gcry_sexp_t sig, const char* name, uint8_t* out) {
  Sexp token(gcry_sexp_find_token(sig, name, 0));
  if (!token) return false;
  size_t size = 0;
  const char* data = gcry_sexp_nth_data(token.get(), 1, &size);
  if (data == nullptr || size != kHalfSignature) return false;
  std::memcpy(out, data, size);
  return true;
}

}  // namespace

// RFC 8032 section 5.2.5: h = SHAKE256(seed, 114); s = the first 57 bytes
// with the two low bits cleared, the last byte cleared and the top bit of
// byte 55 set; A = [s]B.
Result<Bytes> GcryptEd448DerivePublicKey(const SecretBytes& seed) {
  if (seed.size() != kEd448SeedSize) return MakeError(ErrorCode::kInvalidKey, "Ed448: seed size");
  SecretBytes h(2 * kEd448ScalarSize);
  auto xof = NewGcryptShake256();
  xof->Update(seed.view());
  xof->Finish(h.mutable_view());
  SecretBytes s(ByteView(h.data(), kEd448ScalarSize));
  s[0] &= 0xfc;
  s[kEd448ScalarSize - 1] = 0;
  s[kEd448ScalarSize - 2] |= 0x80;
  const Ed448Encoding a = GcryptEd448Encode(GcryptEd448MulBase(s));
  return Bytes(a.begin(), a.end());
}

Result<Bytes> GcryptEd448Sign(const SecretBytes& seed, ByteView message) {
  EnsureInitialized();
  if (seed.size() != kEd448SeedSize) return MakeError(ErrorCode::kInvalidKey, "Ed448: seed size");
  SecureCopy d(seed.view());
  if (d.data() == nullptr)
    return MakeError(ErrorCode::kBackendFailure, "Ed448: gcry_malloc_secure");
  gcry_sexp_t raw = nullptr;
  // Without (q ...) libgcrypt derives the public key from d itself.
  if (gcry_sexp_build(&raw, nullptr, "(private-key (ecc (curve Ed448)(flags eddsa)(d %b)))",
                      d.size(), d.data()) != 0) {
    return MakeError(ErrorCode::kBackendFailure, "Ed448: key s-expression");
  }
  Sexp key(raw);
  OTR_ASSIGN_OR_RETURN(Sexp data, BuildData(message));
  if (gcry_pk_sign(&raw, data.get(), key.get()) != 0) {
    return MakeError(ErrorCode::kBackendFailure, "Ed448: gcry_pk_sign");
  }
  Sexp sig(raw);
  Bytes signature(kEd448SignatureSize);
  if (!ExtractHalf(sig.get(), "r", signature.data()) ||
      !ExtractHalf(sig.get(), "s", signature.data() + kHalfSignature)) {
    return MakeError(ErrorCode::kBackendFailure, "Ed448: malformed signature from libgcrypt");
  }
  return signature;
}

// RFC 8032 section 5.2.7. The checks that libgcrypt leaves out or words
// differently are made here first, so that both backends reject the same
// inputs: A and R must decode (canonical, on the curve) and S must be < L.
Status GcryptEd448Verify(ByteView public_key, ByteView message, ByteView signature) {
  EnsureInitialized();
  if (signature.size() != kEd448SignatureSize) {
    return MakeError(ErrorCode::kBadSignature, "Ed448Verify: signature size");
  }
  if (public_key.size() != kEd448PointSize) {
    return MakeError(ErrorCode::kInvalidKey, "Ed448Verify: public key size");
  }
  if (IsEd448SmallOrderEncoding(public_key)) {
    return MakeError(ErrorCode::kInvalidKey, "Ed448Verify: public key of small order");
  }
  Ed448Curve curve;
  if (!curve.DecodeOnCurve(public_key).ok()) {
    return MakeError(ErrorCode::kInvalidKey, "Ed448Verify: public key does not decode");
  }
  ByteView r = signature.first(kHalfSignature);
  ByteView s = signature.last(kHalfSignature);
  if (!curve.DecodeOnCurve(r).ok()) {
    return MakeError(ErrorCode::kBadSignature, "Ed448Verify: R does not decode");
  }
  Mpi s_value = MpiFromLittleEndian(s);
  Mpi q = Ed448Order();
  if (!s_value || gcry_mpi_cmp(s_value.get(), q.get()) >= 0) {
    return MakeError(ErrorCode::kBadSignature, "Ed448Verify: S >= L");
  }

  gcry_sexp_t raw = nullptr;
  if (gcry_sexp_build(&raw, nullptr, "(public-key (ecc (curve Ed448)(flags eddsa)(q %b)))",
                      static_cast<int>(public_key.size()), public_key.data()) != 0) {
    return MakeError(ErrorCode::kInvalidKey, "Ed448Verify: key s-expression");
  }
  Sexp key(raw);
  if (gcry_sexp_build(&raw, nullptr, "(sig-val (eddsa (r %b)(s %b)))", static_cast<int>(r.size()),
                      r.data(), static_cast<int>(s.size()), s.data()) != 0) {
    return MakeError(ErrorCode::kBadSignature, "Ed448Verify: signature s-expression");
  }
  Sexp sig(raw);
  OTR_ASSIGN_OR_RETURN(Sexp data, BuildData(message));
  if (gcry_pk_verify(sig.get(), data.get(), key.get()) != 0) {
    return MakeError(ErrorCode::kBadSignature, "Ed448Verify: signature does not verify");
  }
  return Status::Ok();
}

}  // namespace otr::crypto::gcrypt_internal
