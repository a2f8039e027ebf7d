// otr-v4-prekey-server.md, "Proofs".
#include "protocol/prekey/common/proofs.h"

#include <algorithm>

#include "protocol/v4/crypto/dh3072.h"
#include "protocol/wire/writer.h"

namespace otr::prekey {
namespace {

using crypto::SecretBytes;
using v4::PrekeyUsage;

constexpr int kMaxZeroDraws = 16;
constexpr std::string_view kZeroR = "proof: r is zero";

bool AllZero(ByteView v) {
  uint8_t acc = 0;
  for (uint8_t b : v) acc |= b;
  return acc == 0;
}

Bytes Minimal(ByteView v) {
  size_t skip = 0;
  while (skip < v.size() && v[skip] == 0) ++skip;
  return Bytes(v.begin() + static_cast<std::ptrdiff_t>(skip), v.end());
}

// p = KDF(usage_proof_c_lambda, c, N * lambda), in N pieces.
SecretBytes LambdaPieces(const crypto::Backend& backend, const ProofChallenge& c, size_t n) {
  return v4::PrekeyKdf(backend, PrekeyUsage::kProofCLambda, {ByteView(c)}, n * kProofLambdaBytes);
}

ByteView Piece(const SecretBytes& p, size_t i) {
  return p.view().subspan(i * kProofLambdaBytes, kProofLambdaBytes);
}

// c = KDF(usage, A || X_1 || ... || X_N || m, 64) over the given encodings.
ProofChallenge Challenge(const crypto::Backend& backend, PrekeyUsage usage, const Bytes& hashed) {
  const SecretBytes c = v4::PrekeyKdf(backend, usage, {ByteView(hashed)}, kProofChallengeSize);
  ProofChallenge out{};
  std::copy(c.view().begin(), c.view().end(), out.begin());
  return out;
}

Bytes EcdhHashInput(const crypto::Backend& backend, const crypto::Ed448Point& a,
                    const std::vector<crypto::Ed448Point>& publics, ByteView m) {
  Bytes in;
  in.reserve((publics.size() + 1) * crypto::kEd448PointSize + m.size());
  const auto a_enc = backend.Ed448Encode(a);
  in.insert(in.end(), a_enc.begin(), a_enc.end());
  for (const auto& x : publics) {
    const auto enc = backend.Ed448Encode(x);
    in.insert(in.end(), enc.begin(), enc.end());
  }
  in.insert(in.end(), m.begin(), m.end());
  return in;
}

Bytes DhHashInput(ByteView a, const std::vector<Bytes>& publics, ByteView m) {
  wire::Writer w;
  w.WriteMpi(a);
  for (const auto& b : publics) w.WriteMpi(b);
  w.WriteBytes(m);
  return std::move(w).Finish();
}

}  // namespace

SecretBytes ProofContext(const crypto::Backend& backend, const SecretBytes& sk) {
  return v4::PrekeyKdf(backend, PrekeyUsage::kProofContext, {sk.view()}, kProofContextSize);
}

Result<EcdhProof> GenerateEcdhProof(const crypto::Backend& backend, crypto::Random& random,
                                    const std::vector<SecretBytes>& secrets,
                                    const std::vector<crypto::Ed448Point>& publics, ByteView m,
                                    PrekeyUsage usage, const crypto::Ed448Point* generator) {
  // "pick a random value 'r' (56 bytes) - this can't be all zeroes".
  for (int draw = 0; draw < kMaxZeroDraws; ++draw) {
    const SecretBytes r = random.SecretOfSize(kEcdhProofRandomSize);
    auto proof = GenerateEcdhProofWithR(backend, r, secrets, publics, m, usage, generator);
    if (proof.ok() || proof.error().context != kZeroR) return proof;
  }
  return MakeError(ErrorCode::kBackendFailure, "ECDH proof: r");
}

Result<EcdhProof> GenerateEcdhProofWithR(const crypto::Backend& backend, const SecretBytes& raw_r,
                                         const std::vector<SecretBytes>& secrets,
                                         const std::vector<crypto::Ed448Point>& publics, ByteView m,
                                         PrekeyUsage usage, const crypto::Ed448Point* generator) {
  if (secrets.empty() || secrets.size() != publics.size()) {
    return MakeError(ErrorCode::kInvalidKey, "ECDH proof: secrets and publics differ");
  }
  if (raw_r.size() != kEcdhProofRandomSize) {
    return MakeError(ErrorCode::kInvalidKey, "ECDH proof: r is not 56 bytes");
  }
  // "interpret 'r' as a scalar": little-endian, reduced mod q.
  const SecretBytes r = backend.Ed448ScalarReduce(raw_r.view());
  if (AllZero(raw_r.view()) || AllZero(r.view())) return MakeError(ErrorCode::kInvalidKey, kZeroR);
  // "A = G * r".
  const crypto::Ed448Point a =
      generator != nullptr ? backend.Ed448Mul(*generator, r) : backend.Ed448MulBase(r);
  EcdhProof proof;
  proof.c = Challenge(backend, usage, EcdhHashInput(backend, a, publics, m));
  const SecretBytes p = LambdaPieces(backend, proof.c, secrets.size());
  // "v = (r + t_1 * y_1 + ... + t_n * y_n) mod q"
  SecretBytes v = r;
  for (size_t i = 0; i < secrets.size(); ++i) {
    const SecretBytes t = backend.Ed448ScalarReduce(Piece(p, i));
    v = backend.Ed448ScalarAdd(v, backend.Ed448ScalarMul(t, secrets[i]));
  }
  if (v.size() != proof.v.size()) return MakeError(ErrorCode::kBackendFailure, "ECDH proof: v");
  std::copy(v.view().begin(), v.view().end(), proof.v.begin());
  return proof;
}

Status VerifyEcdhProof(const crypto::Backend& backend, const EcdhProof& proof,
                       const std::vector<crypto::Ed448Point>& publics, ByteView m,
                       PrekeyUsage usage, const crypto::Ed448Point* generator) {
  if (publics.empty()) return MakeError(ErrorCode::kBadProof, "ECDH proof: no values");
  OTR_ASSIGN_OR_RETURN(const SecretBytes v, backend.Ed448ScalarDecode(proof.v));
  const SecretBytes p = LambdaPieces(backend, proof.c, publics.size());
  // "A = G * v + ((Y_1 * t_1 + ... + Y_n * t_n) * -1)"
  crypto::Ed448Point sum = backend.Ed448Identity();
  for (size_t i = 0; i < publics.size(); ++i) {
    const SecretBytes t = backend.Ed448ScalarReduce(Piece(p, i));
    sum = backend.Ed448Add(sum, backend.Ed448Mul(publics[i], t));
  }
  const crypto::Ed448Point gv =
      generator != nullptr ? backend.Ed448Mul(*generator, v) : backend.Ed448MulBase(v);
  const crypto::Ed448Point a = backend.Ed448Sub(gv, sum);
  const ProofChallenge c2 = Challenge(backend, usage, EcdhHashInput(backend, a, publics, m));
  if (!crypto::ConstantTimeEqual(proof.c, c2)) {
    return MakeError(ErrorCode::kBadProof, "ECDH proof does not verify");
  }
  return Status::Ok();
}

Result<DhProof> GenerateDhProof(const crypto::Backend& backend, crypto::Random& random,
                                const std::vector<SecretBytes>& secrets,
                                const std::vector<Bytes>& publics, ByteView m) {
  // "pick a random value 'r' (80 bytes) - this can't be all zeroes".
  for (int draw = 0; draw < kMaxZeroDraws; ++draw) {
    const SecretBytes r = random.SecretOfSize(kDhProofRandomSize);
    auto proof = GenerateDhProofWithR(backend, r, secrets, publics, m);
    if (proof.ok() || proof.error().context != kZeroR) return proof;
  }
  return MakeError(ErrorCode::kBackendFailure, "DH proof: r");
}

Result<DhProof> GenerateDhProofWithR(const crypto::Backend& backend, const SecretBytes& r,
                                     const std::vector<SecretBytes>& secrets,
                                     const std::vector<Bytes>& publics, ByteView m) {
  if (secrets.empty() || secrets.size() != publics.size()) {
    return MakeError(ErrorCode::kInvalidKey, "DH proof: secrets and publics differ");
  }
  if (r.size() != kDhProofRandomSize) {
    return MakeError(ErrorCode::kInvalidKey, "DH proof: r is not 80 bytes");
  }
  if (AllZero(r.view())) return MakeError(ErrorCode::kInvalidKey, kZeroR);
  const crypto::ModpGroup& group = v4::Dh3072Group();
  // "interpret 'r' as an MPI" (big-endian), "A = g3 ^ r".
  OTR_ASSIGN_OR_RETURN(const SecretBytes a, backend.ModExp(group.g, r, group.p));
  DhProof proof;
  proof.c =
      Challenge(backend, PrekeyUsage::kProofMessageDh, DhHashInput(Minimal(a.view()), publics, m));
  const SecretBytes p = LambdaPieces(backend, proof.c, secrets.size());
  // "v = (r + t_1 * b_1 + ... + t_n * b_n) mod dh_q" (the spec writes y_i;
  // the secrets of the B_i are meant).
  OTR_ASSIGN_OR_RETURN(SecretBytes v, backend.Mod(r.view(), group.q));
  for (size_t i = 0; i < secrets.size(); ++i) {
    OTR_ASSIGN_OR_RETURN(const SecretBytes tb,
                         backend.ModMul(Piece(p, i), secrets[i].view(), group.q));
    OTR_ASSIGN_OR_RETURN(v, backend.ModAdd(v.view(), tb.view(), group.q));
  }
  proof.v = Minimal(v.view());
  return proof;
}

Status VerifyDhProof(const crypto::Backend& backend, const DhProof& proof,
                     const std::vector<Bytes>& publics, ByteView m) {
  if (publics.empty()) return MakeError(ErrorCode::kBadProof, "DH proof: no values");
  const crypto::ModpGroup& group = v4::Dh3072Group();
  if (backend.Compare(proof.v, group.q) >= 0) {
    return MakeError(ErrorCode::kOutOfRange, "DH proof: V not below dh_q");
  }
  const SecretBytes p = LambdaPieces(backend, proof.c, publics.size());
  // "A = g3 ^ v * ((B_1^t_1 * ... * B_n^t_n)^-1)"
  Bytes product{1};
  for (size_t i = 0; i < publics.size(); ++i) {
    OTR_ASSIGN_OR_RETURN(const Bytes bt, backend.ModExpPublic(publics[i], Piece(p, i), group.p));
    OTR_ASSIGN_OR_RETURN(const SecretBytes next, backend.ModMul(product, bt, group.p));
    product = next.Declassify();
  }
  OTR_ASSIGN_OR_RETURN(const SecretBytes inverse, backend.ModInverse(product, group.p));
  OTR_ASSIGN_OR_RETURN(const Bytes gv, backend.ModExpPublic(group.g, proof.v, group.p));
  OTR_ASSIGN_OR_RETURN(const SecretBytes a, backend.ModMul(gv, inverse.view(), group.p));
  const ProofChallenge c2 =
      Challenge(backend, PrekeyUsage::kProofMessageDh, DhHashInput(Minimal(a.view()), publics, m));
  if (!crypto::ConstantTimeEqual(proof.c, c2)) {
    return MakeError(ErrorCode::kBadProof, "DH proof does not verify");
  }
  return Status::Ok();
}

}  // namespace otr::prekey
