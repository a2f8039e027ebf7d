// The D-H key management of an established v2/v3 session (otr v3 spec,
// "Key Management", "Revealing MAC keys", and the Data Message's counter
// rules): two of our key pairs, two of their public keys, per-pair keys and
// counters, and the MAC keys waiting to be revealed.
//
// Open() verifies completely before it changes anything: a message that
// fails (unknown keyid, bad MAC, replayed counter, invalid next D-H key)
// leaves the state exactly as it was (DESIGN.md principle 6).
#ifndef OTR_PROTOCOL_V3_KEYS_KEY_STATE_H_
#define OTR_PROTOCOL_V3_KEYS_KEY_STATE_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "protocol/v3/keys/data_keys.h"
#include "protocol/v3/messages.h"

namespace otr::v3 {

// (our keyid, their keyid) of the keys a message used.
using KeyIds = std::pair<uint32_t, uint32_t>;

struct OpenedData {
  Bytes plaintext;  // message text, NUL, TLVs
  KeyIds key_ids;   // for ExtraSymmetricKey
};

struct SealedData {
  DataMessage message;
  KeyIds key_ids;  // for ExtraSymmetricKey
};

class KeyState {
 public:
  // "Upon completing the AKE": our key pair used in the AKE (with its
  // keyid) and theirs. Generates our next key pair.
  static Result<KeyState> Start(const crypto::Backend& backend, crypto::Random& random,
                                crypto::DhKeyPair our_ake_key, uint32_t our_keyid,
                                Bytes their_ake_public, uint32_t their_keyid);

  // "When you send a Data Message": encrypts and MACs `plaintext` under
  // (our_keyid-1, their_keyid), attaching the MAC keys to reveal.
  Result<SealedData> Seal(const Header& header, uint8_t flags, ByteView plaintext);

  // "When you receive a Data Message", in two steps so that verifying
  // changes nothing: Verify checks keyids, next D-H key, MAC and counter and
  // decrypts; Accept then records the counter and rotates keys.
  struct Verified;
  Result<Verified> Verify(const DataMessage& message) const;
  Result<OpenedData> Accept(Verified verified, crypto::Random& random);
  Result<OpenedData> Open(const DataMessage& message, crypto::Random& random);

  // The extra symmetric key (v3 spec, "Extra symmetric key": h2(0xFF) of
  // the keys used) of the message just sealed or opened with `ids`. Derived
  // only on demand: most messages carry no TLV 8. kUnknownKeyId once those
  // keys are forgotten.
  Result<crypto::SecretBytes> ExtraSymmetricKey(KeyIds ids) const;

  uint32_t our_keyid() const { return our_keyid_; }
  uint32_t their_keyid() const { return their_keyid_; }
  // MAC keys that the next Seal will reveal.
  const std::vector<MacKey>& pending_reveal() const { return pending_reveal_; }

  // For property tests (issue 7): every D-H secret and data key still held.
  std::vector<const crypto::SecretBytes*> HeldSecrets() const;

 private:
  struct PairState {
    DataKeys keys;
    uint64_t send_counter = 0;       // last top-half counter we sent
    uint64_t last_recv_counter = 0;  // last top-half counter accepted
    bool recv_mac_used = false;      // reveal only keys actually used
  };
  struct TheirKey {
    uint32_t keyid;
    Bytes pub;
  };
  struct OurKey {
    uint32_t keyid;
    crypto::DhKeyPair pair;
  };

 public:
  struct Verified {
    OpenedData opened;
    std::pair<uint32_t, uint32_t> ids;  // (our keyid, their keyid)
    std::optional<PairState> fresh;     // keys derived for a pair not yet cached
    uint64_t counter = 0;
    uint32_t recipient_keyid = 0;
    uint32_t sender_keyid = 0;
    Bytes next_dh;
  };

 private:
  KeyState(const crypto::Backend& backend, const crypto::ModpGroup& group)
      : backend_(&backend), group_(&group) {}

  const OurKey* FindOurs(uint32_t keyid) const;
  const TheirKey* FindTheirs(uint32_t keyid) const;
  // The keys for (our keyid, their keyid), derived on first use and kept
  // only once used (so a rejected message leaves no trace).
  Result<PairState> DerivePair(uint32_t our_keyid, uint32_t their_keyid) const;
  Result<PairState*> Pair(uint32_t our_keyid, uint32_t their_keyid);
  // Drops every pair using one of our keyids (ours == true) or one of
  // theirs, queueing the receiving MAC keys that were used for revealing.
  void Forget(bool ours, uint32_t keyid);

  const crypto::Backend* backend_;
  const crypto::ModpGroup* group_;
  uint32_t our_keyid_ = 0;
  std::optional<OurKey> our_previous_, our_current_;  // our_keyid-1, our_keyid
  uint32_t their_keyid_ = 0;
  std::optional<TheirKey> their_previous_, their_current_;  // their_keyid-1, their_keyid
  std::map<std::pair<uint32_t, uint32_t>, PairState> pairs_;
  std::vector<MacKey> pending_reveal_;
};

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_KEYS_KEY_STATE_H_
