#include "protocol/v3/keys/key_state.h"

#include <algorithm>

#include "crypto/secret_bytes.h"
#include "protocol/v3/keys/secbytes.h"

namespace otr::v3 {
namespace {

template <typename T>
const T* Held(const std::optional<T>& key) {
  return key ? &*key : nullptr;
}

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
  OTR_ASSIGN_OR_RETURN(NewPairs pairs, state.DeriveMissingPairs({Held(state.our_previous_)},
                                                                {Held(state.their_current_)}));
  state.AddPairs(std::move(pairs));
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

Result<KeyState::PairState> KeyState::DerivePair(const OurKey& ours, const TheirKey& theirs) const {
  OTR_ASSIGN_OR_RETURN(crypto::SecretBytes s,
                       crypto::DhSharedSecret(*backend_, *group_, ours.pair.secret, theirs.pub));
  // The pair's keyed contexts are set up by its first Seal or Verify.
  return PairState{DeriveDataKeys(*backend_, ours.pair.pub, theirs.pub, s), DataCiphers()};
}

Result<KeyState::NewPairs> KeyState::DeriveMissingPairs(
    std::initializer_list<const OurKey*> ours,
    std::initializer_list<const TheirKey*> theirs) const {
  NewPairs out;
  for (const OurKey* o : ours) {
    if (o == nullptr) continue;
    for (const TheirKey* t : theirs) {
      if (t == nullptr || pairs_.contains({o->keyid, t->keyid})) continue;
      OTR_ASSIGN_OR_RETURN(PairState pair, DerivePair(*o, *t));
      out.emplace_back(KeyIds{o->keyid, t->keyid}, std::move(pair));
    }
  }
  return out;
}

void KeyState::AddPairs(NewPairs pairs) {
  for (auto& [ids, pair] : pairs) pairs_.insert_or_assign(ids, std::move(pair));
}

Result<SealedData> KeyState::Seal(const Header& header, uint8_t flags, ByteView plaintext,
                                  crypto::Random& random) {
  // Our next key pair is made by the first Seal that announces it; it and
  // its pairs are kept only if this Seal succeeds (nothing changes on a
  // failure).
  std::optional<OurKey> made;
  std::optional<NewPairs> made_pairs;
  if (!our_current_) {
    OTR_ASSIGN_OR_RETURN(crypto::DhKeyPair next,
                         crypto::GenerateDhKeyPair(*backend_, *group_, random));
    made = OurKey{our_keyid_, std::move(next)};
    OTR_ASSIGN_OR_RETURN(
        made_pairs, DeriveMissingPairs({&*made}, {Held(their_previous_), Held(their_current_)}));
  }
  const OurKey& current = made ? *made : *our_current_;
  const uint32_t sender_keyid = our_keyid_ - 1;
  auto found = pairs_.find({sender_keyid, their_keyid_});
  if (found == pairs_.end()) {
    return MakeError(ErrorCode::kUnknownKeyId, "Seal: no keys for the current pair");
  }
  PairState* pair = &found->second;
  if (pair->send_counter == UINT64_MAX) {
    return MakeError(ErrorCode::kReplayedCounter, "Seal: counter exhausted for this key pair");
  }
  SealedData out;
  DataMessage& m = out.message;
  m.header = header;
  m.flags = flags;
  m.sender_keyid = sender_keyid;
  m.recipient_keyid = their_keyid_;
  m.next_dh = current.pair.pub.ToBytes();
  m.ctr = CounterBytes(pair->send_counter + 1);
  // The pair's first Seal sets its sending contexts up (kept even if this
  // Seal fails later: they only cache the pair's keys).
  OTR_ASSIGN_OR_RETURN(crypto::KeyedAes128Ctr * aes, pair->ciphers.SendAes(*backend_, pair->keys));
  OTR_ASSIGN_OR_RETURN(crypto::KeyedHmac * hmac, pair->ciphers.SendMac(*backend_, pair->keys));
  m.encrypted_message.resize(plaintext.size());
  OTR_RETURN_IF_ERROR(aes->Crypt(m.ctr, plaintext, m.encrypted_message));
  // One encoding: the MAC covers its prefix, the rest is appended.
  Bytes encoded = EncodeDataMessageMacInput(m);
  OTR_RETURN_IF_ERROR(hmac->Mac(encoded, m.mac));
  m.old_mac_keys = pending_reveal_;
  AppendDataMessageTail(m, encoded);
  out.encoded = std::move(encoded);
  out.key_ids = {sender_keyid, their_keyid_};
  // Committed: the counter advances, the revealed keys are gone, and a key
  // pair made here is ours from now on.
  pair->send_counter += 1;
  pending_reveal_.clear();
  if (made) {
    our_current_ = std::move(made);
    AddPairs(std::move(*made_pairs));
  }
  return out;
}

Result<crypto::SecretBytes> KeyState::ExtraSymmetricKey(KeyIds ids) const {
  auto it = pairs_.find(ids);
  if (it == pairs_.end()) {
    return MakeError(ErrorCode::kUnknownKeyId, "ExtraSymmetricKey: keys no longer held");
  }
  return v3::ExtraSymmetricKey(*backend_, it->second.keys.secbytes);
}

Result<KeyState::Verified> KeyState::Verify(const DataMessage& m, ByteView mac_input) const {
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
  // Kept only when Accept may make it their next key (a sender that has
  // not rotated repeats its next key in every message).
  if (m.sender_keyid == their_keyid_) v.next_dh = m.next_dh;
  // Every pair of held keys was derived when it became known: no
  // public-key work happens before the MAC is checked.
  auto found = pairs_.find(v.ids);
  if (found == pairs_.end()) {
    return MakeError(ErrorCode::kUnknownKeyId, "Data Message: no keys for this pair");
  }
  const PairState* pair = &found->second;
  OTR_ASSIGN_OR_RETURN(crypto::KeyedHmac * hmac, pair->ciphers.RecvMac(*backend_, pair->keys));
  // "Uses MAC key to verify MAC_k(T_B)": over the bytes as received, or
  // the message encoded again when the caller has no bytes.
  Bytes encoded;
  if (mac_input.empty()) {
    encoded = EncodeDataMessageMacInput(m);
    mac_input = encoded;
  }
  Mac mac{};
  OTR_RETURN_IF_ERROR(hmac->Mac(mac_input, mac));
  const bool mac_ok = crypto::ConstantTimeEqual(mac, m.mac);
  crypto::SecureWipe(mac.data(), mac.size());
  if (!mac_ok) {
    return MakeError(ErrorCode::kBadMac, "Data Message: MAC does not verify");
  }
  v.counter = CounterValue(m.ctr);
  if (v.counter <= pair->last_recv_counter) {
    return MakeError(ErrorCode::kReplayedCounter, "Data Message: counter not increasing");
  }
  OTR_ASSIGN_OR_RETURN(crypto::KeyedAes128Ctr * aes, pair->ciphers.RecvAes(*backend_, pair->keys));
  v.opened.plaintext = crypto::SecretBytes(m.encrypted_message.size());
  OTR_RETURN_IF_ERROR(aes->Crypt(m.ctr, m.encrypted_message, v.opened.plaintext.mutable_view()));
  v.opened.key_ids = v.ids;
  return v;
}

Result<OpenedData> KeyState::Accept(Verified v, crypto::Random& random) {
  // "Finally, check if keys need rotation". Generate our next key and
  // derive the keys of the new pairs first, so that a failure leaves
  // everything unchanged.
  auto used = pairs_.find(v.ids);
  if (used == pairs_.end()) {
    return MakeError(ErrorCode::kUnknownKeyId, "Data Message: keys forgotten since Verify");
  }
  std::optional<OurKey> next_ours;
  if (v.recipient_keyid == our_keyid_) {
    if (our_keyid_ == UINT32_MAX) {
      return MakeError(ErrorCode::kUnknownKeyId, "Data Message: our keyid exhausted");
    }
    OTR_ASSIGN_OR_RETURN(crypto::DhKeyPair next,
                         crypto::GenerateDhKeyPair(*backend_, *group_, random));
    next_ours = OurKey{our_keyid_ + 1, std::move(next)};
  }
  std::optional<TheirKey> next_theirs;
  if (v.sender_keyid == their_keyid_ && their_keyid_ != UINT32_MAX) {
    // Verify kept (and checked) the next key only if the sender's keyid was
    // their newest then: fail closed if that changed in between.
    if (v.next_dh.empty()) {
      return MakeError(ErrorCode::kUnknownKeyId, "Data Message: their keys changed since Verify");
    }
    next_theirs = TheirKey{their_keyid_ + 1, std::move(v.next_dh)};
  }
  // The keys held after rotation: a rotated side keeps its current key
  // and gains the next one.
  const OurKey* ours_kept = next_ours ? Held(our_current_) : Held(our_previous_);
  const OurKey* ours_new = next_ours ? Held(next_ours) : Held(our_current_);
  const TheirKey* theirs_kept = next_theirs ? Held(their_current_) : Held(their_previous_);
  const TheirKey* theirs_new = next_theirs ? Held(next_theirs) : Held(their_current_);
  OTR_ASSIGN_OR_RETURN(NewPairs new_pairs,
                       DeriveMissingPairs({ours_kept, ours_new}, {theirs_kept, theirs_new}));

  // Committed.
  used->second.last_recv_counter = v.counter;
  used->second.recv_mac_used = true;
  if (next_ours) {
    Forget(/*ours=*/true, our_previous_->keyid);
    our_previous_ = std::move(our_current_);
    our_current_ = std::move(next_ours);
    our_keyid_ += 1;
  }
  if (next_theirs) {
    if (their_previous_) Forget(/*ours=*/false, their_previous_->keyid);
    their_previous_ = std::move(their_current_);
    their_current_ = std::move(next_theirs);
    their_keyid_ += 1;
  }
  AddPairs(std::move(new_pairs));
  return std::move(v.opened);
}

Result<OpenedData> KeyState::Open(const DataMessage& m, crypto::Random& random,
                                  ByteView mac_input) {
  OTR_ASSIGN_OR_RETURN(Verified v, Verify(m, mac_input));
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
