// The OTRv4 double ratchet of one conversation (otrv4.md, "Key Management",
// "Data Exchange", "When you send a Data Message", "When you receive a Data
// Message", "Deletion of Stored Message Keys", "Revealing MAC Keys",
// "Session Expiration"), sans-I/O: randomness and the time (`now`, seconds)
// come in as arguments, crypto only through crypto::Backend.
//
// Atomic (the engine's rule: a failing action aborts its row with no
// partial effect): sending and receiving are two steps. Prepare*() is const:
// it computes everything (new keys, the message or the plaintext) into a
// plan and changes nothing, so a message that fails to authenticate, asks
// for too many skipped keys, or any failure of the backend, leaves the
// ratchet exactly as it was. Commit() then applies the plan and cannot fail
// except for a stale plan (one prepared before another Commit, kBadState).
// A plan holds the new variables (a copy of RatchetState when the message
// turns the ratchet, else only the chain's new key and counter) and only the
// changes to the stored message keys, never a copy of them.
// Send()/Receive() are the two steps in one call.
#ifndef OTR_PROTOCOL_V4_RATCHET_RATCHET_H_
#define OTR_PROTOCOL_V4_RATCHET_RATCHET_H_

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
#include "protocol/v4/messages/messages.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/v4/ratchet/limits.h"
#include "protocol/v4/ratchet/mac_keys_to_reveal.h"
#include "protocol/v4/ratchet/state.h"

namespace otr::v4::ratchet {

// What the interactive DAKE hands over ("Interactive DAKE Overview"): the
// Mixed shared secret K, our first keys (our_ecdh_first, our_dh_first) and
// the peer's (their_ecdh_first, their_dh_first, already validated).
struct InteractiveStart {
  crypto::SecretBytes shared_secret;  // K, 64 bytes
  EcdhKeyPair our_ecdh_first;
  crypto::DhKeyPair our_dh_first;
  crypto::Ed448Point their_ecdh_first;
  Mpi their_dh_first;  // in the group: the DAKE checked it on receipt (not checked again)
};

// What the non-interactive DAKE hands over ("Non-Interactive DAKE
// Overview"): K, the DAKE's brace_key (kept as the ratchet's first brace
// key, README.md "Non-interactive start"), and the ephemeral keys. The
// sender of the Non-Interactive-Auth message has our first keys and the
// Prekey Message's Y and B; its receiver has their first keys only.
struct NonInteractiveStart {
  crypto::SecretBytes shared_secret;              // K, 64 bytes
  crypto::SecretBytes brace_key;                  // KDF(usage_third_brace_key || k_dh, 32)
  std::optional<EcdhKeyPair> our_ecdh_first;      // the sender's only
  std::optional<crypto::DhKeyPair> our_dh_first;  // the sender's only
  crypto::Ed448Point their_ecdh;                  // sender: Y; receiver: their_ecdh_first
  Mpi their_dh;                                   // sender: B; receiver: their_dh_first
};

// A Data Message made by the ratchet, with what the sender may need.
struct SentMessage {
  DataMessage message;
  // Its encoding (EncodeDataMessage), made once: the Authenticator is
  // computed over its first part (DataMessageMacInputOf).
  Bytes encoded;
  // KDF(usage_extra_symm_key || 0xFF || chain_key_s[j], 64) of this message
  // ("Extra Symmetric Key"), derived if asked for: wiped when dropped.
  ExtraKeySource extra_symm_key;
};

// A Data Message verified and decrypted.
struct ReceivedMessage {
  // The human-readable part, NUL, TLVs: wiped when dropped, whether the
  // message is delivered or the plan holding it is discarded.
  crypto::SecretBytes plaintext;
  ExtraKeySource extra_symm_key;  // derived if a TLV 7 asks for it
  bool new_ratchet = false;       // it turned the ratchet (a DH ratchet as receiver)
  bool from_skipped = false;      // it used a stored (skipped) message key
};

class Ratchet {
 public:
  // "Interactive DAKE Overview", Bob: after sending Auth-I. Derives the
  // receiving chain from the first keys, then a new ECDH and DH key pair and
  // the sending chain; i = 1.
  static Result<Ratchet> StartAuthISender(const crypto::Backend& backend, const Limits& limits,
                                          InteractiveStart start, crypto::Random& random);
  // "Interactive DAKE Overview", Alice: after receiving and validating Auth-I.
  // Derives the sending chain from the first keys; i = 0.
  static Result<Ratchet> StartAuthIReceiver(const crypto::Backend& backend, const Limits& limits,
                                            InteractiveStart start);
  // "Non-Interactive DAKE Overview", Alice: after sending
  // Non-Interactive-Auth. The sending chain from K; i = 1.
  static Result<Ratchet> StartNonInteractiveAuthSender(const crypto::Backend& backend,
                                                       const Limits& limits,
                                                       NonInteractiveStart start);
  // "Non-Interactive DAKE Overview", Bob: after receiving and validating
  // Non-Interactive-Auth. The receiving chain from K; i = 1; the first send
  // turns the ratchet.
  static Result<Ratchet> StartNonInteractiveAuthReceiver(const crypto::Backend& backend,
                                                         const Limits& limits,
                                                         NonInteractiveStart start);

  // --- "When you send a Data Message" ---
  struct SendPlan;
  // `header` carries the instance tags, `flags` the Data Message's flags.
  Result<SendPlan> PrepareSend(uint64_t now, const Header& header, uint8_t flags,
                               ByteView plaintext, crypto::Random& random) const;
  Result<SentMessage> Commit(SendPlan plan);
  Result<SentMessage> Send(uint64_t now, const Header& header, uint8_t flags, ByteView plaintext,
                           crypto::Random& random);

  // --- "When you receive a Data Message" ---
  // Errors (the state is unchanged after each):
  //   kReplayedCounter  a duplicate, or a message whose key was used or deleted
  //   kTooLarge         more than max_skip skipped keys in a chain, or more
  //                     than max_stored_keys stored in all
  //   kUnknownKeyId     a ratchet we cannot derive (wrong id, keys gone)
  //   kBadMac           the Authenticator does not verify
  //   kInvalidEncoding  a Public DH Key present when it must be absent or
  //                     the reverse
  //   and the errors of Ed448Decode and the DH group check on new keys.
  // The receiver's instance tag is the engine's to check.
  // `mac_input`: the bytes the Authenticator covers as they arrived
  // (DataMessageMacInputOf the encoding `message` was decoded from); empty:
  // `message` is encoded again for it (a message kept decoded, decision 0014).
  struct ReceivePlan;
  Result<ReceivePlan> PrepareReceive(uint64_t now, const DataMessage& message,
                                     ByteView mac_input = ByteView()) const;
  Result<ReceivedMessage> Commit(ReceivePlan plan);
  Result<ReceivedMessage> Receive(uint64_t now, const DataMessage& message,
                                  ByteView mac_input = ByteView());

  // --- "Deletion of Stored Message Keys" ---
  // Deletes the stored message keys older than limits.stored_key_lifetime at
  // `now`; their MAC keys join mac_keys_to_reveal ("Revealing MAC Keys": "or
  // when the storage of message keys gets deleted"). Returns how many.
  size_t DeleteExpiredKeys(uint64_t now);

  // --- "Session Expiration" ---
  // True when no ECDH key was generated (nor the first message sent or
  // received) for `lifetime` seconds.
  bool SessionExpired(uint64_t now, uint64_t lifetime) const;
  // The `old_mac_keys` of the Disconnected TLV: the MAC keys not yet
  // revealed and those of every stored message key. Then every key is
  // securely deleted and the variables reset: the ratchet sends and receives
  // nothing more (kBadState).
  std::vector<v4::MacKey> Expire();

  const RatchetState& state() const { return state_; }
  const Limits& limits() const { return limits_; }
  const SkippedKeys& skipped_keys() const { return skipped_; }
  size_t stored_key_count() const { return skipped_.size(); }
  // MAC keys that the first message of our next sending chain reveals.
  const MacKeysToReveal& mac_keys_to_reveal() const { return mac_keys_to_reveal_; }
  bool ended() const { return ended_; }

  // For the key-erasure tests and the fuzzers' snapshots: every secret the
  // ratchet still holds (not empty), to `visit` one by one, or collected.
  template <typename Visit>
  void ForEachHeldSecret(Visit visit) const;
  std::vector<const crypto::SecretBytes*> HeldSecrets() const;

 private:
  Ratchet(const crypto::Backend& backend, const Limits& limits)
      : backend_(&backend), limits_(limits) {}

  const crypto::Backend* backend_;
  Limits limits_;
  RatchetState state_;
  SkippedKeys skipped_;
  MacKeysToReveal mac_keys_to_reveal_;
  uint64_t generation_ = 0;  // bumped by every change: stale plans are refused
  bool ended_ = false;
};

struct Ratchet::SendPlan {
  uint64_t generation = 0;
  // The new variables: every one when the message turns the ratchet
  // (`rotated`), then the sending chain's step in either case.
  std::optional<RatchetState> rotated;
  crypto::SecretBytes chain_key_s;  // chain_key_s[j+1]
  uint32_t j = 0;
  uint64_t expiry_timer_start = 0;
  bool reveal = false;  // the message revealed mac_keys_to_reveal: clear them
  SentMessage sent;
};

struct Ratchet::ReceivePlan {
  uint64_t generation = 0;
  // The new variables, both unset when only a stored key was used: every
  // one when the message turned the ratchet (`rotated`), then the receiving
  // chain's step (a message in the same chain changes only that).
  std::optional<RatchetState> rotated;
  struct ChainStep {
    crypto::SecretBytes chain_key_r;  // chain_key_r[k+1]
    uint32_t k = 0;
    uint64_t expiry_timer_start = 0;
  };
  std::optional<ChainStep> step;
  std::optional<SkippedKeyId> used_key;                       // the stored key to delete
  std::vector<std::pair<SkippedKeyId, SkippedKey>> new_keys;  // to store
  crypto::SecretBytes mk_mac;                                 // joins mac_keys_to_reveal
  ReceivedMessage received;
};

template <typename Visit>
void Ratchet::ForEachHeldSecret(Visit visit) const {
  auto held = [&](const crypto::SecretBytes& s) {
    if (!s.empty()) visit(s);
  };
  held(state_.root_key);
  held(state_.chain_key_s);
  held(state_.chain_key_r);
  held(state_.brace_key);
  if (state_.our_ecdh) held(state_.our_ecdh->secret());
  if (state_.our_dh) held(state_.our_dh->secret);
  for (const auto& [id, key] : skipped_) {
    held(key.mk_enc);
    held(key.extra_symm_key);
  }
  for (const crypto::SecretBytes& key : mac_keys_to_reveal_) held(key);
}

}  // namespace otr::v4::ratchet

#endif  // OTR_PROTOCOL_V4_RATCHET_RATCHET_H_
