// An attacker against the OTRv4 double ratchet (issue 17, "Forward secrecy"
// and "Post-compromise security"): it holds some secret byte strings (every
// live secret buffer of the process, or a stolen copy of one party's state)
// and the public transcript, and derives every message key it can with the
// spec's own derivations (protocol/v4/ratchet/derive.h, "Key Management"):
//   - each 64-byte string as a message key MKenc, and as a chain key walked
//     forward (chain_key[n+1] = KDF(usage_next_chain_key || chain_key[n]))
//     with MKenc = KDF(usage_message_key || chain_key[n]) at every step;
//   - ratchet turns: each 57-byte string that is the secret of a public
//     ECDH key of the transcript against every public ECDH key, each
//     32-byte string as a brace key (and one brace-key KDF step from it),
//     each 80-byte string that is the secret of a public DH key of the
//     transcript against every public DH key (a DH brace key), each 64-byte
//     string as the previous root key (and each as K through usage
//     first_root_key): curr_root_key, chain_key = derive_ratchet_keys(...),
//     then the chain key walked as above; the new root keys take one more
//     turn.
// A message is exposed when one of the derived MKenc gives the MKmac that
// verifies its Authenticator (then MKenc decrypts it too, which Opens()
// shows). The properties check it the other way as well: the oracle must
// expose the messages whose keys are legitimately still held (a message in
// flight), or it proves nothing.
#ifndef OTR_TESTS_PROPERTIES_V4_ORACLE_H_
#define OTR_TESTS_PROPERTIES_V4_ORACLE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "crypto/backend.h"
#include "protocol/v4/messages/messages.h"

namespace otr::properties::v4p {

struct OraclePublics {
  std::vector<crypto::Ed448Encoding> ecdh;  // every Public ECDH Key seen
  std::vector<Bytes> dh;                    // every Public DH Key seen
};

// What several oracles over one conversation would compute again (a
// property builds one after each step it judges): the public key of each
// ECDH and DH secret, each K_ecdh and each DH brace key. The same inputs
// give the same answers, so sharing them changes no result. (An
// Authenticator check costs less than a lookup: not kept.) Plain test
// memory, not secret buffers: the live-secret registry does not see it.
struct OracleMemo {
  std::map<Bytes, crypto::Ed448Encoding> ecdh_public;                   // e -> G * e
  std::map<std::pair<Bytes, Bytes>, std::optional<Bytes>> ecdh_shared;  // (e, P) -> K_ecdh
  std::map<Bytes, std::optional<Bytes>> dh_public;                      // d -> g3 ^ d
  std::map<std::pair<Bytes, Bytes>, std::optional<Bytes>> dh_brace;     // (d, pub) -> brace
};

class V4Oracle {
 public:
  // `max_chain_walk`: how far chain keys are walked (above the largest
  // message id of the transcript is enough). `memo` (optional) is shared by
  // the oracles of one conversation.
  V4Oracle(const crypto::Backend& backend, const std::vector<Bytes>& secrets,
           const OraclePublics& publics, uint32_t max_chain_walk, OracleMemo* memo = nullptr);

  // The MKenc that opens `m`, if the oracle derived it.
  std::optional<Bytes> KeyFor(const v4::DataMessage& m) const;
  bool Exposes(const v4::DataMessage& m) const { return KeyFor(m).has_value(); }
  // The plaintext of `m` under the key the oracle found (empty when none).
  std::optional<std::string> Opens(const v4::DataMessage& m) const;

  size_t message_keys() const { return keys_.size(); }

 private:
  void AddMessageKey(const Bytes& mk_enc);
  void AddChain(const Bytes& chain_key, uint32_t walk);

  const crypto::Backend& backend_;
  std::set<Bytes> seen_;                       // candidate MKenc
  std::vector<std::pair<Bytes, Bytes>> keys_;  // (MKenc, KDF(usage_MAC_key || MKenc))
};

// Every live secret buffer of the process (crypto/secret_registry.h), as
// plain copies.
std::vector<Bytes> LiveSecretBuffers();

}  // namespace otr::properties::v4p

#endif  // OTR_TESTS_PROPERTIES_V4_ORACLE_H_
