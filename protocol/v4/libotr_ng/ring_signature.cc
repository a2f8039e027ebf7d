#include "protocol/v4/libotr_ng/ring_signature.h"

#include <algorithm>

#include "protocol/v4/crypto/ct_select.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/libotr_ng/curve.h"

namespace otr::v4::libotr_ng {
namespace {

using crypto::Ed448Encoding;
using crypto::Ed448Point;
using crypto::SecretBytes;

constexpr size_t kScalarSize = crypto::kEd448ScalarSize;
constexpr size_t kHashSize = 64;  // constants.h, HASH_BYTES

// q, 56 bytes big-endian, as auth.c hashes it (prime_order_bytes).
constexpr std::array<uint8_t, 56> kOrderBigEndian = {
    0x3f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x7c, 0xca, 0x23, 0xe9, 0xc4, 0x4e, 0xdb, 0x49, 0xae, 0xd6, 0x36, 0x90, 0x21, 0x6c,
    0xc2, 0x72, 0x8d, 0xc5, 0x8f, 0x55, 0x23, 0x78, 0xc2, 0x92, 0xab, 0x58, 0x44, 0xf3,
};

// auth.c, otrng_rsig_calculate_c_with_usage_and_domain.
SecretBytes Challenge(const crypto::Backend& backend, const RingEncodings& a,
                      const std::array<Ed448Encoding, 3>& t, ByteView m, const RingDomain& domain) {
  const Ed448Encoding b = backend.Ed448Encode(backend.Ed448Base());
  SecretBytes hash(kHashSize);
  DomainShake256(backend, domain.domain, domain.usage_auth,
                 {b, kOrderBigEndian, a[0], a[1], a[2], t[0], t[1], t[2], m}, hash.mutable_view());
  return backend.Ed448ScalarReduce(hash.view());
}

// G * r + A * c with libotr-ng's G.
Ed448Point Commitment(const crypto::Backend& backend, const Ed448Point& g, const Ed448Point& a,
                      const SecretBytes& r, const SecretBytes& c) {
  return backend.Ed448Add(backend.Ed448Mul(g, r), backend.Ed448Mul(a, c));
}

ScalarBytes ToScalarBytes(const SecretBytes& s) {
  ScalarBytes out{};
  std::copy_n(s.data(), out.size(), out.begin());
  return out;
}

SecretBytes SelectScalar(uint8_t mask, const SecretBytes& if_set, const SecretBytes& if_clear) {
  SecretBytes out(kScalarSize);
  ct::Select(mask, if_set.view(), if_clear.view(), out.mutable_view());
  return out;
}

Status CheckRing(const crypto::Backend& backend, const Ring& ring) {
  for (const Ed448Point& a : ring) {
    if (backend.Ed448Equal(a, backend.Ed448Identity())) {
      return MakeError(ErrorCode::kIdentityPoint, "libotr-ng RSig: a key is the identity");
    }
  }
  return Status::Ok();
}

}  // namespace

Bytes EncodeRingSig(const RingSigma& sigma) {
  Bytes out;
  out.reserve(kRingSigWireSize);
  for (const ScalarBytes* s : {&sigma.c1, &sigma.r1, &sigma.c2, &sigma.r2, &sigma.c3, &sigma.r3}) {
    out.insert(out.end(), s->begin(), s->begin() + kScalarWireSize);
  }
  return out;
}

Result<RingSigma> DecodeRingSig(const crypto::Backend& backend, ByteView bytes) {
  if (bytes.size() != kRingSigWireSize) {
    return MakeError(ErrorCode::kTruncated, "libotr-ng RING-SIG: not 336 bytes");
  }
  RingSigma sigma;
  ScalarBytes* out[] = {&sigma.c1, &sigma.r1, &sigma.c2, &sigma.r2, &sigma.c3, &sigma.r3};
  for (size_t i = 0; i < 6; ++i) {
    ScalarBytes s{};
    std::copy_n(bytes.begin() + i * kScalarWireSize, kScalarWireSize, s.begin());
    if (auto decoded = backend.Ed448ScalarDecode(s); !decoded.ok()) return decoded.error();
    *out[i] = s;
  }
  return sigma;
}

Result<RingSigma> RSig(const crypto::Backend& backend, const SecretBytes& secret, const Ring& ring,
                       ByteView m, crypto::Random& random, const RingDomain& domain) {
  if (secret.size() != kScalarSize) {
    return MakeError(ErrorCode::kInvalidKey, "libotr-ng RSig: secret not 57 bytes");
  }
  OTR_RETURN_IF_ERROR(CheckRing(backend, ring));
  OTR_ASSIGN_OR_RETURN(const RingNonces nonces, DrawRingNonces(backend, random));
  const std::array<const SecretBytes*, 3> t = {&nonces.t1, &nonces.t2, &nonces.t3};
  const std::array<const SecretBytes*, 3> c_in = {&nonces.c1, &nonces.c2, &nonces.c3};
  const std::array<const SecretBytes*, 3> r_in = {&nonces.r1, &nonces.r2, &nonces.r3};
  const Ed448Point g = Generator(backend);
  const SecretBytes held = HeldScalar(backend, secret);

  // The signer's index: P = a * B = held * G equals A_i (the first match).
  RingEncodings a;
  for (size_t i = 0; i < 3; ++i) a[i] = backend.Ed448Encode(ring[i]);
  const Ed448Encoding p = backend.Ed448Encode(backend.Ed448MulBase(secret));
  std::array<uint8_t, 3> eq{};
  uint8_t taken = 0;
  for (size_t i = 0; i < 3; ++i) {
    eq[i] = static_cast<uint8_t>(ct::EqualMask(p, a[i]) & static_cast<uint8_t>(~taken));
    taken = static_cast<uint8_t>(taken | eq[i]);
  }
  if (ct::Barrier(taken) == 0) {
    return MakeError(ErrorCode::kInvalidKey, "libotr-ng RSig: the secret is not in the ring");
  }

  // T_i = eq_i ? G * t_i : G * r_i + A_i * c_i (auth.c, choose_T).
  std::array<Ed448Encoding, 3> big_t;
  for (size_t i = 0; i < 3; ++i) {
    const Ed448Encoding if_secret = backend.Ed448Encode(backend.Ed448Mul(g, *t[i]));
    const Ed448Encoding otherwise =
        backend.Ed448Encode(Commitment(backend, g, ring[i], *r_in[i], *c_in[i]));
    ct::Select(eq[i], if_secret, otherwise, big_t[i]);
  }
  const SecretBytes c = Challenge(backend, a, big_t, m, domain);

  // c_i = c - c_j - c_k and r_i = t_i - c_i * held for the signer's i
  // (calculate_ci, calculate_ri); the drawn values for the others.
  std::array<SecretBytes, 3> c_out, r_out;
  for (size_t i = 0; i < 3; ++i) {
    const SecretBytes if_secret =
        backend.Ed448ScalarSub(backend.Ed448ScalarSub(c, *c_in[(i + 1) % 3]), *c_in[(i + 2) % 3]);
    c_out[i] = SelectScalar(eq[i], if_secret, backend.Ed448ScalarReduce(c_in[i]->view()));
  }
  for (size_t i = 0; i < 3; ++i) {
    const SecretBytes if_secret =
        backend.Ed448ScalarSub(*t[i], backend.Ed448ScalarMul(c_out[i], held));
    r_out[i] = SelectScalar(eq[i], if_secret, backend.Ed448ScalarReduce(r_in[i]->view()));
  }
  RingSigma sigma;
  sigma.c1 = ToScalarBytes(c_out[0]);
  sigma.r1 = ToScalarBytes(r_out[0]);
  sigma.c2 = ToScalarBytes(c_out[1]);
  sigma.r2 = ToScalarBytes(r_out[1]);
  sigma.c3 = ToScalarBytes(c_out[2]);
  sigma.r3 = ToScalarBytes(r_out[2]);
  return sigma;
}

Status RVrf(const crypto::Backend& backend, const Ring& ring, const RingSigma& sigma, ByteView m,
            const RingDomain& domain) {
  OTR_RETURN_IF_ERROR(CheckRing(backend, ring));
  OTR_ASSIGN_OR_RETURN(const SecretBytes c1, backend.Ed448ScalarDecode(sigma.c1));
  OTR_ASSIGN_OR_RETURN(const SecretBytes r1, backend.Ed448ScalarDecode(sigma.r1));
  OTR_ASSIGN_OR_RETURN(const SecretBytes c2, backend.Ed448ScalarDecode(sigma.c2));
  OTR_ASSIGN_OR_RETURN(const SecretBytes r2, backend.Ed448ScalarDecode(sigma.r2));
  OTR_ASSIGN_OR_RETURN(const SecretBytes c3, backend.Ed448ScalarDecode(sigma.c3));
  OTR_ASSIGN_OR_RETURN(const SecretBytes r3, backend.Ed448ScalarDecode(sigma.r3));
  const Ed448Point g = Generator(backend);
  const std::array<Ed448Encoding, 3> t = {
      backend.Ed448Encode(Commitment(backend, g, ring[0], r1, c1)),
      backend.Ed448Encode(Commitment(backend, g, ring[1], r2, c2)),
      backend.Ed448Encode(Commitment(backend, g, ring[2], r3, c3)),
  };
  RingEncodings a;
  for (size_t i = 0; i < 3; ++i) a[i] = backend.Ed448Encode(ring[i]);
  const SecretBytes c = Challenge(backend, a, t, m, domain);
  const SecretBytes sum = backend.Ed448ScalarAdd(backend.Ed448ScalarAdd(c1, c2), c3);
  if (!(sum == c)) return MakeError(ErrorCode::kBadSignature, "libotr-ng RVrf: c != c1 + c2 + c3");
  return Status::Ok();
}

}  // namespace otr::v4::libotr_ng
