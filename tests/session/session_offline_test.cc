// Offline conversations through the Session API (issue 18; otrv4.md
// "Offline Conversation Initialization", "Sending a Data Message to an
// offline participant", "Receiving a Non-Interactive-Auth Message",
// "Receiving Prekey Ensembles", "Starting an online conversation after an
// offline one" and the reverse; otr-v4-modes/). Bob publishes (his Client
// Profile, Prekey Profile and Prekey Messages, the secrets in his
// PrekeyStore) and goes offline; Alice starts from an ensemble and sends;
// Bob later reads everything, in order and out of order, and replies. One
// side on each backend.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "crypto/secret_registry.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/session/session.h"
#include "protocol/session/testing.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/engine/prekey_store.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "protocol/v4/state/conversation_table.h"
#include "tests/session/v4_fixture.h"
#include "tests/support/fixtures.h"

namespace otr {
namespace {

using crypto::testing::DeterministicRandom;
using testing::FakeClock;

struct Party {
  Party(const crypto::Backend& b, Policy policy, uint64_t seed) : backend(&b), random(seed) {
    tag = 0x2000 + static_cast<wire::InstanceTag>(seed);
    identity = testing::MakeV4Identity(b, 200 + seed, tag, clock.NowSeconds(), "4");
    MakeSession(policy);
  }
  void MakeSession(Policy policy) {
    SessionConfig config = testing::OfflineSessionConfig(*backend, policy, tag, *identity, store);
    session.reset();
    auto s = Session::Create(config, random);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : std::string(s.error().context));
    if (s.ok()) session.emplace(std::move(s).value());
  }
  // "Publishing Prekey Ensembles": a Prekey Profile (its shared prekey's
  // secret kept), `count` Prekey Messages (their secrets kept); the
  // ensembles a prekey server would hand out.
  std::vector<v4::dake::PrekeyEnsembleValues> Publish(size_t count) {
    std::vector<v4::dake::PrekeyEnsembleValues> out;
    auto d = v4::GenerateSharedPrekeyPair(*backend, random);
    EXPECT_TRUE(d.ok());
    if (!d.ok()) return out;
    const int64_t expiration = v4::profile::ExpirationFrom(static_cast<int64_t>(now()));
    v4::profile::PrekeyProfileParams params;
    params.owner_instance_tag = tag;
    params.expiration = expiration;
    params.shared_prekey = d->pub;
    auto profile = v4::profile::CreatePrekeyProfile(*backend, identity->long_term.sym_key, params);
    EXPECT_TRUE(profile.ok());
    if (!profile.ok()) return out;
    const int64_t keep_until = expiration + v4::profile::kRecommendedExtraValidity;
    store.AddPrekeyProfile(v4::OurPrekeyProfile{*profile, d->secret}, keep_until);
    auto messages = v4::GeneratePrekeyMessages(*backend, store, tag, count, keep_until,
                                               static_cast<int64_t>(now()), random);
    EXPECT_TRUE(messages.ok());
    if (!messages.ok()) return out;
    for (const v4::PrekeyMessage& m : *messages) {
      out.push_back(v4::dake::PrekeyEnsembleValues{identity->client_profile, *profile, m});
    }
    return out;
  }
  uint64_t now() const { return clock.NowSeconds(); }
  // Keeps what the session shows and reports; returns what it sends.
  std::vector<std::string> Take(Output out) {
    for (auto& d : out.display) seen.push_back(std::move(d.text));
    for (auto& e : out.events) events.push_back(std::move(e));
    return std::move(out.to_send);
  }
  std::vector<std::string> Receive(const std::vector<std::string>& wire) {
    std::vector<std::string> replies;
    for (const std::string& m : wire) {
      for (std::string& r : Take(session->Receive(now(), m))) replies.push_back(std::move(r));
    }
    return replies;
  }
  int Count(EventType type) const { return testing::CountEvents(events, type); }
  std::vector<std::string> Refusals() const { return testing::OfflineRefusals(events); }

  const crypto::Backend* backend;
  DeterministicRandom random;
  FakeClock clock;
  wire::InstanceTag tag;
  std::unique_ptr<v4::Identity> identity;
  v4::InMemoryPrekeyStore store;
  std::optional<Session> session;
  std::vector<std::string> seen;
  std::vector<Event> events;
};

using BackendPair = std::pair<const crypto::Backend*, const crypto::Backend*>;

std::vector<BackendPair> AllPairs() {
  std::vector<BackendPair> out;
  for (const crypto::Backend* a : crypto::AllBackends()) {
    for (const crypto::Backend* b : crypto::AllBackends()) out.emplace_back(a, b);
  }
  return out;
}

class SessionOfflineTest : public ::testing::TestWithParam<BackendPair> {
 protected:
  // Alice on the first backend, Bob on the second.
  Party alice_{*GetParam().first, Policy::V4Standalone(), 1};
  Party bob_{*GetParam().second, Policy::V4Standalone(), 2};

  // Alice starts from Bob's ensembles and sends `texts`; returns the wire
  // (Non-Interactive-Auth first), which the network keeps for Bob.
  std::vector<std::string> AliceWrites(const std::vector<v4::dake::PrekeyEnsembleValues>& ensembles,
                                       const std::vector<std::string>& texts) {
    std::vector<std::string> wire =
        alice_.Take(alice_.session->StartOffline(alice_.now(), ensembles));
    for (const std::string& t : texts) {
      for (std::string& m : alice_.Take(alice_.session->Send(alice_.now(), t))) {
        wire.push_back(std::move(m));
      }
    }
    return wire;
  }
};

TEST_P(SessionOfflineTest, BobReadsTheOfflineMessagesLaterAndTheConversationContinues) {
  const auto ensembles = bob_.Publish(3);
  ASSERT_EQ(ensembles.size(), 3u);
  ASSERT_EQ(bob_.store.prekey_count(), 3u);
  const std::vector<std::string> wire = AliceWrites({ensembles[1]}, {"one", "two", "three"});
  ASSERT_EQ(wire.size(), 4u);
  EXPECT_EQ(alice_.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice_.session->version(), 4);
  EXPECT_EQ(alice_.Count(EventType::kWentSecure), 1);
  EXPECT_EQ(alice_.session->selected_instance(), bob_.tag);

  // Bob comes back: the Non-Interactive-Auth, then the three messages.
  bob_.clock.now += 3600;
  bob_.Receive(wire);  // his replies (a heartbeat) wait for Alice
  EXPECT_EQ(bob_.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob_.Count(EventType::kWentSecure), 1);
  EXPECT_EQ(bob_.seen, (std::vector<std::string>{"one", "two", "three"}));
  // The prekey message was used once: its secrets are gone.
  EXPECT_EQ(bob_.store.prekey_count(), 2u);
  EXPECT_EQ(alice_.session->view().ssid, bob_.session->view().ssid);
  // "Secure Session ID": the Non-Interactive-Auth's sender reads the first
  // half in bold, its receiver the second.
  EXPECT_TRUE(alice_.session->view().ssid_first_half);
  EXPECT_FALSE(bob_.session->view().ssid_first_half);
  EXPECT_EQ(alice_.session->view().their_fingerprint, bob_.session->our_v4_fingerprint());
  EXPECT_EQ(bob_.session->view().their_fingerprint, alice_.session->our_v4_fingerprint());

  // Bob replies (his first send turns the ratchet), and they go on.
  for (int i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i);
    alice_.Receive(bob_.Take(bob_.session->Send(bob_.now(), "reply " + n)));
    EXPECT_EQ(alice_.seen.back(), "reply " + n);
    bob_.Receive(alice_.Take(alice_.session->Send(alice_.now(), "again " + n)));
    EXPECT_EQ(bob_.seen.back(), "again " + n);
  }
  EXPECT_TRUE(bob_.Refusals().empty());
  EXPECT_TRUE(alice_.Refusals().empty());
}

TEST_P(SessionOfflineTest, MessagesOutOfOrderAreEachReadOnce) {
  const auto ensembles = bob_.Publish(1);
  ASSERT_EQ(ensembles.size(), 1u);
  std::vector<std::string> wire = AliceWrites(ensembles, {"one", "two", "three"});
  ASSERT_EQ(wire.size(), 4u);
  bob_.Receive({wire[0], wire[3], wire[1], wire[3], wire[2], wire[1]});
  EXPECT_EQ(bob_.seen, (std::vector<std::string>{"three", "one", "two"}));
  EXPECT_EQ(bob_.session->state(), ConversationState::kEncrypted);
  alice_.Receive(bob_.Take(bob_.session->Send(bob_.now(), "got them")));
  EXPECT_EQ(alice_.seen.back(), "got them");
}

// "Prekey messages are used once": the same Non-Interactive-Auth again, and
// another sender with the same ensemble, are refused; the conversation
// stays.
TEST_P(SessionOfflineTest, APrekeyMessageUsedTwiceIsRefused) {
  const auto ensembles = bob_.Publish(1);
  ASSERT_EQ(ensembles.size(), 1u);
  const std::vector<std::string> wire = AliceWrites(ensembles, {"hello"});
  bob_.Receive(wire);
  ASSERT_EQ(bob_.session->state(), ConversationState::kEncrypted);
  const auto ssid = bob_.session->view().ssid;
  bob_.Receive({wire[0]});  // replayed
  ASSERT_EQ(bob_.Refusals().size(), 1u);
  EXPECT_NE(bob_.Refusals()[0].find("Prekey Message Identifier"), std::string::npos)
      << bob_.Refusals()[0];
  EXPECT_EQ(bob_.session->view().ssid, ssid);
  EXPECT_EQ(bob_.session->state(), ConversationState::kEncrypted);

  Party carol(*GetParam().first, Policy::V4Standalone(), 3);
  const auto carol_wire = carol.Take(carol.session->StartOffline(carol.now(), ensembles));
  ASSERT_EQ(carol_wire.size(), 1u);
  bob_.Receive(carol_wire);
  EXPECT_EQ(bob_.Refusals().size(), 2u);
  // A refused Non-Interactive-Auth is ignored: Carol's instance gets no
  // conversation (an Identity message would make one, to answer it), and
  // Alice's is untouched.
  EXPECT_FALSE(bob_.session->view(carol.tag).has_value());
  EXPECT_EQ(bob_.session->view(alice_.tag)->ssid, ssid);
  alice_.Receive(bob_.Take(bob_.session->Send(bob_.now(), "still here")));
  EXPECT_EQ(alice_.seen.back(), "still here");
}

// "Validating Prekey Ensembles", "Receiving Prekey Ensembles": each invalid
// ensemble is reported and discarded; with none left nothing is sent.
TEST_P(SessionOfflineTest, InvalidEnsemblesAreDiscarded) {
  auto ensembles = bob_.Publish(4);
  ASSERT_EQ(ensembles.size(), 4u);
  auto bad_signature = ensembles[0];
  bad_signature.prekey_profile.signature[0] ^= 1;
  auto wrong_tag = ensembles[1];
  wrong_tag.prekey_message.owner_instance_tag += 1;
  auto none = alice_.Take(alice_.session->StartOffline(alice_.now(), {bad_signature, wrong_tag}));
  EXPECT_TRUE(none.empty());
  // A month later every profile of the ensemble has expired.
  const uint64_t later = alice_.now() + 30 * 24 * 3600;
  EXPECT_TRUE(alice_.Take(alice_.session->StartOffline(later, {ensembles[2]})).empty());
  const auto refusals = alice_.Refusals();
  ASSERT_EQ(refusals.size(), 5u);
  EXPECT_NE(refusals[0].find("Prekey Profile Signature does not verify"), std::string::npos)
      << refusals[0];
  EXPECT_NE(refusals[1].find("different instance tags"), std::string::npos) << refusals[1];
  EXPECT_EQ(refusals[2], "no valid Prekey Ensemble");
  EXPECT_NE(refusals[3].find("expired"), std::string::npos) << refusals[3];
  EXPECT_EQ(refusals[4], "no valid Prekey Ensemble");
  EXPECT_NE(alice_.session->state(), ConversationState::kEncrypted);
  EXPECT_TRUE(alice_.Take(alice_.session->StartOffline(alice_.now(), {})).empty());

  // The valid one among them is used; a duplicate is dropped.
  alice_.events.clear();
  auto wire = alice_.Take(alice_.session->StartOffline(
      alice_.now(), {bad_signature, ensembles[3], ensembles[3], wrong_tag}));
  EXPECT_EQ(wire.size(), 1u);
  EXPECT_EQ(alice_.Refusals().size(), 2u);
  bob_.Receive(wire);
  EXPECT_EQ(bob_.session->state(), ConversationState::kEncrypted);
}

// otr-v4-modes: "OTRv4-interactive-only" refuses offline conversations both
// ways; nothing is sent.
TEST_P(SessionOfflineTest, InteractiveOnlyRefusesBothWays) {
  const auto ensembles = bob_.Publish(2);
  Party only(*GetParam().first, Policy::V4InteractiveOnly(), 4);
  EXPECT_TRUE(only.Take(only.session->StartOffline(only.now(), {ensembles[0]})).empty());
  ASSERT_EQ(only.Refusals().size(), 1u);
  EXPECT_EQ(only.Refusals()[0], "interactive-only mode");
  EXPECT_NE(only.session->state(), ConversationState::kEncrypted);

  bob_.MakeSession(Policy::V4InteractiveOnly());
  const auto wire = AliceWrites({ensembles[1]}, {"hi"});
  bob_.Receive(wire);
  EXPECT_NE(bob_.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob_.store.prekey_count(), 2u);  // nothing used
  EXPECT_FALSE(bob_.Refusals().empty());
  EXPECT_EQ(bob_.Refusals()[0], "interactive-only mode");
}

// "Starting an online conversation after an offline one": TLV 1, then a
// new interactive DAKE; the reverse: from ENCRYPTED_MESSAGES, TLV 1 and a
// Non-Interactive-Auth. A receiver whose conversation the TLV 1 put in
// FINISHED ignores the Non-Interactive-Auth ("If the state is FINISHED ...
// Ignore the message"); one that comes back with a fresh session (the
// usual offline case) reads it.
TEST_P(SessionOfflineTest, OnlineAfterOfflineAndTheReverse) {
  const auto ensembles = bob_.Publish(2);
  bob_.Receive(AliceWrites({ensembles[0]}, {"offline"}));
  ASSERT_EQ(bob_.session->state(), ConversationState::kEncrypted);
  const auto offline_ssid = bob_.session->view().ssid;
  // Bob comes online: TLV 1, then an interactive DAKE.
  alice_.Receive(bob_.Take(bob_.session->EndOtr(bob_.now())));
  EXPECT_EQ(alice_.Count(EventType::kPeerEnded), 1);
  std::vector<std::string> to_alice = bob_.Take(bob_.session->StartOtr(bob_.now()));
  for (int round = 0; round < 6 && !to_alice.empty(); ++round) {
    std::vector<std::string> to_bob = alice_.Receive(to_alice);
    to_alice = bob_.Receive(to_bob);
  }
  ASSERT_EQ(bob_.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(alice_.session->state(), ConversationState::kEncrypted);
  EXPECT_NE(bob_.session->view().ssid, offline_ssid);
  bob_.Receive(alice_.Take(alice_.session->Send(alice_.now(), "online now")));
  EXPECT_EQ(bob_.seen.back(), "online now");

  // Bob goes offline; Alice starts an offline conversation from ENCRYPTED.
  const auto online_ssid = alice_.session->view().ssid;
  std::vector<std::string> wire = AliceWrites({ensembles[1]}, {"offline again"});
  ASSERT_EQ(wire.size(), 3u);  // TLV 1, Non-Interactive-Auth, the message
  EXPECT_EQ(alice_.session->state(), ConversationState::kEncrypted);
  EXPECT_NE(alice_.session->view().ssid, online_ssid);
  // The same session of Bob: FINISHED by the TLV 1, then it ignores the
  // Non-Interactive-Auth (and cannot read the message).
  const size_t before = bob_.store.prekey_count();
  bob_.Receive(wire);
  EXPECT_EQ(bob_.Count(EventType::kPeerEnded), 1);
  EXPECT_NE(bob_.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob_.store.prekey_count(), before);
  // Bob's client restarted while offline: a fresh session reads it all.
  bob_.MakeSession(Policy::V4Standalone());
  bob_.seen.clear();
  bob_.Receive(wire);
  EXPECT_EQ(bob_.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob_.seen, (std::vector<std::string>{"offline again"}));
  EXPECT_EQ(bob_.session->view().ssid, alice_.session->view().ssid);
}

// Under the libotr-ng profile (Policy::v4_variant) the offline start reads
// only libotr-ng's ensembles (issue 20; ReceiveFromPrekeyServer,
// tests/interop:libotr_ng_session_offline_test): the spec's ensembles fail
// the row's action, which has no effect: nothing is sent, the
// conversation stays in plaintext and the user is told.
TEST_P(SessionOfflineTest, TheLibotrNgProfileDoesNotStartFromTheSpecsEnsembles) {
  Policy ng = Policy::V4Standalone();
  ng.v4_variant = V4Variant::kLibotrNg;
  alice_.MakeSession(ng);
  ASSERT_TRUE(alice_.session);
  const auto ensembles = bob_.Publish(1);
  ASSERT_EQ(ensembles.size(), 1u);
  const Output out = alice_.session->StartOffline(alice_.now(), ensembles);
  EXPECT_TRUE(out.to_send.empty());
  EXPECT_FALSE(out.HasEvent(EventType::kWentSecure));
  const auto* failed = out.Find<events::ActionFailed>();
  ASSERT_NE(failed, nullptr);
  EXPECT_NE(failed->what.find("libotr-ng"), std::string::npos) << failed->what;
  EXPECT_NE(alice_.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob_.store.prekey_count(), 1u);
}

INSTANTIATE_TEST_SUITE_P(BackendPairs, SessionOfflineTest, ::testing::ValuesIn(AllPairs()),
                         [](const ::testing::TestParamInfo<BackendPair>& info) {
                           return std::string(info.param.first->name()) + "_" +
                                  std::string(info.param.second->name());
                         });

// The store erases a used prekey message's secrets (the live-secret
// registry no longer holds y or b), and forgets expired ones.
TEST(PrekeyStoreTest, UsedAndExpiredSecretsAreErased) {
  const crypto::Backend& backend = *crypto::AllBackends()[0];
  DeterministicRandom random(9);
  v4::InMemoryPrekeyStore store;
  auto messages = v4::GeneratePrekeyMessages(backend, store, 0x100, 3, 5000, 1000, random);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 3u);
  const v4::dake::PrekeySecrets* first = store.FindPrekey((*messages)[0].identifier, 0x100, 1000);
  ASSERT_NE(first, nullptr);
  const Bytes y = first->ecdh.secret().Declassify();
  const Bytes b = first->dh.secret.Declassify();
  auto live = [&](const Bytes& secret) {
    int n = 0;
    crypto::ForEachLiveSecret([&](ByteView v) { n += Bytes(v.begin(), v.end()) == secret; });
    return n;
  };
  EXPECT_EQ(live(y), 1);
  EXPECT_EQ(live(b), 1);
  store.ErasePrekey((*messages)[0].identifier, 0x100);
  EXPECT_EQ(store.FindPrekey((*messages)[0].identifier, 0x100, 1000), nullptr);
  EXPECT_EQ(live(y), 0);
  EXPECT_EQ(live(b), 0);
  EXPECT_EQ(store.prekey_count(), 2u);
  // Another tag's lookup finds nothing; expiry hides, then deletes.
  EXPECT_EQ(store.FindPrekey((*messages)[1].identifier, 0x101, 1000), nullptr);
  EXPECT_EQ(store.FindPrekey((*messages)[1].identifier, 0x100, 5000), nullptr);
  EXPECT_EQ(store.DeleteExpired(4999), 0u);
  EXPECT_EQ(store.DeleteExpired(5000), 2u);
  EXPECT_EQ(store.prekey_count(), 0u);
}

}  // namespace
}  // namespace otr
