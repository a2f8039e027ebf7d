// The v4 SMP arithmetic behind the version-neutral smp::Group
// (protocol/smp/group.h): Ed448 and SHAKE-256 (otrv4.md, "Socialist
// Millionaires Protocol (SMP)"), for one conversation: the secret binds both
// parties' v4 fingerprints and the SSID ("Secret Information").
//
// Bodies are the TLV bodies of "SMP Message 1" .. "SMP Message 4". Message
// 1's body carries the question in front ("Question (DATA)"); MakeSmp1
// writes it empty, and WithQuestion / QuestionOf move a question between an
// smp::Message and that body.
//
// Every received POINT is decoded with Backend::Ed448Decode (on the curve,
// not the identity, in the prime-order subgroup: "Verifying that a point is
// on the curve") and every SCALAR must be below q (Ed448ScalarDecode): a
// value at or above q that is the same mod q is refused, so a body has one
// accepted encoding.
#ifndef OTR_PROTOCOL_V4_SMP_ED448_GROUP_H_
#define OTR_PROTOCOL_V4_SMP_ED448_GROUP_H_

#include <optional>
#include <string>
#include <string_view>

#include "crypto/backend.h"
#include "protocol/smp/group.h"
#include "protocol/v4/smp/smp_hash.h"

namespace otr::v4::smp {

using crypto::SecretBytes;

// What Alice keeps after message 1 ("Store the values of x, a2 and a3").
struct AliceAfter1 {
  SecretBytes x, a2, a3;
};
// What Bob keeps after message 2 ("Store the values of G3a, G2, G3, b3, Pb
// and Qb"). G2 = G2a * b2 and G3 = G3a * b3 are Diffie-Hellman values of
// secret scalars: kept as their encodings in SecretBytes (wiped), like the
// v3 SMP keeps g2 and g3 (issue 14).
struct BobAfter2 {
  crypto::Ed448Point g3a;
  SecretBytes g2, g3;  // Ed448Encode(G2), Ed448Encode(G3)
  crypto::Ed448Point pb, qb;
  SecretBytes b3;
};
// What Alice keeps after message 3 ("Store the values of G3b, Pa - Pb,
// Qa - Qb and a3").
struct AliceAfter3 {
  crypto::Ed448Point g3b, pa_minus_pb, qa_minus_qb;
  SecretBytes a3;
};

// Whose arithmetic: otrv4.md's, or libotr-ng's (the `libotr-ng`
// compatibility profile, decision 0025; docs/libotr-ng-deviations.md): its
// generator G = 4 * B, its hash to scalar (SHAKE-256("OTRv4" || i || d,
// 64), the first 56 bytes mod q; two points hashed first as SHAKE-256(p1 ||
// p2, 64)) and its secret (#13). The message bodies are the spec's here;
// libotr-ng's 56-byte scalars are converted at the TLV
// (protocol/v4/libotr_ng/smp_body.h).
enum class Convention { kSpec, kLibotrNg };

class Ed448Group : public ::otr::smp::Group {
 public:
  // `our` and `their` are the v4 fingerprints each party uses in this
  // conversation; `ssid` its Secure Session ID.
  Ed448Group(const crypto::Backend& backend, const Fingerprint& our, const Fingerprint& their,
             const Ssid& ssid, Convention convention = Convention::kSpec)
      : backend_(&backend), our_(our), their_(their), ssid_(ssid), convention_(convention) {}

  // "Initiator fingerprint ... Responder fingerprint": ours first when we
  // began the SMP.
  SecretBytes Secret(bool we_initiated, ByteView user_secret) const override;

  Result<::otr::smp::Made> MakeSmp1(crypto::Random& random, const SecretBytes& x) const override;
  Status VerifySmp1(ByteView smp1) const override;
  Result<::otr::smp::Made> MakeSmp2(crypto::Random& random, ByteView smp1,
                                    const SecretBytes& y) const override;
  Result<::otr::smp::Made> ProcessSmp2(crypto::Random& random, const ::otr::smp::StepState& after1,
                                       ByteView smp2) const override;
  Result<::otr::smp::Finished> ProcessSmp3(crypto::Random& random,
                                           const ::otr::smp::StepState& after2,
                                           ByteView smp3) const override;
  Result<bool> ProcessSmp4(const ::otr::smp::StepState& after3, ByteView smp4) const override;

  // Message 1's body with its "Question (DATA)" replaced (none: length 0).
  // The body must decode (kTruncated, ...; kTooLarge for a question that
  // cannot fit a TLV).
  static Result<Bytes> WithQuestion(ByteView smp1, std::optional<std::string_view> question);
  // The question a message 1 body carries; nullopt when it has none (length
  // 0) or does not decode. As received: escape before showing it.
  static std::optional<std::string> QuestionOf(ByteView smp1);

 private:
  const crypto::Backend* backend_;
  Fingerprint our_, their_;
  Ssid ssid_;
  Convention convention_;
};

}  // namespace otr::v4::smp

#endif  // OTR_PROTOCOL_V4_SMP_ED448_GROUP_H_
