// The v2/v3 SMP arithmetic (smp_math.h: the 1536-bit group and SHA-256)
// behind the version-neutral smp::Group, for one established session: the
// secret binds both fingerprints and the session id (v3 "Secret
// information"). Bodies are the v3 SMP TLV bodies (smp_tlv.h).
#ifndef OTR_PROTOCOL_V3_SMP_MODP_GROUP_H_
#define OTR_PROTOCOL_V3_SMP_MODP_GROUP_H_

#include <array>
#include <cstdint>

#include "crypto/backend.h"
#include "protocol/smp/group.h"
#include "protocol/v3/smp/smp_math.h"

namespace otr::v3::smp {

class ModpGroup : public ::otr::smp::Group {
 public:
  explicit ModpGroup(const crypto::Backend& backend) : backend_(&backend), math_(backend) {}

  // The session the secret is bound to (set when the AKE completes).
  void Bind(ByteView our_fingerprint, ByteView their_fingerprint,
            const std::array<uint8_t, 8>& ssid);

  crypto::SecretBytes Secret(bool we_initiated, ByteView user_secret) const override;
  Result<::otr::smp::Made> MakeSmp1(crypto::Random& random,
                                    const crypto::SecretBytes& x) const override;
  Status VerifySmp1(ByteView smp1) const override;
  Result<::otr::smp::Made> MakeSmp2(crypto::Random& random, ByteView smp1,
                                    const crypto::SecretBytes& y) const override;
  Result<::otr::smp::Made> ProcessSmp2(crypto::Random& random, const ::otr::smp::StepState& after1,
                                       ByteView smp2) const override;
  Result<::otr::smp::Finished> ProcessSmp3(crypto::Random& random,
                                           const ::otr::smp::StepState& after2,
                                           ByteView smp3) const override;
  Result<bool> ProcessSmp4(const ::otr::smp::StepState& after3, ByteView smp4) const override;

 private:
  const crypto::Backend* backend_;
  SmpMath math_;
  Bytes our_fingerprint_, their_fingerprint_;
  std::array<uint8_t, 8> ssid_{};
};

}  // namespace otr::v3::smp

#endif  // OTR_PROTOCOL_V3_SMP_MODP_GROUP_H_
