// The arithmetic one SMP flavour needs, behind one interface, so the SMP
// table and its executor (executor.h) serve every version: v2/v3 compute in
// the 1536-bit group with SHA-256 (protocol/v3/smp), v4 on Ed448 with
// SHAKE-256 (v4 spec, "Socialist Millionaires Protocol (SMP)": "OTRv4 does
// not change the state machine for SMP").
//
// Messages cross this interface as the encoded bodies of their TLVs, so the
// executor never sees a group element; a body that does not decode fails
// like a proof that does not verify.
#ifndef OTR_PROTOCOL_SMP_GROUP_H_
#define OTR_PROTOCOL_SMP_GROUP_H_

#include <any>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"

namespace otr::smp {

// What one side keeps between its steps (Alice after messages 1 and 3, Bob
// after message 2). Opaque to the executor; the group's secrets in it are
// SecretBytes, wiped when the state is dropped.
using StepState = std::any;

struct Made {
  Bytes body;  // the TLV body of the message to send
  StepState state;
};

struct Finished {
  Bytes body;  // SMP message 4
  bool secrets_match = false;
};

class Group {
 public:
  virtual ~Group() = default;

  // The secret compared, from the user's secret: both sides must build the
  // same value, so `we_initiated` orders the fingerprints (v3 "Secret
  // information").
  virtual crypto::SecretBytes Secret(bool we_initiated, ByteView user_secret) const = 0;

  // Alice: message 1 from her secret x.
  virtual Result<Made> MakeSmp1(crypto::Random& random, const crypto::SecretBytes& x) const = 0;
  // Bob: the checks of message 1 (group membership and both proofs).
  virtual Status VerifySmp1(ByteView smp1) const = 0;
  // Bob: message 2 answering a verified message 1 with his secret y.
  virtual Result<Made> MakeSmp2(crypto::Random& random, ByteView smp1,
                                const crypto::SecretBytes& y) const = 0;
  // Alice: verifies message 2, builds message 3.
  virtual Result<Made> ProcessSmp2(crypto::Random& random, const StepState& after1,
                                   ByteView smp2) const = 0;
  // Bob: verifies message 3, builds message 4 and learns the result.
  virtual Result<Finished> ProcessSmp3(crypto::Random& random, const StepState& after2,
                                       ByteView smp3) const = 0;
  // Alice: verifies message 4 and learns the result.
  virtual Result<bool> ProcessSmp4(const StepState& after3, ByteView smp4) const = 0;
};

}  // namespace otr::smp

#endif  // OTR_PROTOCOL_SMP_GROUP_H_
