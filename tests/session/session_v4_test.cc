// Sessions that speak v4 (issue 17): the version choice (two v4-capable
// sessions always settle on 4; a v3-only peer gets v3, reported), the modes
// (v4-standalone and interactive-only refuse v3), the rollback report of
// docs/decisions/0011, instance routing and bounds for v4, the view and
// trust of v4 fingerprints; messages, SMP, the extra symmetric key and the
// end through the Session API; one side on each backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crypto/backends.h"
#include "crypto/secret_registry.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/session/session.h"
#include "protocol/session/testing.h"
#include "protocol/v4/state/conversation_table.h"
#include "protocol/wire/whitespace_tag.h"
#include "tests/crypto/test_util.h"
#include "tests/session/v4_fixture.h"
#include "tests/support/fixtures.h"

namespace otr {
namespace {

using crypto::testing::DeterministicRandom;
using testing::FakeClock;

// A party: its keys (DSA for v2/v3 when the policy speaks v3, a v4 identity
// when it allows v4) and its Session.
struct Party {
  Party(const crypto::Backend& backend, int who, Policy policy, uint64_t seed,
        std::vector<SessionConfig::KnownFingerprint> known = {}, size_t max_instances = 8)
      : random(seed) {
    const wire::InstanceTag tag = 0x1000 + static_cast<wire::InstanceTag>(seed);
    SessionConfig config;
    config.backend = &backend;
    config.policy = policy;
    config.our_tag = tag;
    config.known_fingerprints = std::move(known);
    config.max_instances = max_instances;
    if (policy.SpeaksV3()) config.identity.dsa = &testing::CachedDsaKey(backend, who);
    if (policy.allow_v4) {
      identity = testing::MakeV4Identity(backend, 100 + seed, tag, clock.NowSeconds(),
                                         policy.SpeaksV3() ? "43" : "4");
      config.identity.v4 = identity.get();
    }
    auto s = Session::Create(config, random);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : std::string(s.error().context));
    if (s.ok()) session.emplace(std::move(s).value());
  }
  uint64_t now() const { return clock.NowSeconds(); }
  // The last text shown to this party ("" if none).
  std::string last_seen() const { return seen.empty() ? std::string() : seen.back().text; }
  bool Saw(EventType type) const {
    for (const Event& e : events) {
      if (e.type() == type) return true;
    }
    return false;
  }
  template <typename T>
  const T* Find() const {
    for (const Event& e : events) {
      if (const T* t = e.As<T>()) return t;
    }
    return nullptr;
  }

  DeterministicRandom random;
  FakeClock clock;
  std::unique_ptr<v4::Identity> identity;
  std::optional<Session> session;
  std::vector<Displayed> seen;
  std::vector<Event> events;
};

// Delivers `out` from `from` to `to` and all replies, both ways, until
// quiet. `tamper` (the network) may rewrite or drop (empty) each message.
using Tamper = std::function<std::string(const std::string&)>;
void Pump(Party& from, Party& to, Output out, const Tamper& tamper = {}) {
  std::vector<std::pair<std::string, Party*>> queue;
  auto take = [&](Output& o, Party& sender, Party& receiver) {
    for (auto& s : o.to_send) queue.emplace_back(std::move(s), &receiver);
    for (auto& d : o.display) sender.seen.push_back(std::move(d));
    for (auto& e : o.events) sender.events.push_back(std::move(e));
  };
  take(out, from, to);
  for (size_t i = 0; i < queue.size() && i < 400; ++i) {
    Party* receiver = queue[i].second;
    Party* other = receiver == &from ? &to : &from;
    const std::string text = tamper ? tamper(queue[i].first) : queue[i].first;
    if (text.empty()) continue;
    Output reply = receiver->session->Receive(receiver->now(), text);
    take(reply, *receiver, *other);
  }
}

class SessionV4Test : public crypto::testing::BackendTest {
 protected:
  static void Establish(Party& alice, Party& bob) {
    Pump(alice, bob, alice.session->StartOtr(alice.now()));
    ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
    ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
  }
  static void Talk(Party& from, Party& to, const std::string& text) {
    Pump(from, to, from.session->Send(from.now(), text));
  }
};

TEST_P(SessionV4Test, TwoVersionFourCapableSessionsChooseFour) {
  Party alice(backend(), 0, Policy::Manual().WithV4(), 1);
  Party bob(backend(), 1, Policy::Manual().WithV4(), 2);
  std::vector<std::string> wire;
  Pump(alice, bob, alice.session->StartOtr(alice.now()), [&](const std::string& s) {
    wire.push_back(s);
    return s;
  });
  ASSERT_FALSE(wire.empty());
  EXPECT_EQ(wire[0].rfind("?OTRv", 0), 0u);
  EXPECT_NE(wire[0].find('4'), std::string::npos) << wire[0];
  EXPECT_NE(wire[0].find('3'), std::string::npos) << wire[0];
  ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice.session->version(), 4);
  EXPECT_EQ(bob.session->version(), 4);
  EXPECT_FALSE(alice.Saw(EventType::kFellBackToV3));
  EXPECT_FALSE(bob.Saw(EventType::kFellBackToV3));
  EXPECT_TRUE(alice.Saw(EventType::kNewFingerprint));
  // The view: v4 fingerprints both ways, one SSID, the v4 machine.
  const ConversationView a = alice.session->view(), b = bob.session->view();
  ASSERT_TRUE(a.their_fingerprint && b.their_fingerprint);
  EXPECT_EQ(a.their_fingerprint->kind, store::FingerprintKind::kV4Ed448);
  EXPECT_EQ(*a.their_fingerprint, *bob.session->our_v4_fingerprint());
  EXPECT_EQ(*b.their_fingerprint, *alice.session->our_v4_fingerprint());
  EXPECT_EQ(a.ssid, b.ssid);
  EXPECT_EQ(a.ssid.size(), 8u);
  EXPECT_EQ(alice.session->ssid_text(), bob.session->ssid_text());
  // Bob answered the query with the Identity message, Alice sent the Auth-R:
  // her bold half is the first ("Secure Session ID").
  EXPECT_TRUE(a.ssid_first_half);
  EXPECT_FALSE(b.ssid_first_half);
  EXPECT_TRUE(a.StateOf(v4::kProtocolMachine).has_value());
  EXPECT_FALSE(a.StateOf(v3::kMessageMachine).has_value());
  // The conversations are with each other's instance, not the master.
  EXPECT_EQ(alice.session->selected_instance(), bob.session->our_tag());
  EXPECT_EQ(bob.session->selected_instance(), alice.session->our_tag());

  for (int i = 0; i < 4; ++i) {
    Talk(alice, bob, "ping " + std::to_string(i));
    Talk(bob, alice, "pong " + std::to_string(i));
  }
  ASSERT_EQ(bob.seen.size(), 4u);
  EXPECT_EQ(bob.seen[3].text, "ping 3");
  EXPECT_TRUE(bob.seen[3].encrypted);
  EXPECT_EQ(alice.last_seen(), "pong 3");
  for (const std::string& s : wire) EXPECT_EQ(s.find("ping"), std::string::npos);
}

TEST_P(SessionV4Test, SmpExtraKeyAndEndThroughTheSession) {
  Party alice(backend(), 0, Policy::Manual().WithV4(), 3);
  Party bob(backend(), 1, Policy::Manual().WithV4(), 4);
  Establish(alice, bob);
  Pump(alice, bob, alice.session->StartSmp(alice.now(), "lighthouse", "Where?"));
  const auto* ask = bob.Find<events::SmpAskSecret>();
  ASSERT_NE(ask, nullptr);
  EXPECT_EQ(ask->question.value_or(""), "Where?");
  EXPECT_EQ(bob.session->view().smp, SmpProgress::kAwaitingSecret);
  Pump(bob, alice, bob.session->RespondSmp(bob.now(), "lighthouse"));
  const auto* ok = alice.Find<events::SmpSucceeded>();
  ASSERT_NE(ok, nullptr);
  EXPECT_TRUE(ok->authenticates_peer);
  EXPECT_TRUE(bob.Saw(EventType::kSmpSucceeded));

  auto used = alice.session->UseExtraSymmetricKey(alice.now(), 7, {});
  ASSERT_TRUE(used.ok());
  const auto* ours = used->Find<events::ExtraSymmetricKey>();
  ASSERT_NE(ours, nullptr);
  const Bytes our_key(ours->key.view().begin(), ours->key.view().end());
  Pump(alice, bob, std::move(used).value());
  const auto* theirs = bob.Find<events::ExtraSymmetricKey>();
  ASSERT_NE(theirs, nullptr);
  EXPECT_EQ(theirs->use, 7u);
  EXPECT_EQ(Bytes(theirs->key.view().begin(), theirs->key.view().end()), our_key);

  Pump(alice, bob, alice.session->EndOtr(alice.now()));
  EXPECT_NE(alice.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob.session->state(), ConversationState::kFinished);
  EXPECT_TRUE(bob.Saw(EventType::kPeerEnded));
}

// A v4-capable session and a v3-only peer: v3, and the v4 side is told.
TEST_P(SessionV4Test, VersionThreePeerFallsBackAndIsReported) {
  Party alice(backend(), 0, Policy::Manual().WithV4(), 5);
  Party bob(backend(), 1, Policy::Manual(), 6);
  Establish(alice, bob);
  EXPECT_EQ(alice.session->version(), 3);
  EXPECT_EQ(bob.session->version(), 3);
  const auto* fell = alice.Find<events::FellBackToV3>();
  ASSERT_NE(fell, nullptr);
  EXPECT_EQ(fell->version, 3);
  EXPECT_FALSE(fell->peer_showed_v4);
  EXPECT_FALSE(bob.Saw(EventType::kFellBackToV3));  // bob does not allow v4
  Talk(alice, bob, "over v3");
  EXPECT_EQ(bob.last_seen(), "over v3");

  // The other way round: the v3-only side asks (?OTRv23?).
  Party carol(backend(), 0, Policy::Manual().WithV4(), 7);
  Party dave(backend(), 1, Policy::Manual(), 8);
  Establish(dave, carol);
  EXPECT_EQ(carol.session->version(), 3);
  EXPECT_TRUE(carol.Saw(EventType::kFellBackToV3));
}

// Decision 0011: a network that turns "?OTRv34?" into "?OTRv3?" makes two
// v4-capable sessions speak v3, and both are told; a session that has seen
// the peer speak v4 says it was a rollback.
TEST_P(SessionV4Test, TamperedQueryIsReported) {
  const Tamper strip_four = [](const std::string& s) {
    if (s.rfind("?OTRv", 0) != 0) return s;
    const size_t close = s.find('?', 5);
    return "?OTRv3" + s.substr(close);
  };
  Party alice(backend(), 0, Policy::Manual().WithV4(), 9);
  Party bob(backend(), 1, Policy::Manual().WithV4(), 10);
  Pump(alice, bob, alice.session->StartOtr(alice.now()), strip_four);
  ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(bob.session->version(), 3);
  const auto* at_alice = alice.Find<events::FellBackToV3>();
  const auto* at_bob = bob.Find<events::FellBackToV3>();
  ASSERT_NE(at_alice, nullptr);
  ASSERT_NE(at_bob, nullptr);
  EXPECT_FALSE(at_bob->peer_showed_v4);

  // Bob had a v4 conversation with Alice before (her v4 fingerprint is in
  // his trust records): the same attack is now a reported rollback.
  Party carol(backend(), 0, Policy::Manual().WithV4(), 11);
  Party dave(backend(), 1, Policy::Manual().WithV4(), 12,
             {{*carol.session->our_v4_fingerprint(), true}});
  Pump(carol, dave, carol.session->StartOtr(carol.now()), strip_four);
  ASSERT_EQ(dave.session->version(), 3);
  const auto* rollback = dave.Find<events::FellBackToV3>();
  ASSERT_NE(rollback, nullptr);
  EXPECT_TRUE(rollback->peer_showed_v4);

  // A peer that offered 4 in a whitespace tag earlier in this session.
  Party erin(backend(), 0, Policy::Manual().WithV4(), 13);
  Party frank(backend(), 1, Policy::Manual().WithV4(), 14);
  frank.session->Receive(frank.now(), "hi" + wire::WhitespaceTag(wire::VersionSet{3, 4}));
  Pump(erin, frank, erin.session->StartOtr(erin.now()), strip_four);
  const auto* seen_before = frank.Find<events::FellBackToV3>();
  ASSERT_NE(seen_before, nullptr);
  EXPECT_TRUE(seen_before->peer_showed_v4);
}

// otrv4.md "OTRv4 Modes": v4-standalone and interactive-only reject v3.
TEST_P(SessionV4Test, VersionFourOnlyModesRefuseVersionThree) {
  for (const Policy& mode : {Policy::V4Standalone(), Policy::V4InteractiveOnly()}) {
    Party v4only(backend(), 0, mode, 15);
    Party v3peer(backend(), 1, Policy::Manual(), 16);
    Output query = v4only.session->Receive(v4only.now(), "?OTRv3?");
    EXPECT_TRUE(query.to_send.empty());
    const auto* refused = query.Find<events::UnsupportedVersion>();
    ASSERT_NE(refused, nullptr);
    EXPECT_EQ(refused->version, 3);
    // A v3 D-H Commit (the v3 peer answering a query of its own).
    Output commit = v3peer.session->Receive(v3peer.now(), "?OTRv3?");
    ASSERT_EQ(commit.to_send.size(), 1u);
    Output at_v4 = v4only.session->Receive(v4only.now(), commit.to_send[0]);
    EXPECT_TRUE(at_v4.to_send.empty());
    EXPECT_TRUE(at_v4.HasEvent(EventType::kUnsupportedVersion));
    EXPECT_EQ(v4only.session->Instances().size(), 1u);  // no v3 conversation made
    // A tag offering 3 only.
    Output tagged =
        v4only.session->Receive(v4only.now(), "hi" + wire::WhitespaceTag(wire::VersionSet{3}));
    EXPECT_TRUE(tagged.to_send.empty());
    EXPECT_TRUE(tagged.HasEvent(EventType::kUnsupportedVersion));
  }
}

TEST_P(SessionV4Test, StandaloneSessionsStartWithAnIdentityMessage) {
  Party alice(backend(), 0, Policy::V4Standalone(), 17);
  Party bob(backend(), 1, Policy::V4Standalone(), 18);
  Output start = alice.session->StartOtr(alice.now());
  ASSERT_EQ(start.to_send.size(), 1u);
  EXPECT_EQ(start.to_send[0].rfind("?OTR:AAQ1", 0), 0u) << start.to_send[0];  // v4, type 0x35
  Pump(alice, bob, std::move(start));
  EXPECT_EQ(alice.session->version(), 4);
  EXPECT_EQ(bob.session->version(), 4);
  Talk(bob, alice, "standalone");
  EXPECT_EQ(alice.last_seen(), "standalone");
}

TEST_P(SessionV4Test, WhitespaceTagOfferingFourStartsTheDake) {
  Policy opportunistic = Policy::Opportunistic().WithV4();
  Party alice(backend(), 0, opportunistic, 19);
  Party bob(backend(), 1, opportunistic, 20);
  Output hello = alice.session->Send(alice.now(), "hello");
  ASSERT_EQ(hello.to_send.size(), 1u);
  auto tagged = wire::DecodeTaggedPlaintext(hello.to_send[0]);
  ASSERT_TRUE(tagged.has_value());
  EXPECT_TRUE(tagged->versions.Has(4));
  EXPECT_TRUE(tagged->versions.Has(3));
  Pump(alice, bob, std::move(hello));
  EXPECT_EQ(bob.seen.at(0).text, "hello");
  EXPECT_EQ(alice.session->version(), 4);
  EXPECT_EQ(bob.session->version(), 4);
}

// Trust of v4 fingerprints: a known, trusted v4 fingerprint is reported so.
TEST_P(SessionV4Test, KnownVersionFourFingerprintIsTrusted) {
  Party alice(backend(), 0, Policy::Manual().WithV4(), 21);
  Party bob(backend(), 1, Policy::Manual().WithV4(), 22);
  Party alice2(backend(), 0, Policy::Manual().WithV4(), 23,
               {{*bob.session->our_v4_fingerprint(), true}});
  Establish(alice2, bob);
  const auto* secure = alice2.Find<events::WentSecure>();
  ASSERT_NE(secure, nullptr);
  EXPECT_EQ(secure->trust, Trust::kTrusted);
  EXPECT_FALSE(alice2.Saw(EventType::kNewFingerprint));
  // SetTrust on the v4 fingerprint is what the next conversation reports.
  alice.session->SetTrust(*bob.session->our_v4_fingerprint(), false);
}

// Instances for v4 are bounded as for v3: Identity messages from many new
// instances never grow the session beyond kMaxPeerInstances.
TEST_P(SessionV4Test, VersionFourInstancesAreBounded) {
  Party bob(backend(), 1, Policy::Manual().WithV4(), 24, {}, 3);
  for (int i = 0; i < 6; ++i) {
    Party peer(backend(), 0, Policy::V4Standalone(), 40 + static_cast<uint64_t>(i));
    Output identity = peer.session->StartOtr(peer.now());
    ASSERT_EQ(identity.to_send.size(), 1u);
    Output reply = bob.session->Receive(bob.now(), identity.to_send[0]);
    EXPECT_EQ(reply.to_send.size(), 1u);  // an Auth-R each
  }
  EXPECT_LE(bob.session->Instances().size(), 1u + 3u);
}

TEST_P(SessionV4Test, CreateChecksTheVersionFourIdentity) {
  DeterministicRandom random(1);
  SessionConfig config;
  config.backend = &backend();
  config.identity.dsa = &testing::CachedDsaKey(backend(), 0);
  config.policy = Policy::Manual().WithV4();
  EXPECT_EQ(Session::Create(config, random).code(), ErrorCode::kInvalidKey);
  auto id = testing::MakeV4Identity(backend(), 1, 0x4242, 1000);
  config.identity.v4 = id.get();
  config.our_tag = 0x4343;  // not the profile's owner instance tag
  EXPECT_EQ(Session::Create(config, random).code(), ErrorCode::kInvalidInstanceTag);
  config.our_tag = 0;  // taken from the profile
  auto made = Session::Create(config, random);
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made->our_tag(), 0x4242u);
  // v4-only modes need no DSA key.
  config.identity.dsa = nullptr;
  config.policy = Policy::V4InteractiveOnly();
  EXPECT_TRUE(Session::Create(config, random).ok());
}

// The model explorer copies whole Sessions to branch its worlds: a copy of
// a v4 session is deep, and each copy goes on on its own.
TEST_P(SessionV4Test, CopiedSessionsGoOnIndependently) {
  Party alice(backend(), 0, Policy::Manual().WithV4(), 25);
  Party bob(backend(), 1, Policy::Manual().WithV4(), 26);
  Establish(alice, bob);
  Session copy = *bob.session;  // NOLINT(performance-unnecessary-copy-initialization)
  Output sent = alice.session->Send(alice.now(), "to both worlds");
  ASSERT_EQ(sent.to_send.size(), 1u);
  Output in_bob = bob.session->Receive(bob.now(), sent.to_send[0]);
  Output in_copy = copy.Receive(bob.now(), sent.to_send[0]);
  ASSERT_EQ(in_bob.display.size(), 1u);
  ASSERT_EQ(in_copy.display.size(), 1u);
  EXPECT_EQ(in_copy.display[0].text, "to both worlds");
  // The copy's reply is read by alice; the original's state is untouched.
  Output reply = copy.Send(bob.now(), "from the copy");
  Pump(bob, alice, std::move(reply));
  EXPECT_EQ(alice.last_seen(), "from the copy");
  EXPECT_EQ(bob.session->state(), ConversationState::kEncrypted);
}

// Decision 0014 through the Session: the DAKE's initiator is secure as soon
// as it sends Auth-I and sends at once; the network delivers its Data
// Message before the Auth-I. The responder reads it when the Auth-I comes
// (before: ERROR_2 and the message lost).
TEST_P(SessionV4Test, DataMessageOvertakingAuthIIsRead) {
  Party alice(backend(), 0, Policy::Manual().WithV4(), 27);
  Party bob(backend(), 1, Policy::Manual().WithV4(), 28);
  auto one = [](const Output& out) {
    EXPECT_EQ(out.to_send.size(), 1u);
    return out.to_send.empty() ? std::string() : out.to_send[0];
  };
  const std::string query = one(alice.session->StartOtr(alice.now()));
  const std::string identity = one(bob.session->Receive(bob.now(), query));
  const std::string auth_r = one(alice.session->Receive(alice.now(), identity));
  const std::string auth_i = one(bob.session->Receive(bob.now(), auth_r));
  ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
  const std::string data = one(bob.session->Send(bob.now(), "right behind the Auth-I"));
  Output early = alice.session->Receive(alice.now(), data);
  EXPECT_TRUE(early.to_send.empty()) << early.to_send[0];
  EXPECT_TRUE(early.display.empty());
  Output done = alice.session->Receive(alice.now(), auth_i);
  EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(done.display.size(), 1u);
  EXPECT_EQ(done.display[0].text, "right behind the Auth-I");
  EXPECT_TRUE(done.display[0].encrypted);
}

// Alice ends and her Disconnected TLV is lost: Bob's conversation is still
// ENCRYPTED. Alice starts again with a Query Message; Bob's master answers
// with its Identity message (a query names no instance) and Alice's Auth-R
// comes from the instance Bob is ENCRYPTED with. The master's DAKE completes
// and its conversation replaces the old one, as an AKE answering libotr's
// master context does in v3 (found by v4_session_established_fuzzer's
// campaign: before, Bob ignored the Auth-R and the restart never finished).
// Until the new DAKE completes Bob's old conversation is kept (decision
// 0010).
TEST_P(SessionV4Test, RestartAfterALostEndCompletesThroughTheMaster) {
  Party alice(backend(), 0, Policy::Manual().WithV4(), 29);
  Party bob(backend(), 1, Policy::Manual().WithV4(), 30);
  Establish(alice, bob);
  const Bytes old_ssid = bob.session->view().ssid;
  (void)alice.session->EndOtr(alice.now());  // the network loses it
  ASSERT_NE(alice.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
  auto one = [](const Output& out) {
    EXPECT_EQ(out.to_send.size(), 1u);
    return out.to_send.empty() ? std::string() : out.to_send[0];
  };
  const std::string query = one(alice.session->StartOtr(alice.now()));
  ASSERT_EQ(query.rfind("?OTRv", 0), 0u);
  const std::string identity = one(bob.session->Receive(bob.now(), query));
  EXPECT_EQ(bob.session->state(), ConversationState::kEncrypted);
  const std::string auth_r = one(alice.session->Receive(alice.now(), identity));
  EXPECT_EQ(bob.session->view().ssid, old_ssid);
  const std::string auth_i = one(bob.session->Receive(bob.now(), auth_r));
  EXPECT_NE(bob.session->view().ssid, old_ssid);
  Output done = alice.session->Receive(alice.now(), auth_i);
  ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice.session->view().ssid, bob.session->view().ssid);
  Talk(alice, bob, "back again");
  EXPECT_EQ(bob.last_seen(), "back again");
  Talk(bob, alice, "welcome back");
  EXPECT_EQ(alice.last_seen(), "welcome back");
}

// Several extra symmetric keys in one Data Message through the Session.
TEST_P(SessionV4Test, SeveralExtraSymmetricKeys) {
  Party alice(backend(), 0, Policy::Manual().WithV4(), 29);
  Party bob(backend(), 1, Policy::Manual().WithV4(), 30);
  Establish(alice, bob);
  auto used = alice.session->UseExtraSymmetricKeys(alice.now(), {{1, {}}, {2, {9}}});
  ASSERT_TRUE(used.ok());
  std::vector<Bytes> ours;
  for (const Event& e : used->events) {
    if (const auto* k = e.As<events::ExtraSymmetricKey>()) {
      ours.emplace_back(k->key.view().begin(), k->key.view().end());
    }
  }
  Pump(alice, bob, std::move(used).value());
  std::vector<Bytes> theirs;
  std::vector<uint32_t> uses;
  for (const Event& e : bob.events) {
    if (const auto* k = e.As<events::ExtraSymmetricKey>()) {
      theirs.emplace_back(k->key.view().begin(), k->key.view().end());
      uses.push_back(k->use);
    }
  }
  ASSERT_EQ(ours.size(), 2u);
  EXPECT_EQ(theirs, ours);
  EXPECT_EQ(uses, (std::vector<uint32_t>{1, 2}));
  EXPECT_NE(ours[0], ours[1]);
}

// Alice, who allows v4, and Bob, who speaks only v2, in a v2 conversation
// (v2 has no instances: it lives in Alice's master); then Bob's successor
// bob4, a v4-capable client of the same user with Alice's policy, offers v4.
// kPeerEnded: Bob ended the v2 conversation first, so Alice's master is in
// FINISHED and the offer is handled by v4's FINISHED row (decision 0045);
// kStaysEncrypted: it is still ENCRYPTED and the offer starts a DAKE beside
// it (decision 0048).
struct V2ThenV4 {
  enum class V2 { kPeerEnded, kStaysEncrypted };
  V2ThenV4(const crypto::Backend& backend, Policy policy, uint64_t seed, V2 v2)
      : alice(backend, 0, policy, seed),
        bob(backend, 1, Policy{.allow_v2 = true}, seed + 1),
        bob4(backend, 1, policy, seed + 2) {
    Pump(alice, bob, alice.session->StartOtr(alice.now()));
    EXPECT_EQ(alice.session->version(), 2);
    EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
    EXPECT_EQ(alice.session->selected_instance(), wire::kNoInstanceTag);
    if (v2 == V2::kPeerEnded) {
      Pump(bob, alice, bob.session->EndOtr(bob.now()));
      EXPECT_TRUE(alice.Saw(EventType::kPeerEnded));
      EXPECT_EQ(alice.session->state(), ConversationState::kFinished);
    }
  }
  // bob4's Query Message, answered by Alice's Identity message (protocol
  // version 4 (00 04), type 0x35: "?OTR:AAQ1"), which is returned.
  Output QueryAnsweredWithIdentity() {
    Output query = bob4.session->StartOtr(bob4.now());
    EXPECT_EQ(query.to_send.size(), 1u);
    if (query.to_send.size() != 1) return {};
    EXPECT_EQ(query.to_send[0].rfind("?OTRv", 0), 0u);
    Output answer = alice.session->Receive(alice.now(), query.to_send[0]);
    EXPECT_EQ(answer.to_send.size(), 1u);
    if (answer.to_send.size() == 1) {
      EXPECT_EQ(answer.to_send[0].rfind("?OTR:AAQ1", 0), 0u) << answer.to_send[0];
    }
    return answer;
  }

  // bob4's whitespace-tagged `text`, which Alice shows unencrypted with the
  // "received unencrypted" warning and answers with nothing (otrv4.md
  // "Receiving plaintext with the whitespace tag", ENCRYPTED_MESSAGES or
  // FINISHED).
  void TaggedTextShownUnencryptedOnly(const std::string& text) {
    Output tagged = bob4.session->Send(bob4.now(), text);
    ASSERT_EQ(tagged.to_send.size(), 1u);
    ASSERT_NE(tagged.to_send[0].find(wire::kWhitespaceTagBase), std::string::npos);
    Output shown = alice.session->Receive(alice.now(), tagged.to_send[0]);
    ASSERT_EQ(shown.display.size(), 1u);
    EXPECT_EQ(shown.display[0].text, text);
    EXPECT_FALSE(shown.display[0].encrypted);
    EXPECT_EQ(testing::CountEvents(shown.events, EventType::kUnencryptedReceived), 1);
    EXPECT_TRUE(shown.to_send.empty());  // no Identity message
  }

  Party alice, bob, bob4;
};
using V2 = V2ThenV4::V2;

// The user's message while the exchange runs: held, never sent in plaintext.
static void ExpectNotSentInPlaintext(const Output& typed, const std::string& text) {
  for (const std::string& s : typed.to_send) {
    EXPECT_EQ(s.find(text), std::string::npos) << s;
    EXPECT_EQ(s.rfind("?OTR", 0), 0u) << s;
  }
}

// otrv4.md "Receiving a Query Message": "If the Query Message offers OTR
// version 4 and version 4 is allowed: Send an Identity message. Transition
// the state to WAITING_AUTH_R" (from FINISHED too: the state machine's
// FINISHED row).
TEST_P(SessionV4Test, QueryAfterTheV2PeerEndedStartsTheDake) {
  V2ThenV4 w(backend(), Policy::Manual().WithV4(), 40, V2::kPeerEnded);
  Party &alice = w.alice, &bob4 = w.bob4;

  // FINISHED: the user's message is refused, not sent in plaintext.
  Output refused = alice.session->Send(alice.now(), "after the end");
  EXPECT_TRUE(refused.to_send.empty());
  EXPECT_EQ(testing::CountEvents(refused.events, EventType::kCannotSend), 1);

  Output answer = w.QueryAnsweredWithIdentity();
  ASSERT_EQ(answer.to_send.size(), 1u);
  const ConversationView waiting = alice.session->view();
  EXPECT_EQ(waiting.StateOf(v4::kProtocolMachine),
            static_cast<size_t>(v4::ProtocolState::kWaitingAuthR));
  EXPECT_FALSE(waiting.StateOf(v3::kMessageMachine).has_value());

  Output typed = alice.session->Send(alice.now(), "while the DAKE runs");
  ExpectNotSentInPlaintext(typed, "while the DAKE runs");
  EXPECT_EQ(testing::CountEvents(typed.events, EventType::kEncryptionRequired), 1);

  Pump(alice, bob4, std::move(answer));
  ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(bob4.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice.session->version(), 4);
  EXPECT_EQ(bob4.session->version(), 4);
  // The held message goes once the user has seen the new key.
  ASSERT_TRUE(alice.Saw(EventType::kHeldMessagePending));
  auto held = alice.session->SendHeldMessage(alice.now());
  ASSERT_TRUE(held.ok());
  Pump(alice, bob4, std::move(held).value());
  EXPECT_EQ(bob4.last_seen(), "while the DAKE runs");
  EXPECT_TRUE(bob4.seen.back().encrypted);
  Talk(bob4, alice, "v4 now");
  EXPECT_EQ(alice.last_seen(), "v4 now");
  EXPECT_TRUE(alice.seen.back().encrypted);
}

// otrv4.md "Receiving plaintext with the whitespace tag": "If the state is
// ENCRYPTED_MESSAGES or FINISHED: Remove the whitespace tag and display the
// message to the user. The user should be warned that the message received
// was unencrypted." A tag starts no DAKE from FINISHED; it still moves the
// master to v4's FINISHED, so the peer's query that follows starts the DAKE.
TEST_P(SessionV4Test, WhitespaceTagAfterTheV2PeerEndedIsShownThenQueryStartsTheDake) {
  V2ThenV4 w(backend(), Policy::Opportunistic().WithV4(), 43, V2::kPeerEnded);
  Party &alice = w.alice, &bob4 = w.bob4;

  w.TaggedTextShownUnencryptedOnly("hello again");
  if (::testing::Test::HasFatalFailure()) return;
  const ConversationView finished = alice.session->view();
  EXPECT_EQ(finished.state, ConversationState::kFinished);
  EXPECT_EQ(finished.StateOf(v4::kProtocolMachine),
            static_cast<size_t>(v4::ProtocolState::kFinished));

  Output refused = alice.session->Send(alice.now(), "still ended");
  EXPECT_TRUE(refused.to_send.empty());
  EXPECT_EQ(testing::CountEvents(refused.events, EventType::kCannotSend), 1);

  Output answer = w.QueryAnsweredWithIdentity();
  ASSERT_EQ(answer.to_send.size(), 1u);
  Output typed = alice.session->Send(alice.now(), "while the DAKE runs");
  ExpectNotSentInPlaintext(typed, "while the DAKE runs");
  Pump(alice, bob4, std::move(answer));
  ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice.session->version(), 4);
  Talk(alice, bob4, "v4 now");
  EXPECT_EQ(bob4.last_seen(), "v4 now");
  EXPECT_TRUE(bob4.seen.back().encrypted);
}

// otrv4.md "Receiving a Query Message" names no state: "If the Query Message
// offers OTR version 4 and version 4 is allowed: Send an Identity message.
// Transition the state to WAITING_AUTH_R." As a v3 query in ENCRYPTED runs an
// AKE while the old keys stay in use, the v2 conversation stays ENCRYPTED and
// usable until the DAKE completes; then the user's messages go to v4.
TEST_P(SessionV4Test, QueryWhileV2EncryptedStartsTheDakeBesideIt) {
  V2ThenV4 w(backend(), Policy::Manual().WithV4(), 46, V2::kStaysEncrypted);
  Party &alice = w.alice, &bob = w.bob, &bob4 = w.bob4;

  Output answer = w.QueryAnsweredWithIdentity();
  ASSERT_EQ(answer.to_send.size(), 1u);
  // The v2 conversation is untouched and still carries the user's messages.
  EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice.session->version(), 2);
  Talk(alice, bob, "still v2");
  EXPECT_EQ(bob.last_seen(), "still v2");
  EXPECT_TRUE(bob.seen.back().encrypted);
  Talk(bob, alice, "v2 answers");
  EXPECT_EQ(alice.last_seen(), "v2 answers");

  Pump(alice, bob4, std::move(answer));
  ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(bob4.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice.session->version(), 4);
  EXPECT_EQ(bob4.session->version(), 4);
  EXPECT_EQ(alice.session->selected_instance(), bob4.session->our_tag());
  EXPECT_EQ(V4BesideEncryptedForTesting(*alice.session), nullptr);  // moved to bob4's instance
  Talk(alice, bob4, "v4 now");
  EXPECT_EQ(bob4.last_seen(), "v4 now");
  EXPECT_TRUE(bob4.seen.back().encrypted);
  Talk(bob4, alice, "v4 answers");
  EXPECT_EQ(alice.last_seen(), "v4 answers");
  // The v2 conversation is not ended by the new one (no spec text does so).
  ASSERT_TRUE(alice.session->view(wire::kNoInstanceTag).has_value());
  EXPECT_EQ(alice.session->view(wire::kNoInstanceTag)->state, ConversationState::kEncrypted);
}

// otrv4.md "Receiving plaintext with the whitespace tag": "If the state is
// ENCRYPTED_MESSAGES or FINISHED: Remove the whitespace tag and display the
// message to the user. The user should be warned that the message received
// was unencrypted." Only "Otherwise" does a tag offering 4 start a DAKE.
TEST_P(SessionV4Test, WhitespaceTagWhileV2EncryptedIsShownWithTheWarningOnly) {
  V2ThenV4 w(backend(), Policy::Opportunistic().WithV4(), 49, V2::kStaysEncrypted);
  Party &alice = w.alice, &bob4 = w.bob4;

  w.TaggedTextShownUnencryptedOnly("hello from v4");
  if (::testing::Test::HasFatalFailure()) return;
  EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice.session->version(), 2);
  EXPECT_EQ(V4BesideEncryptedForTesting(*alice.session), nullptr);
  // A query that follows starts the DAKE beside the v2 conversation.
  Output answer = w.QueryAnsweredWithIdentity();
  ASSERT_EQ(answer.to_send.size(), 1u);
  Pump(alice, bob4, std::move(answer));
  EXPECT_EQ(alice.session->version(), 4);
  Talk(alice, bob4, "v4 now");
  EXPECT_EQ(bob4.last_seen(), "v4 now");
}

// The contents of the live secret buffers (crypto/secret_registry.h), to
// find the ones an action made: what is live now and was not in `before`.
static std::multiset<Bytes> LiveSecrets() {
  std::multiset<Bytes> live;
  crypto::ForEachLiveSecret([&](ByteView v) { live.emplace(v.begin(), v.end()); });
  return live;
}
static std::multiset<Bytes> MadeSince(const std::multiset<Bytes>& before) {
  std::multiset<Bytes> made;
  const std::multiset<Bytes> now = LiveSecrets();
  std::set_difference(now.begin(), now.end(), before.begin(), before.end(),
                      std::inserter(made, made.end()));
  return made;
}
// How many of `secrets` are still live.
static size_t StillLive(const std::multiset<Bytes>& secrets) {
  size_t n = 0;
  crypto::ForEachLiveSecret([&](ByteView v) { n += secrets.count(Bytes(v.begin(), v.end())); });
  return n;
}

// Decision 0048: the DAKE beside an ENCRYPTED v2 conversation ends in the
// call that takes the master out of ENCRYPTED. The user's end: its ephemeral
// secrets are wiped then, and bob4's Auth-R, arriving late, continues
// nothing.
TEST_P(SessionV4Test, EndingTheV2ConversationEndsTheDakeBesideIt) {
  V2ThenV4 w(backend(), Policy::Manual().WithV4(), 52, V2::kStaysEncrypted);
  Party &alice = w.alice, &bob4 = w.bob4;
  const std::multiset<Bytes> before = LiveSecrets();
  Output answer = w.QueryAnsweredWithIdentity();
  ASSERT_EQ(answer.to_send.size(), 1u);
  const std::multiset<Bytes> dake = MadeSince(before);  // its ephemeral keys
  ASSERT_FALSE(dake.empty());
  ASSERT_NE(V4BesideEncryptedForTesting(*alice.session), nullptr);
  EXPECT_EQ(V4BesideEncryptedForTesting(*alice.session)->state(), v4::ProtocolState::kWaitingAuthR);

  Output ended = alice.session->EndOtr(alice.now());
  EXPECT_EQ(alice.session->state(), ConversationState::kPlaintext);
  EXPECT_EQ(V4BesideEncryptedForTesting(*alice.session), nullptr);
  EXPECT_EQ(StillLive(dake), 0u);

  Output auth_r = bob4.session->Receive(bob4.now(), answer.to_send[0]);
  ASSERT_EQ(auth_r.to_send.size(), 1u);
  Output late = alice.session->Receive(alice.now(), auth_r.to_send[0]);
  EXPECT_TRUE(late.to_send.empty());  // no Auth-I
  EXPECT_FALSE(late.HasEvent(EventType::kWentSecure));
  EXPECT_EQ(alice.session->state(), ConversationState::kPlaintext);
}

// The peer's end (the Disconnected TLV) takes the master to FINISHED: the
// DAKE beside it ends in that same Receive.
TEST_P(SessionV4Test, ThePeersEndOfTheV2ConversationEndsTheDakeBesideIt) {
  V2ThenV4 w(backend(), Policy::Manual().WithV4(), 55, V2::kStaysEncrypted);
  Party &alice = w.alice, &bob = w.bob;
  const std::multiset<Bytes> before = LiveSecrets();
  ASSERT_EQ(w.QueryAnsweredWithIdentity().to_send.size(), 1u);
  const std::multiset<Bytes> dake = MadeSince(before);
  ASSERT_FALSE(dake.empty());
  ASSERT_NE(V4BesideEncryptedForTesting(*alice.session), nullptr);

  Output end = bob.session->EndOtr(bob.now());
  ASSERT_EQ(end.to_send.size(), 1u);
  Output received = alice.session->Receive(alice.now(), end.to_send[0]);
  EXPECT_TRUE(received.HasEvent(EventType::kPeerEnded));
  EXPECT_EQ(alice.session->state(), ConversationState::kFinished);
  EXPECT_EQ(V4BesideEncryptedForTesting(*alice.session), nullptr);
  EXPECT_EQ(StillLive(dake), 0u);
}

// otrv4.md "Session Expiration" applies to a DAKE in progress as to any
// (the v4 table's WAITING_AUTH_R timeout row): the DAKE beside the v2
// conversation is in NextTimeout, and HandleTimeout at that time ends it
// (its secrets wiped); the v2 conversation stays ENCRYPTED.
TEST_P(SessionV4Test, TheDakeBesideTheV2ConversationExpires) {
  V2ThenV4 w(backend(), Policy::Manual().WithV4(), 58, V2::kStaysEncrypted);
  Party& alice = w.alice;
  EXPECT_EQ(alice.session->NextTimeout(), std::nullopt);  // v2 has no timer
  const std::multiset<Bytes> before = LiveSecrets();
  const uint64_t started = alice.now();
  ASSERT_EQ(w.QueryAnsweredWithIdentity().to_send.size(), 1u);
  const std::multiset<Bytes> dake = MadeSince(before);
  ASSERT_FALSE(dake.empty());
  const uint64_t expiry = SessionConfig{}.session_expiry_seconds;
  ASSERT_EQ(alice.session->NextTimeout(), started + expiry);

  alice.clock.now = started + expiry - 1;
  Output early = alice.session->HandleTimeout(alice.now());
  EXPECT_TRUE(early.to_send.empty());
  ASSERT_NE(V4BesideEncryptedForTesting(*alice.session), nullptr);
  EXPECT_EQ(StillLive(dake), dake.size());

  alice.clock.now = started + expiry;
  Output due = alice.session->HandleTimeout(alice.now());
  EXPECT_TRUE(due.to_send.empty());
  EXPECT_EQ(V4BesideEncryptedForTesting(*alice.session), nullptr);
  EXPECT_EQ(StillLive(dake), 0u);
  EXPECT_EQ(alice.session->NextTimeout(), std::nullopt);
  EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice.session->version(), 2);
}

// The session's end is the end of everything it holds: destroying Alice's
// session leaves none of the DAKE's secrets.
TEST_P(SessionV4Test, DestroyingTheSessionEndsTheDakeBesideTheV2Conversation) {
  V2ThenV4 w(backend(), Policy::Manual().WithV4(), 61, V2::kStaysEncrypted);
  const std::multiset<Bytes> before = LiveSecrets();
  ASSERT_EQ(w.QueryAnsweredWithIdentity().to_send.size(), 1u);
  const std::multiset<Bytes> dake = MadeSince(before);
  ASSERT_FALSE(dake.empty());
  ASSERT_NE(V4BesideEncryptedForTesting(*w.alice.session), nullptr);
  w.alice.session.reset();
  EXPECT_EQ(StillLive(dake), 0u);
}

// Decision 0050 (the v4_session_dake_fuzzer finding
// corpus/v4_session_dake_fuzzer/finding_stuck_new_dake_beside_after_v2): a
// replayed Identity message starts a new DAKE beside alice's conversation
// with bob1, which then waits for an Auth-I that never comes. There it
// ignores an Identity message without her instance tag (otrv4.md "Receiving
// an Identity Message", WAITING_AUTH_I), the only kind a restarted client
// sends. Her end of another conversation forgets that DAKE too (its secrets
// wiped) and keeps the conversation with bob1, so bob1's restart gets
// through.
TEST_P(SessionV4Test, EndingOneConversationForgetsTheNewDakeBesideAnother) {
  Party alice(backend(), 0, Policy::V4Standalone(), 64);
  Party bob1(backend(), 1, Policy::V4Standalone(), 65);
  Party bob2(backend(), 1, Policy::V4Standalone(), 66);
  const wire::InstanceTag tag1 = bob1.session->our_tag(), tag2 = bob2.session->our_tag();
  Output start = bob1.session->StartOtr(bob1.now());
  ASSERT_EQ(start.to_send.size(), 1u);
  const std::string identity = start.to_send[0];  // from bob1's master: no receiver tag
  Pump(bob1, alice, std::move(start));
  Pump(bob2, alice, bob2.session->StartOtr(bob2.now()));
  ASSERT_EQ(bob1.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(bob2.session->state(), ConversationState::kEncrypted);

  const std::multiset<Bytes> before = LiveSecrets();
  Output replayed = alice.session->Receive(alice.now(), identity);
  EXPECT_EQ(replayed.to_send.size(), 1u);  // an Auth-R that nobody answers
  const std::multiset<Bytes> dake = MadeSince(before);
  ASSERT_FALSE(dake.empty());
  ASSERT_NE(V4ConversationForTesting(*alice.session, tag1), nullptr);
  EXPECT_EQ(V4ConversationForTesting(*alice.session, tag1)->state(),
            v4::ProtocolState::kEncryptedWaitingAuthI);

  ASSERT_TRUE(alice.session->SelectInstance(tag2).ok());
  Output ended = alice.session->EndOtr(alice.now());
  EXPECT_EQ(alice.session->state(), ConversationState::kPlaintext);
  EXPECT_EQ(V4ConversationForTesting(*alice.session, tag1)->state(), v4::ProtocolState::kEncrypted);
  EXPECT_EQ(StillLive(dake), 0u);
  ASSERT_TRUE(alice.session->SelectInstance(tag1).ok());
  Talk(alice, bob1, "still here");
  EXPECT_EQ(bob1.last_seen(), "still here");

  // Bob1's client restarts with the same instance tag and keys.
  Party bob1_again(backend(), 1, Policy::V4Standalone(), 65);
  uint8_t other_randomness[16];
  bob1_again.random.Fill(MutableByteView(other_randomness));
  Pump(bob1_again, alice, bob1_again.session->StartOtr(bob1_again.now()));
  EXPECT_EQ(bob1_again.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice.session->view().ssid, bob1_again.session->view().ssid);
  Talk(bob1_again, alice, "back");
  EXPECT_EQ(alice.last_seen(), "back");
}

// Decision 0053 (the v4_session_prekey_fuzzer finding
// corpus/v4_session_prekey_fuzzer/finding_v4_dake_beside_encrypted_v3_instance):
// alice's typed "?OTRv3?" and "?OTRv2?" both reach bob as Query Messages and
// leave him a v3 conversation on alice's instance and a v2 one in the
// master; alice's end finishes the v2 one. Every restart then runs a v4 DAKE
// whose messages name the peer's instance, which holds the ENCRYPTED v3
// conversation: that DAKE runs beside it and, once it completes, replaces
// it (before, its messages were dropped and no restart went secure).
TEST_P(SessionV4Test, RestartBesideAnEncryptedV3InstanceGoesToV4) {
  Party alice(backend(), 0, Policy::Opportunistic().WithV4(), 67);
  Party bob(backend(), 1, Policy::Manual().WithV4(), 68);
  const wire::InstanceTag alice_tag = alice.session->our_tag();
  Output typed3 = alice.session->Send(alice.now(), "?OTRv3?");
  Output typed2 = alice.session->Send(alice.now(), "?OTRv2?");
  Pump(alice, bob, std::move(typed3));
  Pump(alice, bob, std::move(typed2));
  ASSERT_NE(V3ConversationForTesting(*bob.session, alice_tag), nullptr);
  ASSERT_EQ(bob.session->view(alice_tag)->state, ConversationState::kEncrypted);
  Pump(alice, bob, alice.session->EndOtr(alice.now()));
  ASSERT_EQ(bob.session->view(alice_tag)->state, ConversationState::kEncrypted);

  Output bob_ended = bob.session->EndOtr(bob.now());
  Pump(bob, alice, std::move(bob_ended));
  Pump(bob, alice, bob.session->StartOtr(bob.now()));
  ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob.session->version(), 4);
  EXPECT_EQ(alice.session->version(), 4);
  EXPECT_EQ(bob.session->selected_instance(), alice_tag);
  EXPECT_EQ(V4ConversationForTesting(*bob.session, alice_tag)->state(),
            v4::ProtocolState::kEncrypted);  // the v3 conversation is replaced
  EXPECT_EQ(alice.session->view().ssid, bob.session->view().ssid);
  Talk(alice, bob, "v4 at last");
  EXPECT_EQ(bob.last_seen(), "v4 at last");
  Talk(bob, alice, "indeed");
  EXPECT_EQ(alice.last_seen(), "indeed");
}

// Decision 0053 by hand: bob has an ENCRYPTED v3 conversation with alice's
// instance, made by her v3-only client (alice3); her v4-capable client
// (alice4) then comes back with the same instance tag and the same DSA key.
struct V3InstanceThenV4 {
  V3InstanceThenV4(const crypto::Backend& backend, uint64_t seed)
      : alice3(backend, 0, Policy{.allow_v3 = true}, seed),
        alice4(backend, 0, Policy::Manual().WithV4(), seed),
        bob(backend, 1, Policy::Manual().WithV4(), seed + 1),
        tag(alice3.session->our_tag()) {
    Pump(alice3, bob, alice3.session->StartOtr(alice3.now()));
    EXPECT_EQ(bob.session->selected_instance(), tag);
    EXPECT_EQ(bob.session->version(), 3);
    EXPECT_EQ(bob.session->state(), ConversationState::kEncrypted);
    EXPECT_EQ(alice4.session->our_tag(), tag);
  }
  // Bob's master starts (a Query Message: he is v3-compatible); alice4's
  // answer, her Identity message to every instance, is returned.
  std::string IdentityFromAlice4() {
    EXPECT_TRUE(bob.session->SelectInstance(wire::kNoInstanceTag).ok());
    Output query = bob.session->StartOtr(bob.now());
    EXPECT_EQ(query.to_send.size(), 1u);
    if (query.to_send.size() != 1) return {};
    Output identity = alice4.session->Receive(alice4.now(), query.to_send[0]);
    EXPECT_EQ(identity.to_send.size(), 1u);
    return identity.to_send.empty() ? std::string() : identity.to_send[0];
  }
  // Alice's v3 client still talks to bob's v3 conversation.
  bool V3StillTalks(const std::string& text) {
    EXPECT_TRUE(bob.session->SelectInstance(tag).ok());
    Pump(alice3, bob, alice3.session->Send(alice3.now(), text));
    return bob.last_seen() == text && bob.seen.back().encrypted &&
           V3ConversationForTesting(*bob.session, tag) != nullptr;
  }

  Party alice3, alice4, bob;
  wire::InstanceTag tag;
};

// alice4's Identity message from the instance of bob's ENCRYPTED v3
// conversation starts a DAKE beside it (bob's Auth-R); the v3 conversation
// goes on until that DAKE completes, replayed Identity messages change
// nothing else, and the completed DAKE replaces it.
TEST_P(SessionV4Test, AnIdentityMessageFromAnEncryptedV3InstanceRunsTheDakeBesideIt) {
  V3InstanceThenV4 w(backend(), 70);
  Party &alice4 = w.alice4, &bob = w.bob;
  const std::string identity = w.IdentityFromAlice4();
  Output auth_r = bob.session->Receive(bob.now(), identity);
  ASSERT_EQ(auth_r.to_send.size(), 1u);
  ASSERT_NE(V4BesideEncryptedForTesting(*bob.session, w.tag), nullptr);
  EXPECT_EQ(V4BesideEncryptedForTesting(*bob.session, w.tag)->state(),
            v4::ProtocolState::kWaitingAuthI);
  EXPECT_TRUE(w.V3StillTalks("v3 meanwhile"));
  for (int i = 0; i < 2; ++i) {  // replayed: the v3 conversation stays
    Output replayed = bob.session->Receive(bob.now(), identity);
    EXPECT_FALSE(replayed.HasEvent(EventType::kWentSecure));
    EXPECT_TRUE(w.V3StillTalks("v3 still"));
  }

  Pump(bob, alice4, std::move(auth_r));
  ASSERT_EQ(alice4.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob.session->selected_instance(), w.tag);
  ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob.session->version(), 4);
  EXPECT_EQ(V3ConversationForTesting(*bob.session, w.tag), nullptr);
  EXPECT_EQ(V4BesideEncryptedForTesting(*bob.session, w.tag), nullptr);
  EXPECT_EQ(bob.session->view().ssid, alice4.session->view().ssid);
  Talk(alice4, bob, "v4 now");
  EXPECT_EQ(bob.last_seen(), "v4 now");
  Talk(bob, alice4, "v4 answers");
  EXPECT_EQ(alice4.last_seen(), "v4 answers");
}

// alice4 starts: bob's master answers her Query with its Identity message,
// and her Auth-R, from the instance of his ENCRYPTED v3 conversation,
// completes his master's DAKE, which replaces that conversation.
TEST_P(SessionV4Test, AnAuthRFromAnEncryptedV3InstanceCompletesTheMastersDake) {
  V3InstanceThenV4 w(backend(), 73);
  Party &alice4 = w.alice4, &bob = w.bob;
  Pump(alice4, bob, alice4.session->StartOtr(alice4.now()));
  ASSERT_EQ(alice4.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob.session->selected_instance(), w.tag);
  EXPECT_EQ(bob.session->version(), 4);
  EXPECT_EQ(bob.session->view().ssid, alice4.session->view().ssid);
  Talk(alice4, bob, "through the master");
  EXPECT_EQ(bob.last_seen(), "through the master");
}

// The DAKE beside the v3 instance ends (its secrets wiped) in the call that
// takes the v3 conversation out of ENCRYPTED: the user's end, or the
// peer's; and when it expires. A late Auth-I then continues nothing.
TEST_P(SessionV4Test, TheDakeBesideAV3InstanceEndsWithIt) {
  enum class How { kUsersEnd, kPeersEnd, kExpiry };
  for (How how : {How::kUsersEnd, How::kPeersEnd, How::kExpiry}) {
    SCOPED_TRACE(static_cast<int>(how));
    V3InstanceThenV4 w(backend(), 76 + 3 * static_cast<uint64_t>(how));
    Party &alice3 = w.alice3, &alice4 = w.alice4, &bob = w.bob;
    const std::string identity = w.IdentityFromAlice4();
    const std::multiset<Bytes> before = LiveSecrets();
    const uint64_t started = bob.now();
    Output auth_r = bob.session->Receive(bob.now(), identity);
    ASSERT_EQ(auth_r.to_send.size(), 1u);
    const std::multiset<Bytes> dake = MadeSince(before);
    ASSERT_FALSE(dake.empty());
    ASSERT_NE(V4BesideEncryptedForTesting(*bob.session, w.tag), nullptr);
    const uint64_t expiry = SessionConfig{}.session_expiry_seconds;
    EXPECT_EQ(bob.session->NextTimeout(), started + expiry);
    ASSERT_TRUE(bob.session->SelectInstance(w.tag).ok());
    switch (how) {
      case How::kUsersEnd:
        (void)bob.session->EndOtr(bob.now());
        EXPECT_EQ(bob.session->state(), ConversationState::kPlaintext);
        break;
      case How::kPeersEnd: {
        Output end = alice3.session->EndOtr(alice3.now());
        ASSERT_EQ(end.to_send.size(), 1u);
        Output received = bob.session->Receive(bob.now(), end.to_send[0]);
        EXPECT_TRUE(received.HasEvent(EventType::kPeerEnded));
        EXPECT_EQ(bob.session->state(), ConversationState::kFinished);
        break;
      }
      case How::kExpiry:
        bob.clock.now = started + expiry;
        (void)bob.session->HandleTimeout(bob.now());
        EXPECT_EQ(bob.session->state(), ConversationState::kEncrypted);
        EXPECT_EQ(bob.session->version(), 3);
        break;
    }
    EXPECT_EQ(V4BesideEncryptedForTesting(*bob.session, w.tag), nullptr);
    EXPECT_EQ(StillLive(dake), 0u);
    Output auth_i = alice4.session->Receive(alice4.now(), auth_r.to_send[0]);
    ASSERT_EQ(auth_i.to_send.size(), 1u);
    Output late = bob.session->Receive(bob.now(), auth_i.to_send[0]);
    EXPECT_FALSE(late.HasEvent(EventType::kWentSecure));
    EXPECT_EQ(bob.session->view(w.tag)->version, 3);
  }
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(SessionV4Test);

// One side on each backend.
TEST(SessionV4CrossBackendTest, OneSideOnEachBackend) {
  const auto& backends = crypto::AllBackends();
  ASSERT_GE(backends.size(), 2u) << "needs both crypto backends";
  for (size_t i = 0; i < 2; ++i) {
    const crypto::Backend& first = *backends[i];
    const crypto::Backend& second = *backends[1 - i];
    Party alice(first, 0, Policy::Manual().WithV4(), 30);
    Party bob(second, 1, Policy::Manual().WithV4(), 31);
    Pump(alice, bob, alice.session->StartOtr(alice.now()));
    ASSERT_EQ(alice.session->version(), 4);
    ASSERT_EQ(bob.session->version(), 4);
    Pump(alice, bob, alice.session->Send(alice.now(), "across"));
    Pump(bob, alice, bob.session->Send(bob.now(), "back"));
    EXPECT_EQ(bob.last_seen(), "across");
    EXPECT_EQ(alice.last_seen(), "back");
  }
}

}  // namespace
}  // namespace otr
