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
// the conversation once the victim turned the ratchet with an ECDH key made
// after the theft and the peer answered (an ECDH ratchet both ways; the
// ping-pong that follows includes DH ratchets too): neither the stolen
// Ratchet fed every later message of the peer nor the oracle over the
// stolen secrets opens them. A victim whose sending chain was already
// started holds its next ECDH secret in the stolen state (the Auth-I sender
// makes it when the DAKE ends, "Calculates the sending keys"; a party that
// sent last keeps its key until the peer's next ratchet): its next messages
// still use that key and the peer's answer to them is open to the thief, so
// the healing counts from the victim's first message on a key the thief
// does not hold.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdio>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

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

// An ECDH secret (a scalar, otrv4.md "Generating ECDH and DH keys").
constexpr size_t kEcdhSecretSize = 57;

// A known text long enough to be evidence when an oracle's key decrypts it.
const std::string kHeldBack = "this one is held back by the network for a while";

OraclePublics PublicsOf(const V4Pair& pair) {
  OraclePublics p;
  p.ecdh = pair.dake_publics().ecdh;
  p.dh = pair.dake_publics().dh;
  for (const v4p::V4Sent& e : pair.transcript()) {
    p.ecdh.push_back(e.message.ecdh);
    if (!e.message.dh.empty()) p.dh.push_back(e.message.dh.ToBytes());
  }
  return p;
}

uint32_t MaxWalk(const V4Pair& pair) {
  uint32_t walk = 1;
  for (const v4p::V4Sent& e : pair.transcript()) walk = std::max(walk, e.message.message_id + 1);
  return walk;
}

V4Oracle OracleOverLiveSecrets(const crypto::Backend& backend, const V4Pair& pair,
                               v4p::OracleMemo& memo) {
  return V4Oracle(backend, LiveSecretBuffers(), PublicsOf(pair), MaxWalk(pair), &memo);
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
    v4p::OracleMemo memo;  // the five oracles below share their work
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
      const V4Oracle oracle = OracleOverLiveSecrets(alice, *pair, memo);
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
      const V4Oracle oracle = OracleOverLiveSecrets(alice, *pair, memo);
      for (const v4p::V4Sent& e : t) RC_ASSERT(!oracle.Exposes(e.message));
    }
    // A skipped key that expires ("Deletion of Stored Message Keys").
    auto lost = pair->Send(sender, kHeldBack);
    auto later = pair->Send(sender, "later");
    RC_ASSERT(lost.ok() && later.ok());
    RC_ASSERT(pair->Deliver(*later).ok());
    v4::ratchet::Ratchet& receiver = pair->ratchet(1 - sender);
    RC_ASSERT(OracleOverLiveSecrets(alice, *pair, memo).Exposes(t[*lost].message));
    const uint64_t expired_at = kV4Now + receiver.limits().stored_key_lifetime;
    RC_ASSERT(receiver.DeleteExpiredKeys(expired_at) == 1u);
    RC_ASSERT(!OracleOverLiveSecrets(alice, *pair, memo).Exposes(t[*lost].message));
    ++expired_checked;
    // Session expiration on both sides: nothing opens anything, in flight or not.
    RC_ASSERT(pair->Send(1 - sender, "in flight at expiry").ok());
    pair->ratchet(0).Expire();
    pair->ratchet(1).Expire();
    RC_ASSERT(pair->ratchet(0).HeldSecrets().empty());
    RC_ASSERT(pair->ratchet(1).HeldSecrets().empty());
    const V4Oracle after = OracleOverLiveSecrets(alice, *pair, memo);
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
  size_t refused = 0, opened_before = 0, stale_turns = 0;
  const bool ok = CheckProperty(Name("post-compromise security"), 3, [&] {
    const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
    auto pair = V4Pair::Start(alice, bob, seed);
    RC_ASSERT(pair.ok());
    RC_ASSERT(v4p::RunRandomScript(*pair, *rc::gen::inRange(0, 20)).ok());
    RC_ASSERT(pair->Flush().ok());
    const int victim = *rc::gen::inRange(0, 2);
    const int peer = 1 - victim;
    const crypto::Backend& victim_backend = pair->backend(victim);
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
    RC_ASSERT(std::string(read->plaintext.view().begin(), read->plaintext.view().end()) ==
              kHeldBack);
    ++opened_before;
    // The victim sends until a message carries an ECDH key the stolen state
    // does not hold (the first send, or the first after the peer's answer
    // when the stolen state already held the victim's next key), then the
    // peer answers (an ECDH ratchet both ways) and three more rounds follow
    // (DH ratchets among them).
    std::set<crypto::Ed448Encoding> stolen_ecdh;
    for (const Bytes& s : stolen_secrets) {
      if (s.size() != kEcdhSecretSize) continue;
      const crypto::SecretBytes scalar{ByteView(s)};
      stolen_ecdh.insert(victim_backend.Ed448Encode(victim_backend.Ed448MulBase(scalar)));
    }
    constexpr size_t kNotYet = std::numeric_limits<size_t>::max();
    size_t healed_from = kNotYet;
    for (int attempt = 0; attempt < 2 && healed_from == kNotYet; ++attempt) {
      auto turn = pair->Send(victim, "a new ratchet of the victim");
      RC_ASSERT(turn.ok());
      RC_ASSERT(pair->Flush().ok());
      if (stolen_ecdh.count(t[*turn].message.ecdh) == 0) {
        healed_from = *turn;
      } else {
        ++stale_turns;
        RC_ASSERT(pair->Send(peer, "an answer the thief may read").ok());
        RC_ASSERT(pair->Flush().ok());
      }
    }
    RC_ASSERT(healed_from < t.size());
    RC_ASSERT(pair->Send(peer, kHeldBack).ok());
    RC_ASSERT(pair->Flush().ok());
    RC_ASSERT(pair->PingPong(3).ok());
    bool dh_ratchet = false;
    for (size_t i = healed_from; i < t.size(); ++i) dh_ratchet |= !t[i].message.dh.empty();
    RC_ASSERT(dh_ratchet);
    // Fed every later message of the peer in order (what it reads before
    // the healing keeps it in step), the stolen ratchet reads none from
    // the healing on.
    for (size_t i = *before + 1; i < t.size(); ++i) {
      if (t[i].from != peer) continue;
      const bool read_by_thief = stolen.Receive(kV4Now, t[i].message).ok();
      if (i < healed_from) continue;
      RC_ASSERT(!read_by_thief);
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
               "turned the ratchet, %zu later messages refused to it, %zu victim messages "
               "still on a stolen ECDH key\n",
               opened_before, refused, stale_turns);
  EXPECT_GT(opened_before, 0u);
  EXPECT_GT(refused, 0u);
}

// The limit of post-compromise security the property above allows for (its
// first version counted the healing from the victim's next message and
// failed at case 14 of a 20-case run, seed 1, on both backends): Bob, the
// Auth-I sender, makes his first sending ECDH key when the DAKE ends
// ("Calculates the sending keys"). A thief who copies his state before he
// sends anything reads Alice's answer to his first message, and not her
// answer to his second (made on a key generated after the theft).
TEST_P(V4PostCompromiseTest, AStateStolenBeforeTheAuthISenderSendsReadsOneAnswer) {
  auto pair = V4Pair::Start(alice_backend(), bob_backend(), 7);
  ASSERT_TRUE(pair.ok());
  v4::ratchet::Ratchet stolen = pair->ratchet(1);
  std::vector<size_t> sent;
  for (const auto& [who, text] : std::vector<std::pair<int, std::string>>{
           {1, "bob, first"}, {0, "alice answers"}, {1, "bob, second"}, {0, "alice again"}}) {
    auto index = pair->Send(who, text);
    ASSERT_TRUE(index.ok());
    ASSERT_TRUE(pair->Flush().ok());
    sent.push_back(*index);
  }
  const auto& t = pair->transcript();
  auto answer = stolen.Receive(kV4Now, t[sent[1]].message);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(std::string(answer->plaintext.view().begin(), answer->plaintext.view().end()),
            "alice answers");
  EXPECT_FALSE(stolen.Receive(kV4Now, t[sent[3]].message).ok());
}

OTR_INSTANTIATE_V4_PROPERTY(V4ForwardSecrecyTest);
OTR_INSTANTIATE_V4_PROPERTY(V4PostCompromiseTest);

}  // namespace
}  // namespace otr::properties
