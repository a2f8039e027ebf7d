#include "protocol/v4/smp/ed448_group.h"

#include <array>
#include <utility>

#include "protocol/v4/libotr_ng/smp_secret.h"
#include "protocol/v4/messages/smp.h"

namespace otr::v4::smp {
namespace {

using crypto::Ed448Point;
using ::otr::smp::Finished;
using ::otr::smp::Made;
using ::otr::smp::StepState;

// The executor hands back only states this group made; anything else is a
// wrong-state message, which fails like a bad proof.
template <typename T>
Result<const T*> StateAs(const StepState& state) {
  const T* typed = std::any_cast<T>(&state);
  if (typed == nullptr) return MakeError(ErrorCode::kBadState, "v4 SMP: no state for this step");
  return typed;
}

// libotr-ng's hash to scalar (smp_protocol.c, hash_to_scalar):
// SHAKE-256("OTRv4" || usage || data, 64), its first 56 bytes little-endian
// mod q (goldilocks_448_scalar_decode_long over ED448_SCALAR_BYTES).
SecretBytes LibotrNgHashToScalar(const crypto::Backend& b, uint8_t usage, ByteView data) {
  Bytes input = {'O', 'T', 'R', 'v', '4', usage};
  input.insert(input.end(), data.begin(), data.end());
  const SecretBytes hash = b.Shake256(input, 64);
  return b.Ed448ScalarReduce(hash.view().first(56));
}

// The arithmetic every step shares, over one backend, in the spec's
// conventions or libotr-ng's (Convention::kLibotrNg: its generator 4 * B,
// docs/libotr-ng-deviations.md #9, and its hash to scalar; the proofs'
// identifiers 0x01..0x08 are the spec's).
class Arith {
 public:
  Arith(const crypto::Backend& backend, Convention convention)
      : b_(backend), ng_(convention == Convention::kLibotrNg) {}

  // A received POINT: "Verifying that a point is on the curve" (on the
  // curve, not the identity, q * X = I), all in Ed448Decode.
  Result<Ed448Point> ReceivedPoint(const Point& wire) const { return b_.Ed448Decode(wire); }
  // A received SCALAR: 57 bytes below q (kNonCanonical otherwise).
  Result<SecretBytes> ReceivedScalar(const Scalar& wire) const {
    return b_.Ed448ScalarDecode(wire);
  }

  // A computed point the spec asks to "Check ... on curve Ed448": it comes
  // from validated points and scalars, so it is in the subgroup; only the
  // identity is left to refuse.
  Status Check(const Ed448Point& p) const {
    if (b_.Ed448Equal(p, b_.Ed448Identity())) {
      return MakeError(ErrorCode::kIdentityPoint, "v4 SMP: a computed point is the identity");
    }
    return Status::Ok();
  }

  Point Wire(const Ed448Point& p) const { return b_.Ed448Encode(p); }
  // A scalar the message publishes (a c or a d).
  static Scalar Wire(const SecretBytes& s) {
    Scalar out{};
    for (size_t i = 0; i < out.size() && i < s.size(); ++i) out[i] = s[i];
    return out;
  }

  SecretBytes Random(crypto::Random& random) const { return RandomScalar(b_, random); }
  // G * k. libotr-ng's G = 4 * B, so G * k = B * (4k mod q): the base
  // point's table either way.
  Ed448Point G(const SecretBytes& k) const { return b_.Ed448MulBase(BaseScalar(k)); }
  Ed448Point Mul(const Ed448Point& p, const SecretBytes& k) const { return b_.Ed448Mul(p, k); }
  // The two-term combinations of the proofs as one double multiplication
  // (decision 0033), which also yields the sum's encoding for the hash.
  // G * k + P * m, secret k and m (constant time).
  Ed448Point GPlus(const SecretBytes& k, const Ed448Point& p, const SecretBytes& m) const {
    return b_.Ed448MulAdd(b_.Ed448Base(), BaseScalar(k), p, m);
  }
  // G * k + P * m in a check: k and m are a received proof's (public).
  Ed448Point GPlusPublic(const SecretBytes& k, const Ed448Point& p, const SecretBytes& m) const {
    return b_.Ed448MulBaseAddPublic(BaseScalar(k).view(), m.view(), p);
  }
  // P * k + Q * m (constant time).
  Ed448Point Combo(const Ed448Point& p, const SecretBytes& k, const Ed448Point& q,
                   const SecretBytes& m) const {
    return b_.Ed448MulAdd(p, k, q, m);
  }
  Ed448Point Add(const Ed448Point& p, const Ed448Point& q) const { return b_.Ed448Add(p, q); }
  Ed448Point Sub(const Ed448Point& p, const Ed448Point& q) const { return b_.Ed448Sub(p, q); }
  bool Equal(const Ed448Point& p, const Ed448Point& q) const { return b_.Ed448Equal(p, q); }

  // libotr-ng: c = hash_to_scalar(i || p), and for two points
  // hash_to_scalar(i || SHAKE-256(p1 || p2, 64)).
  SecretBytes Hash(ProofId i, const Ed448Point& p) const {
    if (!ng_) return HashToScalar(b_, i, p);
    const Point e = b_.Ed448Encode(p);
    return LibotrNgHashToScalar(b_, static_cast<uint8_t>(i), e);
  }
  SecretBytes Hash(ProofId i, const Ed448Point& p1, const Ed448Point& p2) const {
    if (!ng_) return HashToScalar(b_, i, p1, p2);
    const Point e1 = b_.Ed448Encode(p1), e2 = b_.Ed448Encode(p2);
    Bytes both(e1.begin(), e1.end());
    both.insert(both.end(), e2.begin(), e2.end());
    const SecretBytes inner = b_.Shake256(both, 64);
    return LibotrNgHashToScalar(b_, static_cast<uint8_t>(i), inner.view());
  }
  // "d = r - a * c mod q" (also "d6 = (r6 - y * cp) mod q").
  SecretBytes ProofD(const SecretBytes& r, const SecretBytes& a, const SecretBytes& c) const {
    return b_.Ed448ScalarSub(r, b_.Ed448ScalarMul(a, c));
  }
  // "Check that c == HashToScalar(i || ...)"; c and the hash are public.
  static Status Expect(const SecretBytes& c, const SecretBytes& hash) {
    if (!(c == hash)) return MakeError(ErrorCode::kBadProof, "v4 SMP: a proof does not verify");
    return Status::Ok();
  }

  // A secret-derived point kept between steps (G2, G3): its encoding, wiped.
  SecretBytes Keep(const Ed448Point& p) const {
    const crypto::Ed448Encoding e = b_.Ed448Encode(p);
    return SecretBytes(ByteView(e));
  }
  Result<Ed448Point> Kept(const SecretBytes& encoding) const {
    return b_.Ed448Decode(encoding.view());
  }

 private:
  // The scalar of B for G * k: k, or 4k mod q under libotr-ng's G = 4 * B.
  SecretBytes BaseScalar(const SecretBytes& k) const {
    if (!ng_) return k;
    return b_.Ed448ScalarMul(k, SecretBytes{ByteView(kFour)});
  }

  static constexpr std::array<uint8_t, crypto::kEd448ScalarSize> kFour = {4};
  const crypto::Backend& b_;
  bool ng_;
};

// The decoded and validated values of message 1 (VerifySmp1 and MakeSmp2
// both need them; the other steps decode in place).
struct Smp1Values {
  Ed448Point g2a, g3a;
  SecretBytes c2, d2, c3, d3;
};

Result<Smp1Values> Validate(const Arith& a, const SmpMessage1& m) {
  Smp1Values v;
  OTR_ASSIGN_OR_RETURN(v.g2a, a.ReceivedPoint(m.g2a));
  OTR_ASSIGN_OR_RETURN(v.c2, a.ReceivedScalar(m.c2));
  OTR_ASSIGN_OR_RETURN(v.d2, a.ReceivedScalar(m.d2));
  OTR_ASSIGN_OR_RETURN(v.g3a, a.ReceivedPoint(m.g3a));
  OTR_ASSIGN_OR_RETURN(v.c3, a.ReceivedScalar(m.c3));
  OTR_ASSIGN_OR_RETURN(v.d3, a.ReceivedScalar(m.d3));
  return v;
}

// otrv4.md, "Receiving a SMP Message 1": "Check that both G2a and G3a are on
// curve Ed448", "Check that c2 == HashToScalar(0x01 || G * d2 + G2a * c2)",
// "Check that c3 == HashToScalar(0x02 || G * d3 + G3a * c3)".
Result<Smp1Values> Verify1(const Arith& a, ByteView body) {
  OTR_ASSIGN_OR_RETURN(SmpMessage1 m, DecodeSmpMessage1(body));
  OTR_ASSIGN_OR_RETURN(Smp1Values v, Validate(a, m));
  const Ed448Point t2 = a.GPlusPublic(v.d2, v.g2a, v.c2);
  OTR_RETURN_IF_ERROR(Arith::Expect(v.c2, a.Hash(ProofId::kAliceG2, t2)));
  const Ed448Point t3 = a.GPlusPublic(v.d3, v.g3a, v.c3);
  OTR_RETURN_IF_ERROR(Arith::Expect(v.c3, a.Hash(ProofId::kAliceG3, t3)));
  return v;
}

}  // namespace

SecretBytes Ed448Group::Secret(bool we_initiated, ByteView user_secret) const {
  if (convention_ == Convention::kLibotrNg) {
    // libotr-ng's secret (#13), initiator first as in the spec.
    const Fingerprint& first = we_initiated ? our_ : their_;
    const Fingerprint& second = we_initiated ? their_ : our_;
    return libotr_ng::SmpSecret(*backend_, first, second, ssid_, user_secret);
  }
  return we_initiated ? ComputeSecret(*backend_, our_, their_, ssid_, user_secret)
                      : ComputeSecret(*backend_, their_, our_, ssid_, user_secret);
}

// otrv4.md, "SMP Message 1".
Result<Made> Ed448Group::MakeSmp1(crypto::Random& random, const SecretBytes& x) const {
  const Arith a(*backend_, convention_);
  AliceAfter1 state{x, a.Random(random), a.Random(random)};
  const SecretBytes r2 = a.Random(random), r3 = a.Random(random);
  // "Compute G2a = G * a2 and G3a = G * a3. Check that G2a and G3a are on
  // curve Ed448."
  const Ed448Point g2a = a.G(state.a2), g3a = a.G(state.a3);
  OTR_RETURN_IF_ERROR(a.Check(g2a));
  OTR_RETURN_IF_ERROR(a.Check(g3a));
  // "c2 = HashToScalar(0x01 || G * r2) and d2 = r2 - a2 * c2 mod q",
  // "c3 = HashToScalar(0x02 || G * r3) and d3 = r3 - a3 * c3 mod q".
  const Ed448Point g_r2 = a.G(r2), g_r3 = a.G(r3);
  const SecretBytes c2 = a.Hash(ProofId::kAliceG2, g_r2);
  const SecretBytes c3 = a.Hash(ProofId::kAliceG3, g_r3);
  SmpMessage1 m;
  m.g2a = a.Wire(g2a);
  m.c2 = Arith::Wire(c2);
  m.d2 = Arith::Wire(a.ProofD(r2, state.a2, c2));
  m.g3a = a.Wire(g3a);
  m.c3 = Arith::Wire(c3);
  m.d3 = Arith::Wire(a.ProofD(r3, state.a3, c3));
  return Made{EncodeSmpMessage1(m), StepState(std::move(state))};
}

Status Ed448Group::VerifySmp1(ByteView smp1) const {
  OTR_ASSIGN_OR_RETURN(Smp1Values v, Verify1(Arith(*backend_, convention_), smp1));
  (void)v;
  return Status::Ok();
}

// otrv4.md, "SMP Message 2" (the checks of message 1 are repeated: the body
// is the one VerifySmp1 accepted, but this step trusts nothing it is given).
Result<Made> Ed448Group::MakeSmp2(crypto::Random& random, ByteView smp1,
                                  const SecretBytes& y) const {
  const Arith a(*backend_, convention_);
  OTR_ASSIGN_OR_RETURN(Smp1Values in, Verify1(a, smp1));
  const SecretBytes b2 = a.Random(random);
  BobAfter2 state;
  state.b3 = a.Random(random);
  const SecretBytes r2 = a.Random(random), r3 = a.Random(random), r4 = a.Random(random),
                    r5 = a.Random(random), r6 = a.Random(random);
  // "Compute G2b = G * b2 and G3b = G * b3."
  const Ed448Point g2b = a.G(b2), g3b = a.G(state.b3);
  OTR_RETURN_IF_ERROR(a.Check(g2b));
  OTR_RETURN_IF_ERROR(a.Check(g3b));
  // "c2 = HashToScalar(0x03 || G * r2) and d2 = r2 - b2 * c2 mod q",
  // "c3 = HashToScalar(0x04 || G * r3) and d3 = r3 - b3 * c3 mod q".
  const Ed448Point g_r2 = a.G(r2), g_r3 = a.G(r3);
  const SecretBytes c2 = a.Hash(ProofId::kBobG2, g_r2);
  const SecretBytes c3 = a.Hash(ProofId::kBobG3, g_r3);
  // "Compute G2 = G2a * b2 and G3 = G3a * b3."
  const Ed448Point g2 = a.Mul(in.g2a, b2), g3 = a.Mul(in.g3a, state.b3);
  OTR_RETURN_IF_ERROR(a.Check(g2));
  OTR_RETURN_IF_ERROR(a.Check(g3));
  // "Compute Pb = G3 * r4 and Qb = G * r4 + G2 * y."
  state.pb = a.Mul(g3, r4);
  state.qb = a.GPlus(r4, g2, y);
  OTR_RETURN_IF_ERROR(a.Check(state.pb));
  OTR_RETURN_IF_ERROR(a.Check(state.qb));
  // "cp = HashToScalar(0x05 || G3 * r5 || G * r5 + G2 * r6),
  // d5 = r5 - r4 * cp mod q and d6 = (r6 - y * cp) mod q."
  const Ed448Point g3_r5 = a.Mul(g3, r5);
  const Ed448Point g_r5_g2_r6 = a.GPlus(r5, g2, r6);
  const SecretBytes cp = a.Hash(ProofId::kBobPQ, g3_r5, g_r5_g2_r6);

  SmpMessage2 m;
  m.g2b = a.Wire(g2b);
  m.c2 = Arith::Wire(c2);
  m.d2 = Arith::Wire(a.ProofD(r2, b2, c2));
  m.g3b = a.Wire(g3b);
  m.c3 = Arith::Wire(c3);
  m.d3 = Arith::Wire(a.ProofD(r3, state.b3, c3));
  m.pb = a.Wire(state.pb);
  m.qb = a.Wire(state.qb);
  m.cp = Arith::Wire(cp);
  m.d5 = Arith::Wire(a.ProofD(r5, r4, cp));
  m.d6 = Arith::Wire(a.ProofD(r6, y, cp));
  // "Store the values of G3a, G2, G3, b3, Pb and Qb."
  state.g3a = in.g3a;
  state.g2 = a.Keep(g2);
  state.g3 = a.Keep(g3);
  return Made{EncodeSmpMessage2(m), StepState(std::move(state))};
}

// otrv4.md, "Receiving a SMP Message 2", then "SMP Message 3".
Result<Made> Ed448Group::ProcessSmp2(crypto::Random& random, const StepState& after1,
                                     ByteView smp2) const {
  const Arith a(*backend_, convention_);
  OTR_ASSIGN_OR_RETURN(const AliceAfter1* s, StateAs<AliceAfter1>(after1));
  OTR_ASSIGN_OR_RETURN(SmpMessage2 m, DecodeSmpMessage2(smp2));
  // "Check that G2b, G3b, Pb and Qb are on curve Ed448."
  OTR_ASSIGN_OR_RETURN(const Ed448Point g2b, a.ReceivedPoint(m.g2b));
  OTR_ASSIGN_OR_RETURN(const Ed448Point g3b, a.ReceivedPoint(m.g3b));
  OTR_ASSIGN_OR_RETURN(const Ed448Point pb, a.ReceivedPoint(m.pb));
  OTR_ASSIGN_OR_RETURN(const Ed448Point qb, a.ReceivedPoint(m.qb));
  OTR_ASSIGN_OR_RETURN(const SecretBytes c2, a.ReceivedScalar(m.c2));
  OTR_ASSIGN_OR_RETURN(const SecretBytes d2, a.ReceivedScalar(m.d2));
  OTR_ASSIGN_OR_RETURN(const SecretBytes c3, a.ReceivedScalar(m.c3));
  OTR_ASSIGN_OR_RETURN(const SecretBytes d3, a.ReceivedScalar(m.d3));
  OTR_ASSIGN_OR_RETURN(const SecretBytes cp_in, a.ReceivedScalar(m.cp));
  OTR_ASSIGN_OR_RETURN(const SecretBytes d5_in, a.ReceivedScalar(m.d5));
  OTR_ASSIGN_OR_RETURN(const SecretBytes d6_in, a.ReceivedScalar(m.d6));
  // "Check that c2 == HashToScalar(0x03 || G * d2 + G2b * c2)."
  const Ed448Point t2 = a.GPlusPublic(d2, g2b, c2);
  OTR_RETURN_IF_ERROR(Arith::Expect(c2, a.Hash(ProofId::kBobG2, t2)));
  // "Check that c3 == HashToScalar(0x04 || G * d3 + G3b * c3)."
  const Ed448Point t3 = a.GPlusPublic(d3, g3b, c3);
  OTR_RETURN_IF_ERROR(Arith::Expect(c3, a.Hash(ProofId::kBobG3, t3)));
  // "Compute G2 = G2b * a2 and G3 = G3b * a3."
  const Ed448Point g2 = a.Mul(g2b, s->a2), g3 = a.Mul(g3b, s->a3);
  OTR_RETURN_IF_ERROR(a.Check(g2));
  OTR_RETURN_IF_ERROR(a.Check(g3));
  // "Check that cp == HashToScalar(0x05 || G3 * d5 + Pb * cp || G * d5 +
  // G2 * d6 + Qb * cp)."
  // G2 and G3 are secret-derived: the double multiplications with them are
  // the constant-time ones.
  const Ed448Point tp1 = a.Combo(g3, d5_in, pb, cp_in);
  const Ed448Point tp2 = a.Add(a.GPlus(d5_in, g2, d6_in), a.Mul(qb, cp_in));
  OTR_RETURN_IF_ERROR(Arith::Expect(cp_in, a.Hash(ProofId::kBobPQ, tp1, tp2)));

  // "SMP Message 3": r4, r5, r6, r7.
  const SecretBytes r4 = a.Random(random), r5 = a.Random(random), r6 = a.Random(random),
                    r7 = a.Random(random);
  // "Compute Pa = G3 * r4 and Qa = G * r4 + G2 * x."
  const Ed448Point pa = a.Mul(g3, r4);
  const Ed448Point qa = a.GPlus(r4, g2, s->x);
  OTR_RETURN_IF_ERROR(a.Check(pa));
  OTR_RETURN_IF_ERROR(a.Check(qa));
  // "cp = HashToScalar(0x06 || G3 * r5 || G * r5 + G2 * r6), d5 = r5 - r4 *
  // cp mod q and d6 = ((r6 - x * cp) mod q."
  const Ed448Point g3_r5 = a.Mul(g3, r5);
  const Ed448Point g_r5_g2_r6 = a.GPlus(r5, g2, r6);
  const SecretBytes cp = a.Hash(ProofId::kAlicePQ, g3_r5, g_r5_g2_r6);
  // "Compute Ra = (Qa - Qb) * a3."
  AliceAfter3 next;
  next.qa_minus_qb = a.Sub(qa, qb);
  const Ed448Point ra = a.Mul(next.qa_minus_qb, s->a3);
  OTR_RETURN_IF_ERROR(a.Check(ra));
  // "cr = HashToScalar(0x07 || G * r7 || (Qa - Qb) * r7) and d7 = r7 - a3 *
  // cr mod q."
  const Ed448Point g_r7 = a.G(r7);
  const Ed448Point qab_r7 = a.Mul(next.qa_minus_qb, r7);
  const SecretBytes cr = a.Hash(ProofId::kAliceR, g_r7, qab_r7);

  SmpMessage3 out;
  out.pa = a.Wire(pa);
  out.qa = a.Wire(qa);
  out.cp = Arith::Wire(cp);
  out.d5 = Arith::Wire(a.ProofD(r5, r4, cp));
  out.d6 = Arith::Wire(a.ProofD(r6, s->x, cp));
  out.ra = a.Wire(ra);
  out.cr = Arith::Wire(cr);
  out.d7 = Arith::Wire(a.ProofD(r7, s->a3, cr));
  // "Store the values of G3b, Pa - Pb, Qa - Qb and a3."
  next.g3b = g3b;
  next.pa_minus_pb = a.Sub(pa, pb);
  next.a3 = s->a3;
  return Made{EncodeSmpMessage3(out), StepState(std::move(next))};
}

// otrv4.md, "Receiving a SMP Message 3", then "SMP Message 4".
Result<Finished> Ed448Group::ProcessSmp3(crypto::Random& random, const StepState& after2,
                                         ByteView smp3) const {
  const Arith a(*backend_, convention_);
  OTR_ASSIGN_OR_RETURN(const BobAfter2* s, StateAs<BobAfter2>(after2));
  OTR_ASSIGN_OR_RETURN(SmpMessage3 m, DecodeSmpMessage3(smp3));
  // "Check that Pa, Qa and Ra are on curve Ed448."
  OTR_ASSIGN_OR_RETURN(const Ed448Point pa, a.ReceivedPoint(m.pa));
  OTR_ASSIGN_OR_RETURN(const Ed448Point qa, a.ReceivedPoint(m.qa));
  OTR_ASSIGN_OR_RETURN(const Ed448Point ra, a.ReceivedPoint(m.ra));
  OTR_ASSIGN_OR_RETURN(const SecretBytes cp, a.ReceivedScalar(m.cp));
  OTR_ASSIGN_OR_RETURN(const SecretBytes d5, a.ReceivedScalar(m.d5));
  OTR_ASSIGN_OR_RETURN(const SecretBytes d6, a.ReceivedScalar(m.d6));
  OTR_ASSIGN_OR_RETURN(const SecretBytes cr_in, a.ReceivedScalar(m.cr));
  OTR_ASSIGN_OR_RETURN(const SecretBytes d7_in, a.ReceivedScalar(m.d7));
  OTR_ASSIGN_OR_RETURN(const Ed448Point g2, a.Kept(s->g2));
  OTR_ASSIGN_OR_RETURN(const Ed448Point g3, a.Kept(s->g3));
  // "Check that cp == HashToScalar(0x06 || G3 * d5 + Pa * cp || G * d5 + G2
  // * d6 + Qa * cp)."
  const Ed448Point tp1 = a.Combo(g3, d5, pa, cp);
  const Ed448Point tp2 = a.Add(a.GPlus(d5, g2, d6), a.Mul(qa, cp));
  OTR_RETURN_IF_ERROR(Arith::Expect(cp, a.Hash(ProofId::kAlicePQ, tp1, tp2)));
  // "Check that cr == HashToScalar(0x07 || G * d7 + G3a * cr || (Qa - Qb) *
  // d7 + Ra * cr)."
  const Ed448Point qa_minus_qb = a.Sub(qa, s->qb);
  const Ed448Point tr1 = a.GPlusPublic(d7_in, s->g3a, cr_in);
  const Ed448Point tr2 = a.Combo(qa_minus_qb, d7_in, ra, cr_in);
  OTR_RETURN_IF_ERROR(Arith::Expect(cr_in, a.Hash(ProofId::kAliceR, tr1, tr2)));

  // "SMP Message 4": "Compute Rb = (Qa - Qb) * b3", "cr = HashToScalar(0x08
  // || G * r7 || (Qa - Qb) * r7) and d7 = r7 - b3 * cr mod q."
  const SecretBytes r7 = a.Random(random);
  const Ed448Point rb = a.Mul(qa_minus_qb, s->b3);
  OTR_RETURN_IF_ERROR(a.Check(rb));
  const Ed448Point g_r7 = a.G(r7);
  const Ed448Point qab_r7 = a.Mul(qa_minus_qb, r7);
  const SecretBytes cr = a.Hash(ProofId::kBobR, g_r7, qab_r7);
  SmpMessage4 out;
  out.rb = a.Wire(rb);
  out.cr = Arith::Wire(cr);
  out.d7 = Arith::Wire(a.ProofD(r7, s->b3, cr));
  // "Compute Rab = Ra * b3", "Determine if x == y by checking the equivalent
  // condition that Pa - Pb == Rab."
  const Ed448Point rab = a.Mul(ra, s->b3);
  const bool match = a.Equal(rab, a.Sub(pa, s->pb));
  return Finished{EncodeSmpMessage4(out), match};
}

// otrv4.md, "Receiving a SMP Message 4".
Result<bool> Ed448Group::ProcessSmp4(const StepState& after3, ByteView smp4) const {
  const Arith a(*backend_, convention_);
  OTR_ASSIGN_OR_RETURN(const AliceAfter3* s, StateAs<AliceAfter3>(after3));
  OTR_ASSIGN_OR_RETURN(SmpMessage4 m, DecodeSmpMessage4(smp4));
  // "Check that Rb is on curve Ed448."
  OTR_ASSIGN_OR_RETURN(const Ed448Point rb, a.ReceivedPoint(m.rb));
  OTR_ASSIGN_OR_RETURN(const SecretBytes cr, a.ReceivedScalar(m.cr));
  OTR_ASSIGN_OR_RETURN(const SecretBytes d7, a.ReceivedScalar(m.d7));
  // "Check that cr == HashToScalar(0x08 || G * d7 + G3b * cr || (Qa - Qb) *
  // d7 + Rb * cr)."
  const Ed448Point t1 = a.GPlusPublic(d7, s->g3b, cr);
  const Ed448Point t2 = a.Combo(s->qa_minus_qb, d7, rb, cr);
  OTR_RETURN_IF_ERROR(Arith::Expect(cr, a.Hash(ProofId::kBobR, t1, t2)));
  // "Compute Rab = Rb * a3", "Determine if x == y by checking the equivalent
  // condition that (Pa - Pb) == Rab."
  const Ed448Point rab = a.Mul(rb, s->a3);
  return a.Equal(rab, s->pa_minus_pb);
}

Result<Bytes> Ed448Group::WithQuestion(ByteView smp1, std::optional<std::string_view> question) {
  OTR_ASSIGN_OR_RETURN(SmpMessage1 m, DecodeSmpMessage1(smp1));
  m.question.clear();
  if (question) {
    // The TLV's "Length (SHORT)" bounds the whole body.
    if (question->size() > kMaxSmpQuestionSize) {
      return MakeError(ErrorCode::kTooLarge, "v4 SMP: question too long for a TLV");
    }
    const ByteView q = AsBytes(*question);
    m.question.assign(q.begin(), q.end());
  }
  return EncodeSmpMessage1(m);
}

std::optional<std::string> Ed448Group::QuestionOf(ByteView smp1) {
  auto m = DecodeSmpMessage1(smp1);
  if (!m.ok() || m->question.empty()) return std::nullopt;
  return std::string(m->question.begin(), m->question.end());
}

}  // namespace otr::v4::smp
