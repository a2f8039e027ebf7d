#include "protocol/v4/crypto/ring_signature.h"

#include <algorithm>
#include <utility>

#include "protocol/v4/crypto/ct_select.h"
#include "protocol/v4/crypto/hash_to_scalar.h"
#include "protocol/v4/crypto/keys.h"

namespace otr::v4 {

// q = 2^446 - 13818066809895115352007386748515426880336692474882178609894547503885
// (otrv4.md, "Elliptic Curve Parameters"), little-endian.
const ScalarBytes kEd448OrderLittleEndian = {
    0xf3, 0x44, 0x58, 0xab, 0x92, 0xc2, 0x78, 0x23, 0x55, 0x8f, 0xc5, 0x8d, 0x72, 0xc2, 0x6c,
    0x21, 0x90, 0x36, 0xd6, 0xae, 0x49, 0xdb, 0x4e, 0xc4, 0xe9, 0x23, 0xca, 0x7c, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x00,
};

namespace {

using crypto::Ed448Encoding;
using crypto::Ed448Point;
using crypto::SecretBytes;

constexpr size_t kScalarSize = crypto::kEd448ScalarSize;

// c = HashToScalar(usage_auth || G || q || A1 || A2 || A3 || T1 || T2 || T3 || m).
SecretBytes Challenge(const crypto::Backend& backend, const RingDomain& domain,
                      const RingEncodings& a, const std::array<Ed448Encoding, 3>& t, ByteView m) {
  const Ed448Encoding g = backend.Ed448Encode(backend.Ed448Base());
  return HashToScalarInDomain(backend, domain.domain, domain.usage_auth,
                              {g, kEd448OrderLittleEndian, a[0], a[1], a[2], t[0], t[1], t[2], m});
}

// G * r + A * c when r and c are secret: in RSig, the drawn r_i and c_i of
// the signer's index are discarded, so a leak of them would name the signer.
// One constant-time double multiplication, its encoding included (decision
// 0033).
Ed448Point Commitment(const crypto::Backend& backend, const Ed448Point& a, const SecretBytes& r,
                      const SecretBytes& c) {
  return backend.Ed448MulAdd(backend.Ed448Base(), r, a, c);
}

// G * r + A * c for RVrf, where r, c and A are all public (the signature
// and the ring): variable time allowed.
Ed448Point PublicCommitment(const crypto::Backend& backend, const Ed448Point& a,
                            const SecretBytes& r, const SecretBytes& c) {
  return backend.Ed448MulBaseAddPublic(r.view(), c.view(), a);
}

bool IsIdentity(const crypto::Backend& backend, const Ed448Point& p) {
  return backend.Ed448Equal(p, backend.Ed448Identity());
}

Status CheckRing(const crypto::Backend& backend, const Ring& ring) {
  for (const Ed448Point& a : ring) {
    if (IsIdentity(backend, a)) {
      return MakeError(ErrorCode::kIdentityPoint, "ring signature: a key is the identity");
    }
  }
  return Status::Ok();
}

ScalarBytes ToScalarBytes(const SecretBytes& s) {
  ScalarBytes out{};
  std::copy_n(s.data(), out.size(), out.begin());
  return out;
}

// mask ? if_set : if_clear, both 57-byte scalars.
SecretBytes SelectScalar(uint8_t mask, const SecretBytes& if_set, const SecretBytes& if_clear) {
  SecretBytes out(kScalarSize);
  ct::Select(mask, if_set.view(), if_clear.view(), out.mutable_view());
  return out;
}

}  // namespace

Result<RingNonces> DrawRingNonces(const crypto::Backend& backend, crypto::Random& random) {
  RingNonces n;
  for (SecretBytes* value : {&n.t1, &n.t2, &n.t3, &n.c1, &n.c2, &n.c3, &n.r1, &n.r2, &n.r3}) {
    const SecretBytes drawn = random.SecretOfSize(kScalarSize);
    OTR_ASSIGN_OR_RETURN(*value, HashAndPrune(backend, drawn));
  }
  return n;
}

Result<RingSigma> RSigWithNonces(const crypto::Backend& backend, const SecretBytes& secret,
                                 const Ring& ring, ByteView m, const RingNonces& nonces,
                                 const RingDomain& domain) {
  if (secret.size() != kScalarSize) {
    return MakeError(ErrorCode::kInvalidKey, "RSig: secret not 57 bytes");
  }
  const std::array<const SecretBytes*, 3> t = {&nonces.t1, &nonces.t2, &nonces.t3};
  const std::array<const SecretBytes*, 3> c_in = {&nonces.c1, &nonces.c2, &nonces.c3};
  const std::array<const SecretBytes*, 3> r_in = {&nonces.r1, &nonces.r2, &nonces.r3};
  for (size_t i = 0; i < 3; ++i) {
    if (t[i]->size() != kScalarSize || c_in[i]->size() != kScalarSize ||
        r_in[i]->size() != kScalarSize) {
      return MakeError(ErrorCode::kInvalidKey, "RSig: random value not 57 bytes");
    }
  }
  OTR_RETURN_IF_ERROR(CheckRing(backend, ring));

  // P = G * ai; eq_i = constant_time_eq(P, A_i), the first match only.
  RingEncodings a;
  for (size_t i = 0; i < 3; ++i) a[i] = backend.Ed448Encode(ring[i]);
  const Ed448Encoding p = backend.Ed448Encode(backend.Ed448MulBase(secret));
  std::array<uint8_t, 3> eq{};
  uint8_t taken = 0;
  for (size_t i = 0; i < 3; ++i) {
    eq[i] = static_cast<uint8_t>(ct::EqualMask(p, a[i]) & static_cast<uint8_t>(~taken));
    taken = static_cast<uint8_t>(taken | eq[i]);
  }
  // Whether the key is in the ring at all is not the secret (the index is).
  if (ct::Barrier(taken) == 0) {
    return MakeError(ErrorCode::kInvalidKey, "RSig: the secret is not one of the ring's keys");
  }

  // T_i = constant_time_select(eq_i, encode(G * t_i), encode(G * r_i + A_i * c_i)).
  std::array<Ed448Encoding, 3> big_t;
  for (size_t i = 0; i < 3; ++i) {
    const Ed448Encoding if_secret = backend.Ed448Encode(backend.Ed448MulBase(*t[i]));
    const Ed448Encoding otherwise =
        backend.Ed448Encode(Commitment(backend, ring[i], *r_in[i], *c_in[i]));
    ct::Select(eq[i], if_secret, otherwise, big_t[i]);
  }

  const SecretBytes c = Challenge(backend, domain, a, big_t, m);

  // c_i = c - c_j - c_k for the signer's i; c_i as drawn for the others.
  std::array<SecretBytes, 3> c_out;
  for (size_t i = 0; i < 3; ++i) {
    const SecretBytes& cj = *c_in[(i + 1) % 3];
    const SecretBytes& ck = *c_in[(i + 2) % 3];
    const SecretBytes if_secret = backend.Ed448ScalarSub(backend.Ed448ScalarSub(c, cj), ck);
    c_out[i] = SelectScalar(eq[i], if_secret, backend.Ed448ScalarReduce(c_in[i]->view()));
  }
  // r_i = t_i - c_i * ai for the signer's i; r_i as drawn for the others.
  std::array<SecretBytes, 3> r_out;
  for (size_t i = 0; i < 3; ++i) {
    const SecretBytes if_secret =
        backend.Ed448ScalarSub(*t[i], backend.Ed448ScalarMul(c_out[i], secret));
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

Result<RingSigma> RSig(const crypto::Backend& backend, const SecretBytes& secret, const Ring& ring,
                       ByteView m, crypto::Random& random, const RingDomain& domain) {
  OTR_ASSIGN_OR_RETURN(const RingNonces nonces, DrawRingNonces(backend, random));
  return RSigWithNonces(backend, secret, ring, m, nonces, domain);
}

Status RVrf(const crypto::Backend& backend, const Ring& ring, const RingSigma& sigma, ByteView m,
            const RingDomain& domain) {
  OTR_RETURN_IF_ERROR(CheckRing(backend, ring));
  // 1. Parse sigma: each SCALAR below q.
  OTR_ASSIGN_OR_RETURN(const SecretBytes c1, backend.Ed448ScalarDecode(sigma.c1));
  OTR_ASSIGN_OR_RETURN(const SecretBytes r1, backend.Ed448ScalarDecode(sigma.r1));
  OTR_ASSIGN_OR_RETURN(const SecretBytes c2, backend.Ed448ScalarDecode(sigma.c2));
  OTR_ASSIGN_OR_RETURN(const SecretBytes r2, backend.Ed448ScalarDecode(sigma.r2));
  OTR_ASSIGN_OR_RETURN(const SecretBytes c3, backend.Ed448ScalarDecode(sigma.c3));
  OTR_ASSIGN_OR_RETURN(const SecretBytes r3, backend.Ed448ScalarDecode(sigma.r3));
  // 2-4. T_i = G * r_i + A_i * c_i.
  const std::array<Ed448Encoding, 3> t = {
      backend.Ed448Encode(PublicCommitment(backend, ring[0], r1, c1)),
      backend.Ed448Encode(PublicCommitment(backend, ring[1], r2, c2)),
      backend.Ed448Encode(PublicCommitment(backend, ring[2], r3, c3)),
  };
  RingEncodings a;
  for (size_t i = 0; i < 3; ++i) a[i] = backend.Ed448Encode(ring[i]);
  // 5-6. c = HWC(usage_auth || G || q || A1 || A2 || A3 || T1 || T2 || T3 || m) mod q.
  const SecretBytes c = Challenge(backend, domain, a, t, m);
  // 7. c == c1 + c2 + c3 (mod q).
  const SecretBytes sum = backend.Ed448ScalarAdd(backend.Ed448ScalarAdd(c1, c2), c3);
  if (!(sum == c)) return MakeError(ErrorCode::kBadSignature, "RVrf: c != c1 + c2 + c3");
  return Status::Ok();
}

Status RVrf(const crypto::Backend& backend, const RingEncodings& ring, const RingSigma& sigma,
            ByteView m, const RingDomain& domain) {
  OTR_ASSIGN_OR_RETURN(const Ed448Point a1, backend.Ed448Decode(ring[0]));
  OTR_ASSIGN_OR_RETURN(const Ed448Point a2, backend.Ed448Decode(ring[1]));
  OTR_ASSIGN_OR_RETURN(const Ed448Point a3, backend.Ed448Decode(ring[2]));
  return RVrf(backend, Ring{a1, a2, a3}, sigma, m, domain);
}

}  // namespace otr::v4
