// otrv4.md, "When you receive a Data Message" and "Rotating ECDH Keys and
// Brace Key as receiver". "If an error is raised or something fails (e.g.
// the MAC verification of the message fails), the message should be
// discarded, and any changes to the state variables or key variables should
// be discarded as well": PrepareReceive works on a copy and changes nothing.
#include <array>
#include <limits>

#include "protocol/v4/ratchet/derive.h"
#include "protocol/v4/ratchet/ratchet.h"
#include "protocol/v4/ratchet/skipped_keys.h"

namespace otr::v4::ratchet {

using crypto::SecretBytes;

namespace {

// "Use the MKmac to verify the MAC of the data message", in constant time,
// over the received bytes (`mac_input`) or, without them, the message
// encoded again.
Status VerifyAuthenticator(const crypto::Backend& backend, const SecretBytes& mk_mac,
                           const DataMessage& message, ByteView mac_input) {
  Bytes encoded;
  if (mac_input.empty()) {
    encoded = DataMessageMacInput(message);
    mac_input = encoded;
  }
  // The expected value in a local (no heap buffer), wiped once compared.
  std::array<uint8_t, kAuthenticatorSize> expected;
  AuthenticatorInto(backend, mk_mac, mac_input, expected);
  const bool verified = crypto::ConstantTimeEqual(expected, message.authenticator);
  crypto::SecureWipe(expected.data(), expected.size());
  if (!verified) {
    return MakeError(ErrorCode::kBadMac, "ratchet receive: Authenticator does not verify");
  }
  return Status::Ok();
}

// The Public DH Key is present exactly in the messages of a DH ratchet
// (ratchet id % 3 == 0; README.md "The Public DH Key").
Status CheckDhKeyPresence(const DataMessage& message) {
  if ((message.ratchet_id % 3 == 0) != !message.dh.empty()) {
    return MakeError(ErrorCode::kInvalidEncoding,
                     "ratchet receive: Public DH Key present outside a DH ratchet or missing");
  }
  return Status::Ok();
}

// "Calculate the encryption and MAC keys [...] Use the MKmac to verify the
// MAC [...] Derive the next receiving chain key [...] Decrypt [...] Increment
// the receiving message id k = k + 1" on `chain_key_r` and `k`.
Status OpenWithChain(const crypto::Backend& backend, SecretBytes& chain_key_r, uint32_t& k,
                     const DataMessage& message, ByteView mac_input, SecretBytes& mk_mac_out,
                     ReceivedMessage& received) {
  const SecretBytes mk_enc = DeriveMessageKey(backend, chain_key_r);
  SecretBytes mk_mac = DeriveMacKey(backend, mk_enc);
  OTR_RETURN_IF_ERROR(VerifyAuthenticator(backend, mk_mac, message, mac_input));
  OTR_ASSIGN_OR_RETURN(received.plaintext,
                       ChaCha20Open(backend, mk_enc, message.encrypted_message));
  // extra_symm_key = KDF(usage_extra_symm_key || 0xFF || chain_key_r[k], 64),
  // derived when a TLV 7 asks for it (ExtraKeySource): chain_key_r[k] moves
  // there, replaced by chain_key_r[k+1].
  SecretBytes next = NextChainKey(backend, chain_key_r);
  received.extra_symm_key = ExtraKeySource::OfChainKey(std::move(chain_key_r));
  chain_key_r = std::move(next);
  k = message.message_id + 1;
  mk_mac_out = std::move(mk_mac);
  return Status::Ok();
}

}  // namespace

Result<Ratchet::ReceivePlan> Ratchet::PrepareReceive(uint64_t now, const DataMessage& message,
                                                     ByteView mac_input) const {
  if (ended_) return MakeError(ErrorCode::kBadState, "ratchet receive: session expired");
  const crypto::Backend& backend = *backend_;
  ReceivePlan plan;
  plan.generation = generation_;
  const SkippedKeyId id{message.ratchet_id, message.message_id};

  // "Try to decrypt the message with a stored skipped message key".
  if (auto it = skipped_.find(id); it != skipped_.end() && it->second.their_ecdh == message.ecdh) {
    const SkippedKey& stored = it->second;
    SecretBytes mk_mac = DeriveMacKey(backend, stored.mk_enc);
    OTR_RETURN_IF_ERROR(VerifyAuthenticator(backend, mk_mac, message, mac_input));
    OTR_ASSIGN_OR_RETURN(plan.received.plaintext,
                         ChaCha20Open(backend, stored.mk_enc, message.encrypted_message));
    plan.received.extra_symm_key = ExtraKeySource::OfKey(stored.extra_symm_key);
    plan.received.from_skipped = true;
    plan.used_key = id;
    plan.mk_mac = std::move(mk_mac);
    return plan;
  }
  if (message.message_id == std::numeric_limits<uint32_t>::max() ||
      message.ratchet_id == std::numeric_limits<uint32_t>::max()) {
    return MakeError(ErrorCode::kTooLarge, "ratchet receive: id exhausted");
  }

  const RatchetState& now_state = state_;
  const bool same_ecdh = backend.Ed448Encode(now_state.their_ecdh) == message.ecdh;
  if (same_ecdh && !now_state.chain_key_r.empty() &&
      message.ratchet_id == now_state.receiving_ratchet_id) {
    // "When receiving a data message in the same DH Ratchet".
    if (message.message_id < now_state.k) {
      // "If message_id < k: This is a duplicated message."
      return MakeError(ErrorCode::kReplayedCounter, "ratchet receive: duplicated message");
    }
    OTR_RETURN_IF_ERROR(CheckDhKeyPresence(message));
    // Only the receiving chain moves: its key and k, no copy of the others.
    ReceivePlan::ChainStep step{now_state.chain_key_r, now_state.k,
                                now_state.expiry_timer_start.value_or(now)};
    OTR_RETURN_IF_ERROR(SkipMessageKeys(backend, limits_, step.chain_key_r, step.k,
                                        message.message_id, now_state.receiving_ratchet_id,
                                        message.ecdh, now, plan.new_keys));
    if (skipped_.size() + plan.new_keys.size() > limits_.max_stored_keys) {
      return MakeError(ErrorCode::kTooLarge, "ratchet receive: too many stored message keys");
    }
    OTR_RETURN_IF_ERROR(OpenWithChain(backend, step.chain_key_r, step.k, message, mac_input,
                                      plan.mk_mac, plan.received));
    plan.step = std::move(step);
    return plan;
  }

  if (!same_ecdh && message.ratchet_id == now_state.i) {
    // "Given a new ratchet (the 'Public ECDH Key' is different from
    // their_ecdh [...])".
    OTR_RETURN_IF_ERROR(CheckDhKeyPresence(message));
    if (!now_state.our_ecdh) {
      return MakeError(ErrorCode::kUnknownKeyId, "ratchet receive: our ECDH secret is gone");
    }
    RatchetState s = now_state;
    // "Store any message keys from the previous DH Ratchet that correspond to
    // messages that have not yet arrived" (up to the sender's pn).
    if (!s.chain_key_r.empty()) {
      OTR_RETURN_IF_ERROR(SkipMessageKeys(backend, limits_, s.chain_key_r, s.k,
                                          message.previous_chain_length, s.receiving_ratchet_id,
                                          backend.Ed448Encode(s.their_ecdh), now, plan.new_keys));
    }
    // "Rotating ECDH Keys and Brace Key as receiver": validate and take their
    // new ECDH key, K_ecdh = ECDH(our_ecdh.secret, their_ecdh), "Securely
    // delete our_ecdh.secret".
    OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point their_ecdh, backend.Ed448Decode(message.ecdh));
    OTR_ASSIGN_OR_RETURN(const SecretBytes k_ecdh, Ecdh(backend, s.our_ecdh->secret(), their_ecdh));
    SecretBytes brace_key;
    if (message.ratchet_id % 3 == 0) {
      // "If data_message.i % 3 == 0: their_dh [...] k_dh = DH(our_dh.secret,
      // their_dh) [...] Securely delete our_dh.secret and k_dh."
      if (!s.our_dh) {
        return MakeError(ErrorCode::kUnknownKeyId, "ratchet receive: our DH secret is gone");
      }
      OTR_ASSIGN_OR_RETURN(brace_key, DhBraceKey(backend, s.our_dh->secret, message.dh));
      s.their_dh = message.dh;
      s.our_dh.reset();
    } else {
      if (s.brace_key.size() != kBraceKeySize) {
        return MakeError(ErrorCode::kUnknownKeyId, "ratchet receive: no brace key");
      }
      brace_key = NextBraceKey(backend, s.brace_key);
    }
    s.their_ecdh = their_ecdh;
    s.our_ecdh.reset();
    // "Set pn as j. Set j as 0. Set k as 0."
    s.pn = s.j;
    s.j = 0;
    s.k = 0;
    // "K = KDF(usage_shared_secret || K_ecdh || brace_key, 64) [...]
    // curr_root_key, chain_key_r[k] = derive_ratchet_keys(receiving,
    // prev_root_key, K)."
    const SecretBytes k = MixedSharedSecret(backend, k_ecdh, brace_key);
    RatchetKeys keys = DeriveRatchetKeys(backend, s.root_key, k);
    s.root_key = std::move(keys.root_key);
    s.chain_key_r = std::move(keys.chain_key);
    s.brace_key = std::move(brace_key);
    s.receiving_ratchet_id = message.ratchet_id;
    s.i = message.ratchet_id + 1;
    // Our sending chain ended: the next send turns the ratchet.
    s.chain_key_s.Clear();
    s.ratchet_on_next_send = true;
    // Skipped messages of the new chain, then this one.
    OTR_RETURN_IF_ERROR(SkipMessageKeys(backend, limits_, s.chain_key_r, s.k, message.message_id,
                                        s.receiving_ratchet_id, message.ecdh, now, plan.new_keys));
    if (skipped_.size() + plan.new_keys.size() > limits_.max_stored_keys) {
      return MakeError(ErrorCode::kTooLarge, "ratchet receive: too many stored message keys");
    }
    OTR_RETURN_IF_ERROR(
        OpenWithChain(backend, s.chain_key_r, s.k, message, mac_input, plan.mk_mac, plan.received));
    plan.received.new_ratchet = true;
    plan.step =
        ReceivePlan::ChainStep{std::move(s.chain_key_r), s.k, s.expiry_timer_start.value_or(now)};
    plan.rotated = std::move(s);
    return plan;
  }

  // "If a message arrives that corresponds to a message key already deleted
  // or that cannot be derived: Reject the message." A ratchet id below the
  // receiving chain's is a past ratchet ("max_remote_i_seen > ratchet_id
  // [...] duplicated message from a past DH ratchet").
  if (!now_state.chain_key_r.empty() && message.ratchet_id <= now_state.receiving_ratchet_id) {
    return MakeError(ErrorCode::kReplayedCounter, "ratchet receive: message key already deleted");
  }
  return MakeError(ErrorCode::kUnknownKeyId, "ratchet receive: no such ratchet");
}

Result<ReceivedMessage> Ratchet::Commit(ReceivePlan plan) {
  if (ended_ || plan.generation != generation_) {
    return MakeError(ErrorCode::kBadState, "ratchet receive: stale plan");
  }
  if (plan.rotated) state_ = std::move(*plan.rotated);
  if (plan.step) {
    state_.chain_key_r = std::move(plan.step->chain_key_r);
    state_.k = plan.step->k;
    state_.expiry_timer_start = plan.step->expiry_timer_start;
  }
  if (plan.used_key) skipped_.erase(*plan.used_key);
  for (auto& [id, key] : plan.new_keys) skipped_.insert_or_assign(id, std::move(key));
  // "Add MKmac to the list mac_keys_to_reveal", bounded (Limits).
  mac_keys_to_reveal_.Add(std::move(plan.mk_mac), limits_.max_mac_keys_to_reveal);
  ++generation_;
  return std::move(plan.received);
}

Result<ReceivedMessage> Ratchet::Receive(uint64_t now, const DataMessage& message,
                                         ByteView mac_input) {
  OTR_ASSIGN_OR_RETURN(ReceivePlan plan, PrepareReceive(now, message, mac_input));
  return Commit(std::move(plan));
}

}  // namespace otr::v4::ratchet
