#include "protocol/v3/smp/modp_group.h"

#include <utility>

namespace otr::v3::smp {
namespace {

using ::otr::smp::Finished;
using ::otr::smp::Made;
using ::otr::smp::StepState;

// The executor hands back only states this group made; anything else is a
// wrong-state message, which fails like a bad proof.
template <typename T>
Result<const T*> StateAs(const StepState& state) {
  const T* typed = std::any_cast<T>(&state);
  if (typed == nullptr) return MakeError(ErrorCode::kBadState, "SMP: no state for this step");
  return typed;
}

}  // namespace

void ModpGroup::Bind(ByteView our_fingerprint, ByteView their_fingerprint,
                     const std::array<uint8_t, 8>& ssid) {
  our_fingerprint_.assign(our_fingerprint.begin(), our_fingerprint.end());
  their_fingerprint_.assign(their_fingerprint.begin(), their_fingerprint.end());
  ssid_ = ssid;
}

// "Initiator fingerprint ... Responder fingerprint" (v3 "Secret information")
crypto::SecretBytes ModpGroup::Secret(bool we_initiated, ByteView user_secret) const {
  return we_initiated
             ? ComputeSecret(*backend_, our_fingerprint_, their_fingerprint_, ssid_, user_secret)
             : ComputeSecret(*backend_, their_fingerprint_, our_fingerprint_, ssid_, user_secret);
}

Result<Made> ModpGroup::MakeSmp1(crypto::Random& random, const crypto::SecretBytes& x) const {
  OTR_ASSIGN_OR_RETURN(Step1 step, math_.MakeSmp1(random, x));
  return Made{EncodeSmp1(step.message), StepState(std::move(step.state))};
}

Status ModpGroup::VerifySmp1(ByteView smp1) const {
  OTR_ASSIGN_OR_RETURN(Smp1 m, DecodeSmp1(smp1));
  return math_.VerifySmp1(m);
}

Result<Made> ModpGroup::MakeSmp2(crypto::Random& random, ByteView smp1,
                                 const crypto::SecretBytes& y) const {
  OTR_ASSIGN_OR_RETURN(Smp1 m, DecodeSmp1(smp1));
  OTR_ASSIGN_OR_RETURN(Step2 step, math_.MakeSmp2(random, m, y));
  return Made{EncodeSmp2(step.message), StepState(std::move(step.state))};
}

Result<Made> ModpGroup::ProcessSmp2(crypto::Random& random, const StepState& after1,
                                    ByteView smp2) const {
  OTR_ASSIGN_OR_RETURN(const AliceAfter1* state, StateAs<AliceAfter1>(after1));
  OTR_ASSIGN_OR_RETURN(Smp2 m, DecodeSmp2(smp2));
  OTR_ASSIGN_OR_RETURN(Step3 step, math_.ProcessSmp2(random, *state, m));
  return Made{EncodeSmp3(step.message), StepState(std::move(step.state))};
}

Result<Finished> ModpGroup::ProcessSmp3(crypto::Random& random, const StepState& after2,
                                        ByteView smp3) const {
  OTR_ASSIGN_OR_RETURN(const BobAfter2* state, StateAs<BobAfter2>(after2));
  OTR_ASSIGN_OR_RETURN(Smp3 m, DecodeSmp3(smp3));
  OTR_ASSIGN_OR_RETURN(Step4 step, math_.ProcessSmp3(random, *state, m));
  return Finished{EncodeSmp4(step.message), step.secrets_match};
}

Result<bool> ModpGroup::ProcessSmp4(const StepState& after3, ByteView smp4) const {
  OTR_ASSIGN_OR_RETURN(const AliceAfter3* state, StateAs<AliceAfter3>(after3));
  OTR_ASSIGN_OR_RETURN(Smp4 m, DecodeSmp4(smp4));
  return math_.ProcessSmp4(*state, m);
}

}  // namespace otr::v3::smp
