#include "protocol/v3/smp/smp_math.h"

#include <algorithm>

#include "crypto/modp_group.h"

namespace otr::v3::smp {
namespace {

// "The random exponents are 1536-bit numbers."
constexpr size_t kExponentSize = 192;

Bytes Minimal(ByteView v) {
  size_t skip = 0;
  while (skip < v.size() && v[skip] == 0) ++skip;
  return Bytes(v.begin() + static_cast<std::ptrdiff_t>(skip), v.end());
}

// The MPI encoding (4-byte length, minimal big-endian value) of `value`.
void UpdateMpi(crypto::HashContext& ctx, ByteView value) {
  while (!value.empty() && value[0] == 0) value = value.subspan(1);
  const uint32_t n = static_cast<uint32_t>(value.size());
  const uint8_t length[4] = {static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16),
                             static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
  ctx.Update(length);
  ctx.Update(value);
}

Error BadProof(std::string_view what) { return MakeError(ErrorCode::kBadProof, what); }

}  // namespace

SecretBytes ComputeSecret(const crypto::Backend& backend, ByteView initiator_fingerprint,
                          ByteView responder_fingerprint, ByteView ssid, ByteView user_secret) {
  auto ctx = backend.NewHash(crypto::HashAlgorithm::kSha256);
  const uint8_t version[1] = {1};
  ctx->Update(version);
  ctx->Update(initiator_fingerprint);
  ctx->Update(responder_fingerprint);
  ctx->Update(ssid);
  ctx->Update(user_secret);
  return ctx->Finish();
}

SmpMath::SmpMath(const crypto::Backend& backend) : backend_(backend) {
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  p_ = group.p;
  q_ = group.q;
  g1_ = group.g;
}

Result<SecretBytes> SmpMath::Exp(ByteView base, const SecretBytes& e) const {
  return backend_.ModExp(base, e, p_);
}

Result<Bytes> SmpMath::Published(ByteView base, const SecretBytes& e) const {
  OTR_ASSIGN_OR_RETURN(SecretBytes r, backend_.ModExp(base, e, p_));
  return r.Declassify();
}

Result<SecretBytes> SmpMath::ExpSecretBase(const SecretBytes& base, ByteView e) const {
  return backend_.ModExp(base.view(), SecretBytes(e), p_);
}

Result<Bytes> SmpMath::ExpPublic(ByteView base, ByteView e) const {
  return backend_.ModExpPublic(base, e, p_);
}

// A product of two powers by simultaneous exponentiation (the backends'
// Straus/Shamir): the proof checks' (Qa/Qb)^D7 Ra^cR and (Qa/Qb)^D7 Rb^cR.
Result<Bytes> SmpMath::ExpPublic2(ByteView base1, ByteView e1, ByteView base2, ByteView e2) const {
  return backend_.ModExp2Public(base1, e1, base2, e2, p_);
}

Result<SecretBytes> SmpMath::Mul(ByteView a, ByteView b) const { return backend_.ModMul(a, b, p_); }

Result<Bytes> SmpMath::MulP(ByteView a, ByteView b) const {
  OTR_ASSIGN_OR_RETURN(SecretBytes r, backend_.ModMul(a, b, p_));
  return r.Declassify();
}

Result<Bytes> SmpMath::DivP(ByteView a, ByteView b) const {
  OTR_ASSIGN_OR_RETURN(SecretBytes inverse, backend_.ModInverse(b, p_));
  return MulP(a, inverse.view());
}

// v3 "SMP Hash function": SHA256(version || MPI(a) [|| MPI(b)]), as an MPI
// value (minimal big-endian). The MPIs go to the hash piece by piece, so a
// secret input is never copied into a plain buffer.
Bytes SmpMath::Hash(uint8_t version, ByteView a) const {
  auto ctx = backend_.NewHash(crypto::HashAlgorithm::kSha256);
  const uint8_t v[1] = {version};
  ctx->Update(v);
  UpdateMpi(*ctx, a);
  return Minimal(ctx->Finish().view());
}

Bytes SmpMath::Hash(uint8_t version, ByteView a, ByteView b) const {
  auto ctx = backend_.NewHash(crypto::HashAlgorithm::kSha256);
  const uint8_t v[1] = {version};
  ctx->Update(v);
  UpdateMpi(*ctx, a);
  UpdateMpi(*ctx, b);
  return Minimal(ctx->Finish().view());
}

Result<Bytes> SmpMath::ProofD(const SecretBytes& r, const SecretBytes& secret, ByteView c) const {
  OTR_ASSIGN_OR_RETURN(SecretBytes product, backend_.ModMul(secret.view(), c, q_));
  OTR_ASSIGN_OR_RETURN(SecretBytes d, backend_.ModSub(r.view(), product.view(), q_));
  return d.Declassify();
}

// "Check that ... are >= 2 and <= modulus-2."
Status SmpMath::CheckElement(ByteView x) const {
  return crypto::CheckGroupElement(backend_, crypto::GetModpGroup(crypto::ModpGroupId::kModp1536),
                                   x);
}

// Exponents (the D values) must lie in [1, q-1], as libotr checks.
Status SmpMath::CheckExponent(ByteView x) const {
  static constexpr uint8_t kOne[] = {1};
  if (backend_.Compare(x, kOne) < 0 || backend_.Compare(x, q_) >= 0) {
    return MakeError(ErrorCode::kOutOfRange, "SMP exponent outside [1, q-1]");
  }
  return Status::Ok();
}

SecretBytes SmpMath::RandomExponent(crypto::Random& random) const {
  return random.SecretOfSize(kExponentSize);
}

Status SmpMath::CheckKnowledgeProof(uint8_t version, ByteView c, ByteView d, ByteView base) const {
  OTR_ASSIGN_OR_RETURN(Bytes g1d, ExpPublic(g1_, d));
  OTR_ASSIGN_OR_RETURN(Bytes basec, ExpPublic(base, c));
  OTR_ASSIGN_OR_RETURN(Bytes product, MulP(g1d, basec));
  if (Hash(version, product) != Minimal(c)) return BadProof("SMP: knowledge proof");
  return Status::Ok();
}

Result<Step1> SmpMath::MakeSmp1(crypto::Random& random, const SecretBytes& x) const {
  Step1 step;
  step.state.x = x;
  step.state.a2 = RandomExponent(random);
  step.state.a3 = RandomExponent(random);
  const SecretBytes r2 = RandomExponent(random);
  const SecretBytes r3 = RandomExponent(random);
  Smp1& m = step.message;
  OTR_ASSIGN_OR_RETURN(m.g2a, Published(g1_, step.state.a2));
  OTR_ASSIGN_OR_RETURN(m.g3a, Published(g1_, step.state.a3));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r2, Exp(g1_, r2));
  m.c2 = Hash(1, g1r2.view());
  OTR_ASSIGN_OR_RETURN(m.d2, ProofD(r2, step.state.a2, m.c2));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r3, Exp(g1_, r3));
  m.c3 = Hash(2, g1r3.view());
  OTR_ASSIGN_OR_RETURN(m.d3, ProofD(r3, step.state.a3, m.c3));
  return step;
}

Status SmpMath::VerifySmp1(const Smp1& m) const {
  OTR_RETURN_IF_ERROR(CheckElement(m.g2a));
  OTR_RETURN_IF_ERROR(CheckElement(m.g3a));
  OTR_RETURN_IF_ERROR(CheckExponent(m.d2));
  OTR_RETURN_IF_ERROR(CheckExponent(m.d3));
  OTR_RETURN_IF_ERROR(CheckKnowledgeProof(1, m.c2, m.d2, m.g2a));
  return CheckKnowledgeProof(2, m.c3, m.d3, m.g3a);
}

Result<Step2> SmpMath::MakeSmp2(crypto::Random& random, const Smp1& in,
                                const SecretBytes& y) const {
  OTR_RETURN_IF_ERROR(VerifySmp1(in));
  const SecretBytes b2 = RandomExponent(random);
  const SecretBytes b3 = RandomExponent(random);
  const SecretBytes r2 = RandomExponent(random);
  const SecretBytes r3 = RandomExponent(random);
  const SecretBytes r4 = RandomExponent(random);
  const SecretBytes r5 = RandomExponent(random);
  const SecretBytes r6 = RandomExponent(random);
  Step2 step;
  Smp2& m = step.message;
  OTR_ASSIGN_OR_RETURN(m.g2b, Published(g1_, b2));
  OTR_ASSIGN_OR_RETURN(m.g3b, Published(g1_, b3));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r2, Exp(g1_, r2));
  m.c2 = Hash(3, g1r2.view());
  OTR_ASSIGN_OR_RETURN(m.d2, ProofD(r2, b2, m.c2));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r3, Exp(g1_, r3));
  m.c3 = Hash(4, g1r3.view());
  OTR_ASSIGN_OR_RETURN(m.d3, ProofD(r3, b3, m.c3));

  BobAfter2& s = step.state;
  s.g3a = in.g3a;
  s.b3 = b3;
  OTR_ASSIGN_OR_RETURN(s.g2, Exp(in.g2a, b2));
  OTR_ASSIGN_OR_RETURN(s.g3, Exp(in.g3a, b3));
  OTR_ASSIGN_OR_RETURN(m.pb, Published(s.g3.view(), r4));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r4, Exp(g1_, r4));
  OTR_ASSIGN_OR_RETURN(SecretBytes g2y, Exp(s.g2.view(), y));
  OTR_ASSIGN_OR_RETURN(m.qb, MulP(g1r4.view(), g2y.view()));
  s.pb = m.pb;
  s.qb = m.qb;

  OTR_ASSIGN_OR_RETURN(SecretBytes g3r5, Exp(s.g3.view(), r5));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r5, Exp(g1_, r5));
  OTR_ASSIGN_OR_RETURN(SecretBytes g2r6, Exp(s.g2.view(), r6));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r5g2r6, Mul(g1r5.view(), g2r6.view()));
  m.cp = Hash(5, g3r5.view(), g1r5g2r6.view());
  OTR_ASSIGN_OR_RETURN(m.d5, ProofD(r5, r4, m.cp));
  OTR_ASSIGN_OR_RETURN(m.d6, ProofD(r6, y, m.cp));
  return step;
}

Result<Step3> SmpMath::ProcessSmp2(crypto::Random& random, const AliceAfter1& state,
                                   const Smp2& in) const {
  for (ByteView v : {ByteView(in.g2b), ByteView(in.g3b), ByteView(in.pb), ByteView(in.qb)}) {
    OTR_RETURN_IF_ERROR(CheckElement(v));
  }
  for (ByteView v : {ByteView(in.d2), ByteView(in.d3), ByteView(in.d5), ByteView(in.d6)}) {
    OTR_RETURN_IF_ERROR(CheckExponent(v));
  }
  OTR_RETURN_IF_ERROR(CheckKnowledgeProof(3, in.c2, in.d2, in.g2b));
  OTR_RETURN_IF_ERROR(CheckKnowledgeProof(4, in.c3, in.d3, in.g3b));
  OTR_ASSIGN_OR_RETURN(SecretBytes g2, Exp(in.g2b, state.a2));
  OTR_ASSIGN_OR_RETURN(SecretBytes g3, Exp(in.g3b, state.a3));

  // cP = SHA256(5, g3^D5 Pb^cP, g1^D5 g2^D6 Qb^cP)
  {
    OTR_ASSIGN_OR_RETURN(SecretBytes g3d5, ExpSecretBase(g3, in.d5));
    OTR_ASSIGN_OR_RETURN(Bytes pbcp, ExpPublic(in.pb, in.cp));
    OTR_ASSIGN_OR_RETURN(SecretBytes first, Mul(g3d5.view(), pbcp));
    OTR_ASSIGN_OR_RETURN(Bytes g1d5, ExpPublic(g1_, in.d5));
    OTR_ASSIGN_OR_RETURN(SecretBytes g2d6, ExpSecretBase(g2, in.d6));
    OTR_ASSIGN_OR_RETURN(Bytes qbcp, ExpPublic(in.qb, in.cp));
    OTR_ASSIGN_OR_RETURN(SecretBytes partial, Mul(g1d5, g2d6.view()));
    OTR_ASSIGN_OR_RETURN(SecretBytes second, Mul(partial.view(), qbcp));
    if (Hash(5, first.view(), second.view()) != Minimal(in.cp)) {
      return BadProof("SMP2: Pb, Qb proof");
    }
  }

  const SecretBytes r4 = RandomExponent(random);
  const SecretBytes r5 = RandomExponent(random);
  const SecretBytes r6 = RandomExponent(random);
  const SecretBytes r7 = RandomExponent(random);
  Step3 step;
  Smp3& m = step.message;
  OTR_ASSIGN_OR_RETURN(m.pa, Published(g3.view(), r4));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r4, Exp(g1_, r4));
  OTR_ASSIGN_OR_RETURN(SecretBytes g2x, Exp(g2.view(), state.x));
  OTR_ASSIGN_OR_RETURN(m.qa, MulP(g1r4.view(), g2x.view()));
  OTR_ASSIGN_OR_RETURN(SecretBytes g3r5, Exp(g3.view(), r5));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r5, Exp(g1_, r5));
  OTR_ASSIGN_OR_RETURN(SecretBytes g2r6, Exp(g2.view(), r6));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r5g2r6, Mul(g1r5.view(), g2r6.view()));
  m.cp = Hash(6, g3r5.view(), g1r5g2r6.view());
  OTR_ASSIGN_OR_RETURN(m.d5, ProofD(r5, r4, m.cp));
  OTR_ASSIGN_OR_RETURN(m.d6, ProofD(r6, state.x, m.cp));

  AliceAfter3& s = step.state;
  s.g3b = in.g3b;
  s.a3 = state.a3;
  OTR_ASSIGN_OR_RETURN(s.pa_over_pb, DivP(m.pa, in.pb));
  OTR_ASSIGN_OR_RETURN(s.qa_over_qb, DivP(m.qa, in.qb));
  OTR_ASSIGN_OR_RETURN(m.ra, Published(s.qa_over_qb, state.a3));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r7, Exp(g1_, r7));
  OTR_ASSIGN_OR_RETURN(SecretBytes qr7, Exp(s.qa_over_qb, r7));
  m.cr = Hash(7, g1r7.view(), qr7.view());
  OTR_ASSIGN_OR_RETURN(m.d7, ProofD(r7, state.a3, m.cr));
  return step;
}

Result<Step4> SmpMath::ProcessSmp3(crypto::Random& random, const BobAfter2& state,
                                   const Smp3& in) const {
  for (ByteView v : {ByteView(in.pa), ByteView(in.qa), ByteView(in.ra)}) {
    OTR_RETURN_IF_ERROR(CheckElement(v));
  }
  for (ByteView v : {ByteView(in.d5), ByteView(in.d6), ByteView(in.d7)}) {
    OTR_RETURN_IF_ERROR(CheckExponent(v));
  }
  // cP = SHA256(6, g3^D5 Pa^cP, g1^D5 g2^D6 Qa^cP)
  {
    OTR_ASSIGN_OR_RETURN(SecretBytes g3d5, ExpSecretBase(state.g3, in.d5));
    OTR_ASSIGN_OR_RETURN(Bytes pacp, ExpPublic(in.pa, in.cp));
    OTR_ASSIGN_OR_RETURN(SecretBytes first, Mul(g3d5.view(), pacp));
    OTR_ASSIGN_OR_RETURN(Bytes g1d5, ExpPublic(g1_, in.d5));
    OTR_ASSIGN_OR_RETURN(SecretBytes g2d6, ExpSecretBase(state.g2, in.d6));
    OTR_ASSIGN_OR_RETURN(Bytes qacp, ExpPublic(in.qa, in.cp));
    OTR_ASSIGN_OR_RETURN(SecretBytes partial, Mul(g1d5, g2d6.view()));
    OTR_ASSIGN_OR_RETURN(SecretBytes second, Mul(partial.view(), qacp));
    if (Hash(6, first.view(), second.view()) != Minimal(in.cp)) {
      return BadProof("SMP3: Pa, Qa proof");
    }
  }
  OTR_ASSIGN_OR_RETURN(Bytes qa_over_qb, DivP(in.qa, state.qb));
  // cR = SHA256(7, g1^D7 g3a^cR, (Qa/Qb)^D7 Ra^cR)
  {
    OTR_ASSIGN_OR_RETURN(Bytes g1d7, ExpPublic(g1_, in.d7));
    OTR_ASSIGN_OR_RETURN(Bytes g3acr, ExpPublic(state.g3a, in.cr));
    OTR_ASSIGN_OR_RETURN(Bytes first, MulP(g1d7, g3acr));
    OTR_ASSIGN_OR_RETURN(Bytes second, ExpPublic2(qa_over_qb, in.d7, in.ra, in.cr));
    if (Hash(7, first, second) != Minimal(in.cr)) return BadProof("SMP3: Ra proof");
  }

  const SecretBytes r7 = RandomExponent(random);
  Step4 step;
  Smp4& m = step.message;
  OTR_ASSIGN_OR_RETURN(m.rb, Published(qa_over_qb, state.b3));
  OTR_ASSIGN_OR_RETURN(SecretBytes g1r7, Exp(g1_, r7));
  OTR_ASSIGN_OR_RETURN(SecretBytes qr7, Exp(qa_over_qb, r7));
  m.cr = Hash(8, g1r7.view(), qr7.view());
  OTR_ASSIGN_OR_RETURN(m.d7, ProofD(r7, state.b3, m.cr));

  OTR_ASSIGN_OR_RETURN(SecretBytes rab, Exp(in.ra, state.b3));
  OTR_ASSIGN_OR_RETURN(Bytes pa_over_pb, DivP(in.pa, state.pb));
  step.secrets_match = crypto::ConstantTimeEqual(pa_over_pb, rab.view());
  return step;
}

Result<bool> SmpMath::ProcessSmp4(const AliceAfter3& state, const Smp4& in) const {
  OTR_RETURN_IF_ERROR(CheckElement(in.rb));
  OTR_RETURN_IF_ERROR(CheckExponent(in.d7));
  // cR = SHA256(8, g1^D7 g3b^cR, (Qa/Qb)^D7 Rb^cR)
  OTR_ASSIGN_OR_RETURN(Bytes g1d7, ExpPublic(g1_, in.d7));
  OTR_ASSIGN_OR_RETURN(Bytes g3bcr, ExpPublic(state.g3b, in.cr));
  OTR_ASSIGN_OR_RETURN(Bytes first, MulP(g1d7, g3bcr));
  OTR_ASSIGN_OR_RETURN(Bytes second, ExpPublic2(state.qa_over_qb, in.d7, in.rb, in.cr));
  if (Hash(8, first, second) != Minimal(in.cr)) return BadProof("SMP4: Rb proof");
  OTR_ASSIGN_OR_RETURN(SecretBytes rab, Exp(in.rb, state.a3));
  return crypto::ConstantTimeEqual(state.pa_over_pb, rab.view());
}

}  // namespace otr::v3::smp
