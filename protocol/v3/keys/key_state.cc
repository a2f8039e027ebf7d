#include "protocol/v3/keys/key_state.h"

#include <algorithm>

#include "crypto/secret_bytes.h"
#include "protocol/v3/keys/secbytes.h"

namespace otr::v3 {
namespace {

Ctr CounterBytes(uint64_t counter) {
  Ctr out{};
  for (size_t i = 0; i < out.size(); ++i) {
    out[out.size() - 1 - i] = static_cast<uint8_t>(counter >> (8 * i));
  }
  return out;
}

uint64_t CounterValue(const Ctr& ctr) {
  uint64_t v = 0;
  for (uint8_t b : ctr) v = (v << 8) | b;
  return v;
}

}  // namespace

Result<KeyState> KeyState::Start(const crypto::Backend& backend, crypto::DhKeyPair our_ake_key,
                                 uint32_t our_keyid, Bytes their_ake_public, uint32_t their_keyid) {
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  if (our_keyid == 0 || their_keyid == 0 || our_keyid == UINT32_MAX) {
    return MakeError(ErrorCode::kUnknownKeyId, "KeyState: keyids must be in 1..2^32-2");
  }
  OTR_RETURN_IF_ERROR(crypto::CheckGroupElement(backend, group, their_ake_public));
  KeyState state(backend, group);
  state.our_previous_ = OurKey{our_keyid, std::move(our_ake_key)};
  state.our_keyid_ = our_keyid + 1;  // our_current_ is made by the first Seal
  state.their_current_ = TheirKey{their_keyid, std::move(their_ake_public)};
  state.their_keyid_ = their_keyid;
  return state;
}

const KeyState::OurKey* KeyState::FindOurs(uint32_t keyid) const {
  if (our_current_ && our_current_->keyid == keyid) return &*our_current_;
  if (our_previous_ && our_previous_->keyid == keyid) return &*our_previous_;
  return nullptr;
}

const KeyState::TheirKey* KeyState::FindTheirs(uint32_t keyid) const {
  if (their_current_ && their_current_->keyid == keyid) return &*their_current_;
  if (their_previous_ && their_previous_->keyid == keyid) return &*their_previous_;
  return nullptr;
}

Result<KeyState::PairState> KeyState::DerivePair(uint32_t our_keyid, uint32_t their_keyid) const {
  const OurKey* ours = FindOurs(our_keyid);
  const TheirKey* theirs = FindTheirs(their_keyid);
  if (ours == nullptr || theirs == nullptr) {
    return MakeError(ErrorCode::kUnknownKeyId, "Data Message: keyid not current or previous");
  }
  OTR_ASSIGN_OR_RETURN(crypto::SecretBytes s,
                       crypto::DhSharedSecret(*backend_, *group_, ours->pair.secret, theirs->pub));
  DataKeys keys = DeriveDataKeys(*backend_, ours->pair.pub, theirs->pub, s);
  OTR_ASSIGN_OR_RETURN(DataCiphers ciphers, DataCiphers::Make(*backend_, keys));
  return PairState{std::move(keys), std::move(ciphers)};
}

Result<KeyState::PairState*> KeyState::Pair(uint32_t our_keyid, uint32_t their_keyid) {
  auto it = pairs_.find({our_keyid, their_keyid});
  if (it == pairs_.end()) {
    OTR_ASSIGN_OR_RETURN(PairState pair, DerivePair(our_keyid, their_keyid));
    it = pairs_.emplace(std::make_pair(our_keyid, their_keyid), std::move(pair)).first;
  }
  return &it->second;
}

Result<SealedData> KeyState::Seal(const Header& header, uint8_t flags, ByteView plaintext,
                                  crypto::Random& random) {
  if (!our_current_) {
    OTR_ASSIGN_OR_RETURN(crypto::DhKeyPair next,
                         crypto::GenerateDhKeyPair(*backend_, *group_, random));
    our_current_ = OurKey{our_keyid_, std::move(next)};
  }
  const uint32_t sender_keyid = our_keyid_ - 1;
  OTR_ASSIGN_OR_RETURN(PairState * pair, Pair(sender_keyid, their_keyid_));
  if (pair->send_counter == UINT64_MAX) {
    return MakeError(ErrorCode::kReplayedCounter, "Seal: counter exhausted for this key pair");
  }
  SealedData out;
  DataMessage& m = out.message;
  m.header = header;
  m.flags = flags;
  m.sender_keyid = sender_keyid;
  m.recipient_keyid = their_keyid_;
  m.next_dh = our_current_->pair.pub;
  m.ctr = CounterBytes(pair->send_counter + 1);
  m.encrypted_message.resize(plaintext.size());
  OTR_RETURN_IF_ERROR(pair->ciphers.send_aes().Crypt(m.ctr, plaintext, m.encrypted_message));
  OTR_RETURN_IF_ERROR(pair->ciphers.send_mac().Mac(EncodeDataMessageMacInput(m), m.mac));
  m.old_mac_keys = pending_reveal_;
  out.key_ids = {sender_keyid, their_keyid_};
  // Committed: the counter advances and the revealed keys are gone.
  pair->send_counter += 1;
  pending_reveal_.clear();
  return out;
}

Result<crypto::SecretBytes> KeyState::ExtraSymmetricKey(KeyIds ids) const {
  auto it = pairs_.find(ids);
  if (it == pairs_.end()) {
    return MakeError(ErrorCode::kUnknownKeyId, "ExtraSymmetricKey: keys no longer held");
  }
  return v3::ExtraSymmetricKey(*backend_, it->second.keys.secbytes);
}

Result<KeyState::Verified> KeyState::Verify(const DataMessage& m) const {
  // "If the keyids do not represent either the most recent key or the
  // previous key (for either the sender or receiver), reject the message."
  if (FindOurs(m.recipient_keyid) == nullptr || FindTheirs(m.sender_keyid) == nullptr) {
    return MakeError(ErrorCode::kUnknownKeyId, "Data Message: keyid not current or previous");
  }
  // A next D-H key that would become their_y must be a group element.
  if (m.sender_keyid == their_keyid_) {
    OTR_RETURN_IF_ERROR(crypto::CheckGroupElement(*backend_, *group_, m.next_dh));
  }
  Verified v;
  v.ids = {m.recipient_keyid, m.sender_keyid};
  v.recipient_keyid = m.recipient_keyid;
  v.sender_keyid = m.sender_keyid;
  v.next_dh = m.next_dh;
  const PairState* pair = nullptr;
  if (auto cached = pairs_.find(v.ids); cached != pairs_.end()) {
    pair = &cached->second;
  } else {
    OTR_ASSIGN_OR_RETURN(v.fresh, DerivePair(v.ids.first, v.ids.second));
    pair = &*v.fresh;
  }
  Mac mac{};
  OTR_RETURN_IF_ERROR(pair->ciphers.recv_mac().Mac(EncodeDataMessageMacInput(m), mac));
  const bool mac_ok = crypto::ConstantTimeEqual(mac, m.mac);
  crypto::SecureWipe(mac.data(), mac.size());
  if (!mac_ok) {
    return MakeError(ErrorCode::kBadMac, "Data Message: MAC does not verify");
  }
  v.counter = CounterValue(m.ctr);
  if (v.counter <= pair->last_recv_counter) {
    return MakeError(ErrorCode::kReplayedCounter, "Data Message: counter not increasing");
  }
  v.opened.plaintext.resize(m.encrypted_message.size());
  OTR_RETURN_IF_ERROR(
      pair->ciphers.recv_aes().Crypt(m.ctr, m.encrypted_message, v.opened.plaintext));
  v.opened.key_ids = v.ids;
  return v;
}

Result<OpenedData> KeyState::Accept(Verified v, crypto::Random& random) {
  // "Finally, check if keys need rotation". Generate first, so that a
  // failure leaves everything unchanged.
  std::optional<crypto::DhKeyPair> next;
  if (v.recipient_keyid == our_keyid_) {
    if (our_keyid_ == UINT32_MAX) {
      return MakeError(ErrorCode::kUnknownKeyId, "Data Message: our keyid exhausted");
    }
    OTR_ASSIGN_OR_RETURN(next, crypto::GenerateDhKeyPair(*backend_, *group_, random));
  }
  PairState& pair =
      v.fresh ? pairs_.emplace(v.ids, std::move(*v.fresh)).first->second : pairs_.at(v.ids);
  pair.last_recv_counter = v.counter;
  pair.recv_mac_used = true;
  if (next) {
    Forget(/*ours=*/true, our_previous_->keyid);
    our_previous_ = std::move(our_current_);
    our_current_ = OurKey{our_keyid_ + 1, std::move(*next)};
    our_keyid_ += 1;
  }
  if (v.sender_keyid == their_keyid_ && their_keyid_ != UINT32_MAX) {
    if (their_previous_) Forget(/*ours=*/false, their_previous_->keyid);
    their_previous_ = std::move(their_current_);
    their_current_ = TheirKey{their_keyid_ + 1, std::move(v.next_dh)};
    their_keyid_ += 1;
  }
  return std::move(v.opened);
}

Result<OpenedData> KeyState::Open(const DataMessage& m, crypto::Random& random) {
  OTR_ASSIGN_OR_RETURN(Verified v, Verify(m));
  return Accept(std::move(v), random);
}

void KeyState::Forget(bool ours, uint32_t keyid) {
  for (auto it = pairs_.begin(); it != pairs_.end();) {
    const uint32_t id = ours ? it->first.first : it->first.second;
    if (id != keyid) {
      ++it;
      continue;
    }
    // "Revealing MAC keys": only keys actually used to verify a MAC.
    if (it->second.recv_mac_used) {
      MacKey key{};
      std::copy_n(it->second.keys.recv_mac.data(), key.size(), key.begin());
      pending_reveal_.push_back(key);
    }
    it = pairs_.erase(it);
  }
}

std::vector<const crypto::SecretBytes*> KeyState::HeldSecrets() const {
  std::vector<const crypto::SecretBytes*> out;
  if (our_previous_) out.push_back(&our_previous_->pair.secret);
  if (our_current_) out.push_back(&our_current_->pair.secret);
  for (const auto& [ids, pair] : pairs_) {
    for (const crypto::SecretBytes* s :
         {&pair.keys.send_aes, &pair.keys.send_mac, &pair.keys.recv_aes, &pair.keys.recv_mac,
          &pair.keys.secbytes}) {
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace otr::v3
