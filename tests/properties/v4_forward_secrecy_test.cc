// Forward secrecy and post-compromise security of the OTRv4 double ratchet
// (issue 17, "Security properties"; otrv4.md "Key Management", "When you
// send a Data Message" / "When you receive a Data Message": "Securely
// delete", "Deletion of Stored Message Keys", "Session Expiration").
//
// Forward secrecy: after a random conversation, an attacker holding every
// live secret buffer of the process (crypto/secret_registry.h) and the
// whole public transcript derives every message key it can
// (v4_oracle.h). It must open the one message whose key is legitimately
// still stored (a message the receiver skipped: the oracle proves it can
// see), and nothing that was read. Once that message is read, or its stored
// key expired ("Deletion of Stored Message Keys"), nothing opens it; after
// the session expired on both sides nothing opens anything.
//
// Post-compromise: a thief copies one party's whole ratchet. It reads what
// the peer sends next in the same ratchet (the copy works), and nothing of
// the conversation once the victim turned the ratchet and the peer answered
// (an ECDH ratchet both ways; the ping-pong that follows includes DH
// ratchets too): neither the stolen Ratchet fed every later message nor the
// oracle over the stolen secrets opens them.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdio>

#include "tests/properties/property_check.h"
#include "tests/properties/v4_fixture.h"
#include "tests/properties/v4_oracle.h"
#include "tests/properties/v4_pair.h"

namespace otr::properties {
namespace {

using v4p::kV4Now;
using v4p::LiveSecretBuffers;
using v4p::OraclePublics;
using v4p::V4Oracle;
using v4p::V4Pair;

// A known text long enough to be evidence when an oracle's key decrypts it.
const std::string kHeldBack = "this one is held back by the network for a while";

OraclePublics PublicsOf(const V4Pair& pair) {
  OraclePublics p;
  p.ecdh = pair.dake_publics().ecdh;
  p.dh = pair.dake_publics().dh;
  for (const v4p::V4Sent& e : pair.transcript()) {
    p.ecdh.push_back(e.message.ecdh);
    if (!e.message.dh.empty()) p.dh.push_back(e.message.dh);
  }
  return p;
}

uint32_t MaxWalk(const V4Pair& pair) {
  uint32_t walk = 1;
  for (const v4p::V4Sent& e : pair.transcript()) walk = std::max(walk, e.message.message_id + 1);
  return walk;
}

V4Oracle OracleOverLiveSecrets(const crypto::Backend& backend, const V4Pair& pair) {
  return V4Oracle(backend, LiveSecretBuffers(), PublicsOf(pair), MaxWalk(pair));
}

using V4ForwardSecrecyTest = V4PropertyTest;

TEST_P(V4ForwardSecrecyTest, NothingHeldOpensAReadMessageButTheOracleSeesAStoredKey) {
  const crypto::Backend& alice = alice_backend();
  const crypto::Backend& bob = bob_backend();
  size_t read_checked = 0, expired_checked = 0, seen = 0;
  const bool ok = CheckProperty(Name("forward secrecy"), 3, [&] {
    const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
    auto pair = V4Pair::Start(alice, bob, seed);
    RC_ASSERT(pair.ok());
    RC_ASSERT(v4p::RunRandomScript(*pair, *rc::gen::inRange(2, 25)).ok());
    RC_ASSERT(pair->Flush().ok());
    // Alice sends two messages in one chain; only the second arrives, so
    // Bob stores the first one's key.
    const int sender = *rc::gen::inRange(0, 2);
    auto held = pair->Send(sender, kHeldBack);
    auto next = pair->Send(sender, "and this one arrives first");
    RC_ASSERT(held.ok() && next.ok());
    RC_ASSERT(pair->Deliver(*next).ok());
    const auto& t = pair->transcript();
    {
      const V4Oracle oracle = OracleOverLiveSecrets(alice, *pair);
      RC_ASSERT(oracle.Opens(t[*held].message) == std::optional<std::string>(kHeldBack));
      ++seen;
      for (size_t i = 0; i < t.size(); ++i) {
        if (!pair->delivered()[i]) continue;
        RC_ASSERT(!oracle.Exposes(t[i].message));
        ++read_checked;
      }
    }
    // Read: its stored key is deleted.
    auto held_read = pair->Deliver(*held);
    RC_ASSERT(held_read.ok() && *held_read == kHeldBack);
    {
      const V4Oracle oracle = OracleOverLiveSecrets(alice, *pair);
      for (const v4p::V4Sent& e : t) RC_ASSERT(!oracle.Exposes(e.message));
    }
    // A skipped key that expires ("Deletion of Stored Message Keys").
    auto lost = pair->Send(sender, kHeldBack);
    auto later = pair->Send(sender, "later");
    RC_ASSERT(lost.ok() && later.ok());
    RC_ASSERT(pair->Deliver(*later).ok());
    v4::ratchet::Ratchet& receiver = pair->ratchet(1 - sender);
    RC_ASSERT(OracleOverLiveSecrets(alice, *pair).Exposes(t[*lost].message));
    const uint64_t expired_at = kV4Now + receiver.limits().stored_key_lifetime;
    RC_ASSERT(receiver.DeleteExpiredKeys(expired_at) == 1u);
    RC_ASSERT(!OracleOverLiveSecrets(alice, *pair).Exposes(t[*lost].message));
    ++expired_checked;
    // Session expiration on both sides: nothing opens anything, in flight or not.
    RC_ASSERT(pair->Send(1 - sender, "in flight at expiry").ok());
    pair->ratchet(0).Expire();
    pair->ratchet(1).Expire();
    RC_ASSERT(pair->ratchet(0).HeldSecrets().empty());
    RC_ASSERT(pair->ratchet(1).HeldSecrets().empty());
    const V4Oracle after = OracleOverLiveSecrets(alice, *pair);
    for (const v4p::V4Sent& e : t) RC_ASSERT(!after.Exposes(e.message));
  });
  EXPECT_TRUE(ok);
  std::fprintf(stderr,
               "v4 forward secrecy: %zu stored keys seen by the oracle, %zu read messages "
               "closed to it, %zu expired stored keys closed to it\n",
               seen, read_checked, expired_checked);
  EXPECT_GT(seen, 0u);
  EXPECT_GT(read_checked, 0u);
}

using V4PostCompromiseTest = V4PropertyTest;

TEST_P(V4PostCompromiseTest, StolenStateStopsOpeningAfterTheVictimTurnsTheRatchet) {
  const crypto::Backend& alice = alice_backend();
  const crypto::Backend& bob = bob_backend();
  size_t refused = 0, opened_before = 0;
  const bool ok = CheckProperty(Name("post-compromise security"), 3, [&] {
    const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
    auto pair = V4Pair::Start(alice, bob, seed);
    RC_ASSERT(pair.ok());
    RC_ASSERT(v4p::RunRandomScript(*pair, *rc::gen::inRange(0, 20)).ok());
    RC_ASSERT(pair->Flush().ok());
    const int victim = *rc::gen::inRange(0, 2);
    const int peer = 1 - victim;
    // The theft: a copy of the victim's whole ratchet, and its secrets.
    v4::ratchet::Ratchet stolen = pair->ratchet(victim);
    std::vector<Bytes> stolen_secrets;
    for (const crypto::SecretBytes* s : stolen.HeldSecrets()) {
      stolen_secrets.push_back(s->Declassify());
    }
    const auto& t = pair->transcript();
    // The peer goes on in its ratchet: the thief reads it.
    auto before = pair->Send(peer, kHeldBack);
    RC_ASSERT(before.ok());
    RC_ASSERT(pair->Deliver(*before).ok());
    auto read = stolen.Receive(kV4Now, t[*before].message);
    RC_ASSERT(read.ok());
    RC_ASSERT(std::string(read->plaintext.begin(), read->plaintext.end()) == kHeldBack);
    ++opened_before;
    // The victim turns the ratchet (fresh ECDH key), the peer answers (an
    // ECDH ratchet both ways), then three more rounds (DH ratchets among them).
    const size_t healed_from = t.size();
    RC_ASSERT(pair->Send(victim, "a new ratchet of the victim").ok());
    RC_ASSERT(pair->Flush().ok());
    RC_ASSERT(pair->Send(peer, kHeldBack).ok());
    RC_ASSERT(pair->Flush().ok());
    RC_ASSERT(pair->PingPong(3).ok());
    bool dh_ratchet = false;
    for (size_t i = healed_from; i < t.size(); ++i) dh_ratchet |= !t[i].message.dh.empty();
    RC_ASSERT(dh_ratchet);
    // Fed every later message of the peer, the stolen ratchet reads none.
    for (size_t i = healed_from; i < t.size(); ++i) {
      if (t[i].from != peer) continue;
      RC_ASSERT(!stolen.Receive(kV4Now, t[i].message).ok());
      ++refused;
    }
    // Nor does any key derived from the stolen secrets open any later
    // message, either way; the same oracle opens the message before.
    const V4Oracle oracle(alice, stolen_secrets, PublicsOf(*pair), MaxWalk(*pair));
    RC_ASSERT(oracle.Opens(t[*before].message) == std::optional<std::string>(kHeldBack));
    for (size_t i = healed_from; i < t.size(); ++i) RC_ASSERT(!oracle.Exposes(t[i].message));
  });
  EXPECT_TRUE(ok);
  std::fprintf(stderr,
               "v4 post-compromise: %zu messages read with a stolen state before the victim "
               "turned the ratchet, %zu later messages refused to it\n",
               opened_before, refused);
  EXPECT_GT(opened_before, 0u);
  EXPECT_GT(refused, 0u);
}

OTR_INSTANTIATE_V4_PROPERTY(V4ForwardSecrecyTest);
OTR_INSTANTIATE_V4_PROPERTY(V4PostCompromiseTest);

}  // namespace
}  // namespace otr::properties
