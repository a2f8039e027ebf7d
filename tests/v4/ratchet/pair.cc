#include "tests/v4/ratchet/pair.h"

#include <cassert>
#include <cstdlib>

#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/ratchet/derive.h"

namespace otr::v4::ratchet::testing {

using crypto::SecretBytes;
using crypto::testing::DeterministicRandom;

namespace {

// A point made on one backend as the other side holds it: encoded, then
// decoded (validated) by the receiver's backend.
crypto::Ed448Point Carry(const crypto::Backend& from, const crypto::Backend& to,
                         const crypto::Ed448Point& p) {
  auto decoded = to.Ed448Decode(from.Ed448Encode(p));
  if (!decoded.ok()) std::abort();
  return *decoded;
}

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) std::abort();
  return std::move(r).value();
}

}  // namespace

Pair StartPair(const crypto::Backend& alice_backend, const crypto::Backend& bob_backend, Dake dake,
               uint64_t seed, const Limits& limits) {
  Pair pair{Side{&alice_backend, std::make_unique<DeterministicRandom>(seed * 4 + 1), std::nullopt},
            Side{&bob_backend, std::make_unique<DeterministicRandom>(seed * 4 + 2), std::nullopt}};
  DeterministicRandom dake_random(seed * 4 + 3);
  // The DAKE's outputs both sides share.
  const SecretBytes k = dake_random.SecretOfSize(kSharedSecretSize);
  const SecretBytes brace_key = dake_random.SecretOfSize(kBraceKeySize);
  auto& ar = *pair.alice.random;
  auto& br = *pair.bob.random;
  if (dake == Dake::kInteractive) {
    EcdhKeyPair a_ecdh = Must(GenerateEcdh(alice_backend, ar));
    crypto::DhKeyPair a_dh = Must(GenerateDh(alice_backend, ar));
    EcdhKeyPair b_ecdh = Must(GenerateEcdh(bob_backend, br));
    crypto::DhKeyPair b_dh = Must(GenerateDh(bob_backend, br));
    InteractiveStart for_alice{
        k, {}, {}, Carry(bob_backend, alice_backend, b_ecdh.pub()), b_dh.pub};
    InteractiveStart for_bob{k, {}, {}, Carry(alice_backend, bob_backend, a_ecdh.pub()), a_dh.pub};
    for_alice.our_ecdh_first = std::move(a_ecdh);
    for_alice.our_dh_first = std::move(a_dh);
    for_bob.our_ecdh_first = std::move(b_ecdh);
    for_bob.our_dh_first = std::move(b_dh);
    pair.bob.ratchet.emplace(
        Must(Ratchet::StartAuthISender(bob_backend, limits, std::move(for_bob), br)));
    pair.alice.ratchet.emplace(
        Must(Ratchet::StartAuthIReceiver(alice_backend, limits, std::move(for_alice))));
  } else {
    // Bob's Prekey Message keys (Y, B) and Alice's first keys.
    EcdhKeyPair y = Must(GenerateEcdh(bob_backend, br));
    crypto::DhKeyPair b = Must(GenerateDh(bob_backend, br));
    EcdhKeyPair a_first = Must(GenerateEcdh(alice_backend, ar));
    crypto::DhKeyPair a_dh_first = Must(GenerateDh(alice_backend, ar));
    NonInteractiveStart for_bob{k,
                                brace_key,
                                std::nullopt,
                                std::nullopt,
                                Carry(alice_backend, bob_backend, a_first.pub()),
                                a_dh_first.pub};
    NonInteractiveStart for_alice{k,
                                  brace_key,
                                  std::move(a_first),
                                  std::move(a_dh_first),
                                  Carry(bob_backend, alice_backend, y.pub()),
                                  b.pub};
    pair.alice.ratchet.emplace(
        Must(Ratchet::StartNonInteractiveAuthSender(alice_backend, limits, std::move(for_alice))));
    pair.bob.ratchet.emplace(
        Must(Ratchet::StartNonInteractiveAuthReceiver(bob_backend, limits, std::move(for_bob))));
  }
  return pair;
}

Result<SentMessage> SendText(Side& from, std::string_view text, uint64_t now) {
  Header header;
  header.sender_instance_tag = 0x100;
  header.receiver_instance_tag = 0x101;
  return from.ratchet->Send(now, header, 0, AsBytes(text), *from.random);
}

Result<std::string> ReceiveText(Side& to, const DataMessage& message, uint64_t now) {
  OTR_ASSIGN_OR_RETURN(ReceivedMessage received, to.ratchet->Receive(now, message));
  return std::string(received.plaintext.view().begin(), received.plaintext.view().end());
}

namespace {

bool SameEcdh(const crypto::Backend& backend, const std::optional<EcdhKeyPair>& a,
              const std::optional<EcdhKeyPair>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->secret() == b->secret() && backend.Ed448Equal(a->pub(), b->pub()));
}

bool SameDh(const std::optional<crypto::DhKeyPair>& a, const std::optional<crypto::DhKeyPair>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->secret == b->secret && a->pub == b->pub);
}

}  // namespace

bool SameState(const crypto::Backend& backend, const Ratchet& a, const Ratchet& b) {
  const RatchetState& x = a.state();
  const RatchetState& y = b.state();
  if (!(x.root_key == y.root_key && x.chain_key_s == y.chain_key_s &&
        x.chain_key_r == y.chain_key_r && x.brace_key == y.brace_key &&
        x.sending_ratchet_id == y.sending_ratchet_id &&
        x.receiving_ratchet_id == y.receiving_ratchet_id && x.i == y.i && x.j == y.j &&
        x.k == y.k && x.pn == y.pn && x.ratchet_on_next_send == y.ratchet_on_next_send &&
        SameEcdh(backend, x.our_ecdh, y.our_ecdh) && SameDh(x.our_dh, y.our_dh) &&
        backend.Ed448Equal(x.their_ecdh, y.their_ecdh) && x.their_dh == y.their_dh &&
        x.expiry_timer_start == y.expiry_timer_start && a.ended() == b.ended())) {
    return false;
  }
  if (a.skipped_keys().size() != b.skipped_keys().size()) return false;
  for (auto it = a.skipped_keys().begin(), jt = b.skipped_keys().begin();
       it != a.skipped_keys().end(); ++it, ++jt) {
    if (!(it->first == jt->first && it->second.their_ecdh == jt->second.their_ecdh &&
          it->second.mk_enc == jt->second.mk_enc &&
          it->second.extra_symm_key == jt->second.extra_symm_key &&
          it->second.stored_at == jt->second.stored_at)) {
      return false;
    }
  }
  if (a.mac_keys_to_reveal().size() != b.mac_keys_to_reveal().size()) return false;
  for (size_t n = 0; n < a.mac_keys_to_reveal().size(); ++n) {
    if (!(a.mac_keys_to_reveal()[n] == b.mac_keys_to_reveal()[n])) return false;
  }
  return true;
}

}  // namespace otr::v4::ratchet::testing
