// otrv4.md, "When you send a Data Message" and "Rotating ECDH Keys and Brace
// Key as sender".
#include <algorithm>
#include <cstddef>
#include <limits>

#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/v4/ratchet/ratchet.h"

namespace otr::v4::ratchet {

using crypto::SecretBytes;

namespace {

// "Given a new DH Ratchet": rotate our ECDH key and the brace key, then
// derive the new root key and sending chain key. Works on `s`, a copy.
Status RotateAsSender(const crypto::Backend& backend, RatchetState& s, uint64_t now,
                      crypto::Random& random) {
  if (s.i == std::numeric_limits<uint32_t>::max()) {
    return MakeError(ErrorCode::kTooLarge, "ratchet send: ratchet id exhausted");
  }
  // "Before rotating the keys: Reset the sending message id (j) to 0."
  s.j = 0;
  // "Generate a new ECDH key pair and assign it to our_ecdh = generateECDH()
  // [...] Calculate K_ecdh = ECDH(our_ecdh.secret, their_ecdh)."
  OTR_ASSIGN_OR_RETURN(EcdhKeyPair our_ecdh, GenerateEcdh(backend, random));
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_ecdh, Ecdh(backend, our_ecdh.secret(), s.their_ecdh));
  SecretBytes brace_key;
  if (s.i % 3 == 0) {
    // "If i % 3 == 0: Generate the new DH key pair [...] k_dh = DH(our_dh.secret,
    // their_dh) [...] brace_key = KDF(usage_third_brace_key || k_dh, 32)."
    OTR_ASSIGN_OR_RETURN(crypto::DhKeyPair our_dh, GenerateDh(backend, random));
    OTR_ASSIGN_OR_RETURN(brace_key, DhBraceKey(backend, our_dh.secret, s.their_dh));
    s.our_dh = std::move(our_dh);
  } else {
    // "Otherwise: brace_key = KDF(usage_brace_key || brace_key, 32)."
    if (s.brace_key.size() != kBraceKeySize) {
      return MakeError(ErrorCode::kUnknownKeyId, "ratchet send: no brace key");
    }
    brace_key = NextBraceKey(backend, s.brace_key);
  }
  // "K = KDF(usage_shared_secret || K_ecdh || brace_key, 64) [...]
  // curr_root_key, chain_key_s[j] = derive_ratchet_keys(sending,
  // prev_root_key, K)."
  const SecretBytes k = MixedSharedSecret(backend, k_ecdh, brace_key);
  RatchetKeys keys = DeriveRatchetKeys(backend, s.root_key, k);
  s.root_key = std::move(keys.root_key);
  s.chain_key_s = std::move(keys.chain_key);
  s.brace_key = std::move(brace_key);
  s.our_ecdh = std::move(our_ecdh);
  // The chain's ratchet id is i; then i = i + 1 (README.md, "Ratchet ids").
  s.sending_ratchet_id = s.i;
  s.i += 1;
  s.ratchet_on_next_send = false;
  // "Session Expiration": a new ECDH key restarts the timer.
  s.expiry_timer_start = now;
  return Status::Ok();
}

}  // namespace

Result<Ratchet::SendPlan> Ratchet::PrepareSend(uint64_t now, const Header& header, uint8_t flags,
                                               ByteView plaintext, crypto::Random& random) const {
  if (ended_) return MakeError(ErrorCode::kBadState, "ratchet send: session expired");
  const crypto::Backend& backend = *backend_;
  SendPlan plan;
  plan.generation = generation_;
  // A message that turns the ratchet changes many variables: they are
  // worked on in a copy. One in the same chain changes only chain_key_s, j
  // and the expiry timer: no other key is copied (issue 20).
  if (state_.ratchet_on_next_send || state_.chain_key_s.empty()) {
    plan.rotated = state_;
    OTR_RETURN_IF_ERROR(RotateAsSender(backend, *plan.rotated, now, random));
  }
  const RatchetState& s = plan.rotated ? *plan.rotated : state_;
  if (!s.our_ecdh) return MakeError(ErrorCode::kBadState, "ratchet send: no ECDH key");
  if (s.j == std::numeric_limits<uint32_t>::max()) {
    return MakeError(ErrorCode::kTooLarge, "ratchet send: message id exhausted");
  }

  DataMessage& m = plan.sent.message;
  m.header = header;
  m.flags = flags;
  // "Set pn as the Data message's previous chain message number", the chain's
  // ratchet id, "Set j as the Data message's message id".
  m.previous_chain_length = s.pn;
  m.ratchet_id = s.sending_ratchet_id;
  m.message_id = s.j;
  m.ecdh = s.our_ecdh->pub_encoded();  // encoded when the pair was made
  // The Public DH Key travels in every message of a DH ratchet (README.md).
  if (s.sending_ratchet_id % 3 == 0 && s.our_dh) m.dh = s.our_dh->pub;

  // "MKenc, MKmac = derive_enc_mac_keys(chain_key_s[j]) and, if needed the
  // extra symmetric key: extra_symm_key = KDF(usage_extra_symm_key || 0xFF
  // || chain_key_s[j], 64)" (derived by whoever needs it, from
  // chain_key_s[j], which Commit moves into the SentMessage);
  // "chain_key_s[j+1] = KDF(usage_next_chain_key || chain_key_s[j], 64)";
  // "Securely delete chain_key_s[j]" (Commit replaces it; the SentMessage's
  // copy is wiped when it is dropped).
  const SecretBytes mk_enc = DeriveMessageKey(backend, s.chain_key_s);
  const SecretBytes mk_mac = DeriveMacKey(backend, mk_enc);
  plan.chain_key_s = NextChainKey(backend, s.chain_key_s);

  // "encrypted_message = Chacha20_Enc(MKenc, nonce, m)".
  OTR_ASSIGN_OR_RETURN(m.encrypted_message, ChaCha20(backend, mk_enc, plaintext));
  // "The first data message sent every ratchet reveals them" ("Revealing
  // MAC Keys"); the Authenticator does not cover them.
  if (s.j == 0) {
    plan.reveal = true;
    m.revealed_mac_keys.reserve(mac_keys_to_reveal_.size());
    for (const SecretBytes& key : mac_keys_to_reveal_) {
      v4::MacKey revealed{};
      std::copy(key.view().begin(), key.view().end(), revealed.begin());
      m.revealed_mac_keys.push_back(revealed);
    }
  }
  // "Authenticator = HWMAC(usage_authenticator || MKmac || data_message_sections, 64)",
  // over the message's own encoding (made once, the Authenticator's bytes
  // still zero), then written into both.
  Bytes& encoded = plan.sent.encoded;
  encoded = EncodeDataMessage(m);
  const ByteView mac_input = DataMessageMacInputOf(encoded, m);
  // (The Authenticator is sent: it goes straight into the message.)
  AuthenticatorInto(backend, mk_mac, mac_input, m.authenticator);
  std::copy(m.authenticator.begin(), m.authenticator.end(),
            encoded.begin() + static_cast<std::ptrdiff_t>(mac_input.size()));
  // "Increment the next sending message id j = j + 1."
  plan.j = s.j + 1;
  plan.expiry_timer_start = s.expiry_timer_start.value_or(now);
  return plan;
}

Result<SentMessage> Ratchet::Commit(SendPlan plan) {
  if (ended_ || plan.generation != generation_) {
    return MakeError(ErrorCode::kBadState, "ratchet send: stale plan");
  }
  // chain_key_s[j], replaced below, goes to the message's extra key source.
  SecretBytes& used = plan.rotated ? plan.rotated->chain_key_s : state_.chain_key_s;
  plan.sent.extra_symm_key = ExtraKeySource::OfChainKey(std::move(used));
  if (plan.rotated) state_ = std::move(*plan.rotated);
  state_.chain_key_s = std::move(plan.chain_key_s);
  state_.j = plan.j;
  state_.expiry_timer_start = plan.expiry_timer_start;
  if (plan.reveal) mac_keys_to_reveal_.Clear();
  ++generation_;
  return std::move(plan.sent);
}

Result<SentMessage> Ratchet::Send(uint64_t now, const Header& header, uint8_t flags,
                                  ByteView plaintext, crypto::Random& random) {
  OTR_ASSIGN_OR_RETURN(SendPlan plan, PrepareSend(now, header, flags, plaintext, random));
  return Commit(std::move(plan));
}

}  // namespace otr::v4::ratchet
