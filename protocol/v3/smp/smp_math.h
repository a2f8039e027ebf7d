// The arithmetic of the v2/v3 Socialist Millionaires' Protocol (otr v3 spec,
// "Socialist Millionaires' Protocol (SMP)"): building and verifying SMP
// messages 1-4 in the 1536-bit group. No state machine here: the engine
// runs smp_table.h and calls these steps from its actions.
//
// Alice (initiator)             Bob (responder)
//   MakeSmp1          ---1--->    VerifySmp1, MakeSmp2
//   ProcessSmp2       <--2----
//   (makes message 3) ---3--->    ProcessSmp3 (makes message 4, result)
//   ProcessSmp4       <--4----    (result)
#ifndef OTR_PROTOCOL_V3_SMP_SMP_MATH_H_
#define OTR_PROTOCOL_V3_SMP_SMP_MATH_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v3/smp_tlv.h"

namespace otr::v3::smp {

using crypto::SecretBytes;

// The secret compared (v3 "Secret information"): SHA-256 of version 1,
// the initiator's and responder's fingerprints, the ssid and the user's
// secret.
SecretBytes ComputeSecret(const crypto::Backend& backend, ByteView initiator_fingerprint,
                          ByteView responder_fingerprint, ByteView ssid, ByteView user_secret);

// The message bodies are those of protocol/v3/smp_tlv.h.

// What Alice keeps after sending message 1, and after message 3.
struct AliceAfter1 {
  SecretBytes x, a2, a3;
};
struct AliceAfter3 {
  Bytes g3b, pa_over_pb, qa_over_qb;
  SecretBytes a3;
};
// What Bob keeps after sending message 2. g2 and g3 are D-H values of
// secret exponents (issue 14: secrets, so SecretBytes); the rest is public.
struct BobAfter2 {
  Bytes g3a;
  SecretBytes g2, g3;
  Bytes pb, qb;
  SecretBytes b3;
};

struct Step1 {
  Smp1 message;
  AliceAfter1 state;
};
struct Step2 {
  Smp2 message;
  BobAfter2 state;
};
struct Step3 {
  Smp3 message;
  AliceAfter3 state;
};
struct Step4 {
  Smp4 message;
  bool secrets_match;
};

class SmpMath {
 public:
  explicit SmpMath(const crypto::Backend& backend);

  Result<Step1> MakeSmp1(crypto::Random& random, const SecretBytes& x) const;
  // Range checks and the proofs for g2a and g3a (kOutOfRange, kBadSignature).
  Status VerifySmp1(const Smp1& m) const;
  // Bob's reply to a verified message 1 with his secret y.
  Result<Step2> MakeSmp2(crypto::Random& random, const Smp1& m, const SecretBytes& y) const;
  // Alice verifies message 2 and builds message 3.
  Result<Step3> ProcessSmp2(crypto::Random& random, const AliceAfter1& state, const Smp2& m) const;
  // Bob verifies message 3, builds message 4 and learns the result.
  Result<Step4> ProcessSmp3(crypto::Random& random, const BobAfter2& state, const Smp3& m) const;
  // Alice verifies message 4 and learns the result.
  Result<bool> ProcessSmp4(const AliceAfter3& state, const Smp4& m) const;

 private:
  // Every value computed from a secret (exponent or base) stays a
  // SecretBytes; only what a message carries is declassified (Published).
  Result<SecretBytes> Exp(ByteView base, const SecretBytes& e) const;
  Result<Bytes> Published(ByteView base, const SecretBytes& e) const;
  // A secret base to a public exponent (the proof checks with g2, g3).
  Result<SecretBytes> ExpSecretBase(const SecretBytes& base, ByteView e) const;
  Result<Bytes> ExpPublic(ByteView base, ByteView e) const;
  // base1^e1 * base2^e2 (public exponents and bases), one simultaneous exponentiation.
  Result<Bytes> ExpPublic2(ByteView base1, ByteView e1, ByteView base2, ByteView e2) const;
  Result<SecretBytes> Mul(ByteView a, ByteView b) const;
  Result<Bytes> MulP(ByteView a, ByteView b) const;
  Result<Bytes> DivP(ByteView a, ByteView b) const;
  // The hash of the spec; its inputs may be secret (commitments) and are
  // fed to the hash directly, never copied into a plain buffer.
  Bytes Hash(uint8_t version, ByteView a) const;
  Bytes Hash(uint8_t version, ByteView a, ByteView b) const;
  // D = r - secret * c mod q.
  Result<Bytes> ProofD(const SecretBytes& r, const SecretBytes& secret, ByteView c) const;
  Status CheckElement(ByteView x) const;
  Status CheckExponent(ByteView x) const;
  SecretBytes RandomExponent(crypto::Random& random) const;
  // Checks c == SHA256(version, g1^d * base^c).
  Status CheckKnowledgeProof(uint8_t version, ByteView c, ByteView d, ByteView base) const;

  const crypto::Backend& backend_;
  // Views of the process-wide 1536-bit group (crypto::GetModpGroup), not
  // copies: two conversations per session held 768 bytes of them (issue 20).
  ByteView p_, q_, g1_;
};

}  // namespace otr::v3::smp

#endif  // OTR_PROTOCOL_V3_SMP_SMP_MATH_H_
