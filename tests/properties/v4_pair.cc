#include "tests/properties/v4_pair.h"

#include <rapidcheck.h>

#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/dake/dake.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"

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

Result<V4Identity> MakeV4Identity(const crypto::Backend& backend, crypto::Random& random,
                                  wire::InstanceTag tag) {
  V4Identity id;
  id.instance_tag = tag;
  OTR_ASSIGN_OR_RETURN(id.long_term, v4::GenerateLongTermKeyPair(backend, random));
  OTR_ASSIGN_OR_RETURN(id.forging, v4::GenerateForgingKeyPair(backend, random));
  const v4::profile::ClientProfileParams params{
      .owner_instance_tag = tag,
      .forging_key = id.forging.pub,
      .versions = "4",
      .expiration = v4::profile::ExpirationFrom(kDakeNow)};
  OTR_ASSIGN_OR_RETURN(id.client_profile, v4::profile::CreateClientProfile(
                                              backend, id.long_term.sym_key, params, random));
  return id;
}

namespace {

// A message as the other side reads it: encoded, then decoded.
template <typename M>
Result<M> CrossWire(const M& m, Result<M> (*decode)(ByteView), Bytes (*encode)(const M&)) {
  return decode(encode(m));
}

}  // namespace

Result<V4Pair> V4Pair::Start(const crypto::Backend& alice_backend,
                             const crypto::Backend& bob_backend, uint64_t seed,
                             const v4::ratchet::Limits& limits) {
  namespace dake = v4::dake;
  V4Pair pair;
  V4Party& alice = pair.party_[0];
  V4Party& bob = pair.party_[1];
  alice.backend = &alice_backend;
  bob.backend = &bob_backend;
  alice.random = std::make_unique<DeterministicRandom>(seed * 4 + 1);
  bob.random = std::make_unique<DeterministicRandom>(seed * 4 + 2);
  OTR_ASSIGN_OR_RETURN(alice.identity, MakeV4Identity(alice_backend, *alice.random, 0x100));
  OTR_ASSIGN_OR_RETURN(bob.identity, MakeV4Identity(bob_backend, *bob.random, 0x101));
  const dake::OurLongTermKeys alice_keys{&alice.identity.long_term, &alice.identity.client_profile,
                                         alice.identity.instance_tag};
  const dake::OurLongTermKeys bob_keys{&bob.identity.long_term, &bob.identity.client_profile,
                                       bob.identity.instance_tag};
  DakePublics& seen = pair.dake_publics_;
  seen.phi_prime = dake::EncodePhiPrime({"alice@example.org", "bob@example.org"});

  // Bob: Identity.
  std::optional<dake::OurDakeKeys> bob_dake;
  {
    OTR_ASSIGN_OR_RETURN(dake::OurDakeKeys k, dake::GenerateOurDakeKeys(bob_backend, *bob.random));
    bob_dake.emplace(std::move(k));
  }
  OTR_ASSIGN_OR_RETURN(seen.identity,
                       CrossWire(dake::MakeIdentity(bob_keys, 0, *bob_dake),
                                 &v4::DecodeIdentityMessage, &v4::EncodeIdentityMessage));
  // Alice: validates it, Auth-R.
  auto bob_seen = dake::ValidateIdentity(alice_backend, seen.identity, alice.identity.instance_tag,
                                         dake::ReceiverTagRule::kZeroOrOurs, kDakeNow);
  OTR_RETURN_IF_ERROR(bob_seen.ToStatus());
  OTR_ASSIGN_OR_RETURN(dake::OurDakeKeys alice_dake,
                       dake::GenerateOurDakeKeys(alice_backend, *alice.random));
  OTR_ASSIGN_OR_RETURN(dake::AuthRSent auth_r,
                       dake::MakeAuthR(alice_backend, alice_keys, bob_seen.value(),
                                       std::move(alice_dake), seen.phi_prime, *alice.random));
  OTR_ASSIGN_OR_RETURN(seen.auth_r, CrossWire(auth_r.message, &v4::DecodeAuthR, &v4::EncodeAuthR));
  // Bob: validates Auth-R, Auth-I, his ratchet; his DAKE keys are dropped.
  {
    auto r = dake::ValidateAuthR(bob_backend, seen.auth_r, bob_keys, *bob_dake, seen.phi_prime,
                                 kDakeNow);
    OTR_RETURN_IF_ERROR(r.ToStatus());
    bob_dake.reset();
    OTR_ASSIGN_OR_RETURN(dake::AuthISent auth_i,
                         dake::MakeAuthI(bob_backend, bob_keys, std::move(r).value(), *bob.random));
    OTR_ASSIGN_OR_RETURN(seen.auth_i,
                         CrossWire(auth_i.message, &v4::DecodeAuthI, &v4::EncodeAuthI));
    OTR_ASSIGN_OR_RETURN(v4::ratchet::Ratchet ratchet,
                         dake::StartRatchet(bob_backend, limits, auth_i.result, *bob.random));
    bob.ratchet.emplace(std::move(ratchet));
  }
  // Alice: validates Auth-I, her ratchet.
  {
    auto done = dake::ValidateAuthI(alice_backend, seen.auth_i, alice_keys, auth_r.pending);
    OTR_RETURN_IF_ERROR(done.ToStatus());
    dake::DakeResult result = std::move(done).value();
    OTR_ASSIGN_OR_RETURN(v4::ratchet::Ratchet ratchet,
                         dake::StartRatchet(alice_backend, limits, result, *alice.random));
    alice.ratchet.emplace(std::move(ratchet));
  }
  seen.ecdh = {seen.identity.y, seen.identity.our_ecdh_first, seen.auth_r.x,
               seen.auth_r.our_ecdh_first};
  seen.dh = {seen.identity.b.ToBytes(), seen.identity.our_dh_first.ToBytes(),
             seen.auth_r.a.ToBytes(), seen.auth_r.our_dh_first.ToBytes()};
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
  return std::string(got.plaintext.view().begin(), got.plaintext.view().end());
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
