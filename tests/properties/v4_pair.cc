#include "tests/properties/v4_pair.h"

#include <rapidcheck.h>

#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/ratchet/derive.h"

namespace otr::properties::v4p {

using crypto::testing::DeterministicRandom;

namespace {

v4::Header HeaderFrom(int who) {
  v4::Header header;
  header.sender_instance_tag = who == 0 ? 0x100 : 0x101;
  header.receiver_instance_tag = who == 0 ? 0x101 : 0x100;
  return header;
}

}  // namespace

Result<V4Pair> V4Pair::Start(const crypto::Backend& alice_backend,
                             const crypto::Backend& bob_backend, uint64_t seed,
                             const v4::ratchet::Limits& limits) {
  V4Pair pair;
  pair.party_[0].backend = &alice_backend;
  pair.party_[1].backend = &bob_backend;
  pair.party_[0].random = std::make_unique<DeterministicRandom>(seed * 4 + 1);
  pair.party_[1].random = std::make_unique<DeterministicRandom>(seed * 4 + 2);
  auto& ar = *pair.party_[0].random;
  auto& br = *pair.party_[1].random;
  // Stand-in for the DAKE until protocol/v4/dake lands: K is random, the
  // first ephemeral keys are real and public.
  DeterministicRandom dake_random(seed * 4 + 3);
  const crypto::SecretBytes k = dake_random.SecretOfSize(v4::ratchet::kSharedSecretSize);
  OTR_ASSIGN_OR_RETURN(v4::EcdhKeyPair a_ecdh, v4::GenerateEcdh(alice_backend, ar));
  OTR_ASSIGN_OR_RETURN(crypto::DhKeyPair a_dh, v4::GenerateDh(alice_backend, ar));
  OTR_ASSIGN_OR_RETURN(v4::EcdhKeyPair b_ecdh, v4::GenerateEcdh(bob_backend, br));
  OTR_ASSIGN_OR_RETURN(crypto::DhKeyPair b_dh, v4::GenerateDh(bob_backend, br));
  pair.dake_publics_.ecdh = {alice_backend.Ed448Encode(a_ecdh.pub),
                             bob_backend.Ed448Encode(b_ecdh.pub)};
  pair.dake_publics_.dh = {a_dh.pub, b_dh.pub};
  OTR_ASSIGN_OR_RETURN(crypto::Ed448Point b_at_alice,
                       alice_backend.Ed448Decode(bob_backend.Ed448Encode(b_ecdh.pub)));
  OTR_ASSIGN_OR_RETURN(crypto::Ed448Point a_at_bob,
                       bob_backend.Ed448Decode(alice_backend.Ed448Encode(a_ecdh.pub)));
  v4::ratchet::InteractiveStart for_alice{k, std::move(a_ecdh), std::move(a_dh), b_at_alice,
                                          b_dh.pub};
  v4::ratchet::InteractiveStart for_bob{k, std::move(b_ecdh), std::move(b_dh), a_at_bob,
                                        for_alice.our_dh_first.pub};
  OTR_ASSIGN_OR_RETURN(v4::ratchet::Ratchet bob, v4::ratchet::Ratchet::StartAuthISender(
                                                     bob_backend, limits, std::move(for_bob), br));
  OTR_ASSIGN_OR_RETURN(
      v4::ratchet::Ratchet alice,
      v4::ratchet::Ratchet::StartAuthIReceiver(alice_backend, limits, std::move(for_alice)));
  pair.party_[0].ratchet.emplace(std::move(alice));
  pair.party_[1].ratchet.emplace(std::move(bob));
  return pair;
}

Result<size_t> V4Pair::Send(int who, const std::string& text, uint64_t now) {
  V4Party& p = party_[who];
  OTR_ASSIGN_OR_RETURN(v4::ratchet::SentMessage sent,
                       p.ratchet->Send(now, HeaderFrom(who), 0, AsBytes(text), *p.random));
  transcript_.push_back(V4Sent{who, std::move(sent.message), text});
  delivered_.push_back(false);
  snapshots_.emplace_back();
  return transcript_.size() - 1;
}

Result<std::string> V4Pair::Deliver(size_t index, uint64_t now) {
  const V4Sent& e = transcript_.at(index);
  if (keep_snapshots_ && !snapshots_[index]) snapshots_[index].emplace(*party_[1 - e.from].ratchet);
  OTR_ASSIGN_OR_RETURN(v4::ratchet::ReceivedMessage got,
                       party_[1 - e.from].ratchet->Receive(now, e.message));
  delivered_[index] = true;
  return std::string(got.plaintext.begin(), got.plaintext.end());
}

std::vector<size_t> V4Pair::InFlight() const {
  std::vector<size_t> out;
  for (size_t i = 0; i < delivered_.size(); ++i) {
    if (!delivered_[i]) out.push_back(i);
  }
  return out;
}

Status V4Pair::Flush(uint64_t now) {
  for (size_t i : InFlight()) OTR_RETURN_IF_ERROR(Deliver(i, now));
  return Status::Ok();
}

Status V4Pair::PingPong(int rounds, uint64_t now) {
  for (int r = 0; r < rounds; ++r) {
    for (int who = 0; who < 2; ++who) {
      OTR_RETURN_IF_ERROR(Send(
          who, who == 0 ? "ping, round " + std::to_string(r) : "pong, round " + std::to_string(r),
          now));
      OTR_RETURN_IF_ERROR(Flush(now));
    }
  }
  return Status::Ok();
}

Status RunRandomScript(V4Pair& pair, int steps) {
  for (int step = 0; step < steps; ++step) {
    const int action = *rc::gen::inRange(0, 10);
    if (action < 5) {
      const int who = *rc::gen::inRange(0, 2);
      const size_t n = *rc::gen::inRange<size_t>(1, 65);
      const std::string text =
          *rc::gen::container<std::string>(n, rc::gen::inRange<char>(0x20, 0x7f));
      OTR_RETURN_IF_ERROR(pair.Send(who, text));
    } else if (action < 9) {
      const std::vector<size_t> in_flight = pair.InFlight();
      if (in_flight.empty()) continue;
      const size_t pick = in_flight[*rc::gen::inRange<size_t>(0, in_flight.size())];
      OTR_RETURN_IF_ERROR(pair.Deliver(pick));
    } else {
      OTR_RETURN_IF_ERROR(pair.Flush());
    }
  }
  return Status::Ok();
}

}  // namespace otr::properties::v4p
