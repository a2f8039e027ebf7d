// libotr-ng's double ratchet (key_management.c, protocol.c and
// otrng.c's otrng_receive_data_message_after_dake), reproduced for the
// `libotr-ng` compatibility profile (issue 20, docs/libotr-ng-deviations.md).
// Its differences from otrv4.md "Key Management" and "Data Exchange":
//   #16 it starts from the keys dake.h's DeriveFirstRatchetKeys gives;
//   #17 root_key = KDF(0x14 || root_key || K, 64), then chain_key =
//       KDF(0x15 || the NEW root_key || K, 64) (the spec: usage 0x12 and
//       0x13, both from the previous root key); next chain key 0x16; the
//       message keys are data_message.h's (#12);
//   #18 one counter i for both directions, incremented on every ratchet
//       (sent or received), and the brace key from a DH exchange when i is
//       a multiple of 3; otherwise KDF(0x02 || brace_key, 32) of a brace
//       key that is wiped (set to zero) after every use, so every such
//       ratchet uses KDF(0x02 || 0^32, 32);
//   #19 every Data Message carries the sender's current DH public key, and
//       a new DH key pair is made only when sending at i % 3 == 0;
//   #5, #6 the Data Message itself (data_message.h): nonce, XSalsa20, the
//       revealed MAC keys raw, sent on the first message of each chain.
// Skipped keys are stored by (their ECDH key, message id) as libotr-ng
// stores them, at most `max_skip` per chain (beyond that, none is stored
// and the message fails, as in libotr-ng).
#ifndef OTR_PROTOCOL_V4_LIBOTR_NG_RATCHET_H_
#define OTR_PROTOCOL_V4_LIBOTR_NG_RATCHET_H_

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/libotr_ng/dake.h"
#include "protocol/v4/libotr_ng/data_message.h"

namespace otr::v4::libotr_ng {

// What a message that opened gives.
struct Opened {
  crypto::SecretBytes plaintext;
  crypto::SecretBytes extra_symmetric_key;  // of this message's chain key
};

class Ratchet {
 public:
  // The Auth-I sender (Bob): ours are the pair derived from K, theirs the
  // first keys of Alice's Auth-R.
  static Result<Ratchet> StartAuthISender(const crypto::Backend& backend,
                                          const crypto::SecretBytes& k,
                                          const Point& their_ecdh_first, ByteView their_dh_first,
                                          size_t max_skip);
  // The Auth-R sender (Alice): ours are the first keys of our Auth-R, theirs
  // the pair derived from K.
  static Result<Ratchet> StartAuthRSender(const crypto::Backend& backend,
                                          const crypto::SecretBytes& k, EcdhKeyPair our_ecdh_first,
                                          crypto::DhKeyPair our_dh_first, size_t max_skip);

  // A Data Message for `plaintext` (the text, NUL, TLVs), header tags and
  // flags set; turns the ratchet first when this is the first message since
  // we last received one of a new chain (libotr-ng's j == 0).
  Result<DataMessage> Send(const crypto::Backend& backend, ByteView plaintext, uint8_t flags,
                           uint32_t sender_tag, uint32_t receiver_tag, crypto::Random& random,
                           crypto::SecretBytes* extra_symmetric_key = nullptr);

  // Opens a Data Message: a stored skipped key, or the current or a new
  // receiving chain. Nothing changes unless the MAC verifies (kBadMac).
  Result<Opened> Receive(const crypto::Backend& backend, const DataMessage& m);

  uint32_t ratchet_id() const { return i_; }

 private:
  struct Skipped {
    Point their_ecdh{};
    uint32_t message_id = 0;
    MessageKeys keys;  // MKenc, MKmac of that message
    crypto::SecretBytes extra_symmetric_key;
  };
  // The receiving side of the state, copied and committed only when the
  // message verifies (libotr-ng's receiving_ratchet_s).
  struct Receiving {
    uint32_t i = 0, j = 0, k = 0, pn = 0;
    crypto::SecretBytes root_key;
    crypto::SecretBytes chain_r;
    Point their_ecdh{};
    Mpi their_dh;
    bool drop_our_dh_secret = false;
    std::vector<Skipped> skipped;
  };

  Ratchet() = default;
  // K for a new ratchet: KDF(0x03 || (our/4)*their || brace_key, 64), the
  // brace key from DH at i % 3 == 0, else KDF(0x02 || 0^32, 32) (#18).
  Result<crypto::SecretBytes> NewRatchetSecret(const crypto::Backend& backend,
                                               const crypto::Ed448Point& their_ecdh,
                                               ByteView their_dh) const;
  // Keys from the receiving chain key up to message `until` (exclusive).
  void StoreSkipped(const crypto::Backend& backend, Receiving& r, const Point& their_ecdh,
                    uint32_t until) const;

  EcdhKeyPair our_ecdh_;
  crypto::DhKeyPair our_dh_;  // secret empty once libotr-ng would have destroyed it
  Point their_ecdh_{};
  Mpi their_dh_;
  uint32_t i_ = 0, j_ = 0, k_ = 0, pn_ = 0;
  crypto::SecretBytes root_key_;
  crypto::SecretBytes chain_s_;
  crypto::SecretBytes chain_r_;
  std::vector<Skipped> skipped_;
  std::vector<std::array<uint8_t, kMacSize>> old_mac_keys_;
  size_t max_skip_ = 0;
};

}  // namespace otr::v4::libotr_ng

#endif  // OTR_PROTOCOL_V4_LIBOTR_NG_RATCHET_H_
