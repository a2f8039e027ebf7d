// libotr-ng's double ratchet (ratchet.h has the list of differences).
#include "protocol/v4/libotr_ng/ratchet.h"

#include <algorithm>
#include <utility>

#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/libotr_ng/curve.h"
#include "protocol/v4/ratchet/derive.h"

namespace otr::v4::libotr_ng {

using crypto::SecretBytes;

namespace {

// key_management.c: key_manager_derive_ratchet_keys, derive_next_chain_key.
constexpr uint8_t kUsageRootKey = 0x14;
constexpr uint8_t kUsageChainKey = 0x15;
constexpr uint8_t kUsageNextChainKey = 0x16;
constexpr uint8_t kUsageBraceKey = 0x02;
constexpr size_t kRootKeySize = 64;
constexpr size_t kBraceKeySize = 32;

// root = KDF(0x14 || root || K); chain = KDF(0x15 || new root || K) (#17).
void DeriveRatchetKeys(const crypto::Backend& backend, const SecretBytes& k, SecretBytes& root,
                       SecretBytes& chain) {
  root = Kdf1(backend, kUsageRootKey, {root.view(), k.view()}, kRootKeySize);
  chain = Kdf1(backend, kUsageChainKey, {root.view(), k.view()}, kChainKeySize);
}

// The keys of the message at `chain`, then the chain moves on.
struct ChainStep {
  MessageKeys keys;
  SecretBytes extra_symmetric_key;
};
ChainStep Step(const crypto::Backend& backend, SecretBytes& chain) {
  ChainStep step{DeriveMessageKeys(backend, chain), ExtraSymmetricKey(backend, chain)};
  chain = Kdf1(backend, kUsageNextChainKey, {chain.view()}, kChainKeySize);
  return step;
}

}  // namespace

Result<Ratchet> Ratchet::StartAuthISender(const crypto::Backend& backend, const SecretBytes& k,
                                          const Point& their_ecdh_first, ByteView their_dh_first,
                                          size_t max_skip) {
  OTR_ASSIGN_OR_RETURN(FirstRatchetKeys first, DeriveFirstRatchetKeys(backend, k));
  Ratchet r;
  r.root_key_ = std::move(first.root_key);
  r.our_ecdh_ = EcdhKeyPair::FromEd448KeyPair(backend, std::move(first.ecdh));
  r.our_dh_ = std::move(first.dh);
  r.their_ecdh_ = their_ecdh_first;
  r.their_dh_ = Mpi(their_dh_first);  // a checked group element: fits
  r.max_skip_ = max_skip;
  return r;
}

Result<Ratchet> Ratchet::StartAuthRSender(const crypto::Backend& backend, const SecretBytes& k,
                                          EcdhKeyPair our_ecdh_first,
                                          crypto::DhKeyPair our_dh_first, size_t max_skip) {
  OTR_ASSIGN_OR_RETURN(const FirstRatchetKeys first, DeriveFirstRatchetKeys(backend, k));
  Ratchet r;
  r.root_key_ = first.root_key;
  r.our_ecdh_ = std::move(our_ecdh_first);
  r.our_dh_ = std::move(our_dh_first);
  r.their_ecdh_ = backend.Ed448Encode(first.ecdh.pub);
  r.their_dh_ = first.dh.pub;
  r.max_skip_ = max_skip;
  return r;
}

Result<SecretBytes> Ratchet::NewRatchetSecret(const crypto::Backend& backend,
                                              const crypto::Ed448Point& their_ecdh,
                                              ByteView their_dh) const {
  OTR_ASSIGN_OR_RETURN(const SecretBytes k_ecdh,
                       ratchet::Ecdh(backend, HeldScalar(backend, our_ecdh_.secret()), their_ecdh));
  SecretBytes brace_key;
  if (i_ % 3 == 0) {
    if (our_dh_.secret.size() == 0) {
      return MakeError(ErrorCode::kBadState, "libotr-ng ratchet: DH secret already destroyed");
    }
    OTR_ASSIGN_OR_RETURN(brace_key, ratchet::DhBraceKey(backend, our_dh_.secret, their_dh));
  } else {
    // calculate_shared_secret wipes the brace key after each use (#18).
    const SecretBytes wiped(kBraceKeySize);
    brace_key = Kdf1(backend, kUsageBraceKey, {wiped.view()}, kBraceKeySize);
  }
  return ratchet::MixedSharedSecret(backend, k_ecdh, brace_key);
}

Result<DataMessage> Ratchet::Send(const crypto::Backend& backend, ByteView plaintext, uint8_t flags,
                                  uint32_t sender_tag, uint32_t receiver_tag,
                                  crypto::Random& random, SecretBytes* extra_symmetric_key) {
  const uint32_t ratchet_id = i_;
  const bool first_of_chain = j_ == 0;
  if (first_of_chain) {
    // rotate_keys('s'): a new ECDH key, a new DH key when i % 3 == 0 (#19).
    OTR_ASSIGN_OR_RETURN(our_ecdh_, GenerateEcdh(backend, random));
    if (i_ % 3 == 0) {
      OTR_ASSIGN_OR_RETURN(our_dh_, GenerateDh(backend, random));
    }
    OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point their, backend.Ed448Decode(their_ecdh_));
    OTR_ASSIGN_OR_RETURN(const SecretBytes k, NewRatchetSecret(backend, their, their_dh_));
    DeriveRatchetKeys(backend, k, root_key_, chain_s_);
    ++i_;
  }
  ChainStep step = Step(backend, chain_s_);
  DataMessage m;
  m.sender_tag = sender_tag;
  m.receiver_tag = receiver_tag;
  m.flags = flags;
  m.previous_chain_length = pn_;
  m.ratchet_id = ratchet_id;
  m.message_id = j_;
  m.ecdh = our_ecdh_.pub_encoded();
  m.dh = our_dh_.pub;
  if (first_of_chain) {
    m.revealed_mac_keys = std::move(old_mac_keys_);
    old_mac_keys_.clear();
  }
  random.Fill(m.nonce);
  OTR_RETURN_IF_ERROR(SealWithKeys(backend, step.keys, plaintext, m));
  if (extra_symmetric_key != nullptr) *extra_symmetric_key = std::move(step.extra_symmetric_key);
  ++j_;
  return m;
}

void Ratchet::StoreSkipped(const crypto::Backend& backend, Receiving& r, const Point& their_ecdh,
                           uint32_t until) const {
  // store_enc_keys: nothing when more than max_skip would be stored, or
  // when there is no receiving chain yet.
  if (static_cast<uint64_t>(r.k) + max_skip_ < until || r.chain_r.size() == 0) return;
  while (r.k < until) {
    ChainStep step = Step(backend, r.chain_r);
    r.skipped.push_back(
        Skipped{their_ecdh, r.k, std::move(step.keys), std::move(step.extra_symmetric_key)});
    ++r.k;
  }
}

Result<Opened> Ratchet::Receive(const crypto::Backend& backend, const DataMessage& m) {
  Receiving r{i_, j_, k_, pn_, root_key_, chain_r_, m.ecdh, m.dh, false, skipped_};
  std::optional<ChainStep> step;
  auto stored = std::find_if(r.skipped.begin(), r.skipped.end(), [&](const Skipped& s) {
    return s.their_ecdh == m.ecdh && s.message_id == m.message_id;
  });
  if (stored != r.skipped.end()) {
    step = ChainStep{std::move(stored->keys), std::move(stored->extra_symmetric_key)};
    r.skipped.erase(stored);
  } else {
    if (m.ecdh != their_ecdh_) {
      // A new ratchet: keep the rest of the previous chain, then rotate_keys('r').
      StoreSkipped(backend, r, their_ecdh_, m.previous_chain_length);
      OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point their, backend.Ed448Decode(m.ecdh));
      OTR_ASSIGN_OR_RETURN(const SecretBytes k, NewRatchetSecret(backend, their, m.dh));
      DeriveRatchetKeys(backend, k, r.root_key, r.chain_r);
      r.drop_our_dh_secret = r.i % 3 == 0;
      r.pn = r.j;
      r.j = 0;
      r.k = 0;
      ++r.i;
    }
    if (r.chain_r.size() == 0) {
      return MakeError(ErrorCode::kUnknownKeyId, "libotr-ng ratchet: no receiving chain");
    }
    StoreSkipped(backend, r, m.ecdh, m.message_id);
    step = Step(backend, r.chain_r);
    ++r.k;
  }
  OTR_ASSIGN_OR_RETURN(SecretBytes plaintext, OpenWithKeys(backend, step->keys, m));
  // Verified: commit (otrng_receiving_ratchet_copy) and keep the MAC key
  // to reveal (otrng_store_old_mac_keys).
  i_ = r.i;
  j_ = r.j;
  k_ = r.k;
  pn_ = r.pn;
  root_key_ = std::move(r.root_key);
  chain_r_ = std::move(r.chain_r);
  their_ecdh_ = r.their_ecdh;
  their_dh_ = std::move(r.their_dh);
  skipped_ = std::move(r.skipped);
  if (r.drop_our_dh_secret) our_dh_.secret = SecretBytes();
  auto& mac = old_mac_keys_.emplace_back();
  std::copy_n(step->keys.mac.data(), mac.size(), mac.begin());
  return Opened{std::move(plaintext), std::move(step->extra_symmetric_key)};
}

}  // namespace otr::v4::libotr_ng
