// Two Sessions talking in memory (otr v3 spec, "The protocol state machine"):
// AKE from query, whitespace tags and REQUIRE_ENCRYPTION; messages both ways
// with key rotation; ending; SMP; fragmentation; extra symmetric keys;
// instance tags; and bad input that must not disturb an established session.
#include "protocol/session/session.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

#include "crypto/secret_registry.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/session/testing.h"
#include "protocol/store/fingerprint.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/whitespace_tag.h"
#include "tests/crypto/test_util.h"
#include "tests/support/fixtures.h"

namespace otr {
namespace {

using crypto::testing::DeterministicRandom;
using testing::FakeClock;

struct Party {
  Party(const crypto::Backend& backend, int who, Policy policy, uint64_t seed, size_t max_size = 0,
        std::vector<SessionConfig::KnownFingerprint> known = {},
        wire::InstanceTag our_tag = wire::kNoInstanceTag)
      : random(seed) {
    SessionConfig config;
    config.our_tag = our_tag;
    config.known_fingerprints = std::move(known);
    config.backend = &backend;
    config.identity.dsa = &testing::CachedDsaKey(backend, who);
    config.policy = policy;
    config.max_message_size = max_size;
    auto s = Session::Create(config, random);
    EXPECT_TRUE(s.ok());
    session.emplace(std::move(s).value());
  }
  DeterministicRandom random;
  FakeClock clock;
  std::optional<Session> session;
  std::vector<Displayed> seen;
  std::vector<Event> events;
};

// Delivers `out` from `from` to `to` and everything that follows, both ways,
// until nobody has anything to send; records what crossed the wire.
void Pump(Party& from, Party& to, Output out, std::vector<std::string>* wire = nullptr) {
  std::vector<std::pair<std::string, Party*>> queue;
  auto take = [&](Output& o, Party& sender, Party& receiver) {
    for (auto& s : o.to_send) queue.emplace_back(std::move(s), &receiver);
    for (auto& d : o.display) sender.seen.push_back(std::move(d));
    for (auto& e : o.events) sender.events.push_back(std::move(e));
  };
  take(out, from, to);
  for (size_t i = 0; i < queue.size() && i < 200; ++i) {
    Party* receiver = queue[i].second;
    Party* other = receiver == &from ? &to : &from;
    Output reply = receiver->session->Receive(receiver->clock.NowSeconds(), queue[i].first);
    if (wire != nullptr) wire->push_back(queue[i].first);
    take(reply, *receiver, *other);
  }
}

class SessionTest : public crypto::testing::BackendTest {
 protected:
  void Pump(Output out, Party& from, Party& to) { otr::Pump(from, to, std::move(out), &wire_log); }

  static bool Has(const Party& p, EventType type) {
    for (const Event& e : p.events) {
      if (e.type() == type) return true;
    }
    return false;
  }

  void Establish(Party& alice, Party& bob) {
    Pump(alice.session->StartOtr(alice.clock.NowSeconds()), alice, bob);
    ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
    ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
  }

  std::vector<std::string> wire_log;
};

TEST_P(SessionTest, QueryStartsAkeAndMessagesFlowBothWays) {
  Party alice(backend(), 0, Policy::Manual(), 1), bob(backend(), 1, Policy::Manual(), 2);
  Establish(alice, bob);
  EXPECT_TRUE(Has(alice, EventType::kWentSecure));
  EXPECT_TRUE(Has(bob, EventType::kWentSecure));
  EXPECT_TRUE(Has(alice, EventType::kNewFingerprint));
  EXPECT_EQ(alice.session->version(), 3);
  EXPECT_EQ(alice.session->ssid_text(), bob.session->ssid_text());
  EXPECT_EQ(*alice.session->their_fingerprint(), bob.session->our_fingerprint());
  EXPECT_EQ(*bob.session->their_fingerprint(), alice.session->our_fingerprint());

  for (int i = 0; i < 5; ++i) {
    Pump(alice.session->Send(alice.clock.NowSeconds(), "ping " + std::to_string(i)), alice, bob);
    Pump(bob.session->Send(bob.clock.NowSeconds(), "pong " + std::to_string(i)), bob, alice);
  }
  ASSERT_EQ(bob.seen.size(), 5u);
  EXPECT_EQ(bob.seen[4].text, "ping 4");
  EXPECT_TRUE(bob.seen[4].encrypted);
  EXPECT_EQ(alice.seen.back().text, "pong 4");
  // No plaintext of the conversation ever crossed the wire.
  for (const std::string& s : wire_log) EXPECT_EQ(s.find("ping"), std::string::npos);
  // Keys rotated with the ping-pong.
  EXPECT_GT(SelectedV3ForTesting(*alice.session)->keys()->our_keyid(), 4u);
}

// Ending forgets an AKE in flight (Key Management: "securely forget"), as
// libotr does on disconnect: the late Reveal Signature is ignored.
TEST_P(SessionTest, EndingDuringTheAkeForgetsTheExchange) {
  Party alice(backend(), 0, Policy::Manual(), 31), bob(backend(), 1, Policy::Manual(), 32);
  Output query = alice.session->StartOtr(alice.clock.NowSeconds());
  ASSERT_EQ(query.to_send.size(), 1u);
  Output commit = bob.session->Receive(bob.clock.NowSeconds(), query.to_send[0]);
  ASSERT_EQ(commit.to_send.size(), 1u);
  Output dh_key = alice.session->Receive(alice.clock.NowSeconds(), commit.to_send[0]);
  ASSERT_EQ(dh_key.to_send.size(), 1u);
  Output reveal = bob.session->Receive(bob.clock.NowSeconds(), dh_key.to_send[0]);
  ASSERT_EQ(reveal.to_send.size(), 1u);

  const size_t live_before_end = crypto::LiveSecretCount();
  Output ended = alice.session->EndOtr(alice.clock.NowSeconds());
  EXPECT_TRUE(ended.to_send.empty());
  EXPECT_LT(crypto::LiveSecretCount(), live_before_end);  // our y is gone

  Output late = alice.session->Receive(alice.clock.NowSeconds(), reveal.to_send[0]);
  EXPECT_TRUE(late.to_send.empty());
  EXPECT_FALSE(late.HasEvent(EventType::kWentSecure));
  EXPECT_EQ(alice.session->state(), ConversationState::kPlaintext);
  // Starting again works.
  Establish(alice, bob);
}

// Bob ends while his D-H Commit is out: Alice's D-H Key finds nothing.
TEST_P(SessionTest, EndingWhileAwaitingDhKeyForgetsTheCommitment) {
  Party alice(backend(), 0, Policy::Manual(), 33), bob(backend(), 1, Policy::Manual(), 34);
  Output query = alice.session->StartOtr(alice.clock.NowSeconds());
  Output commit = bob.session->Receive(bob.clock.NowSeconds(), query.to_send[0]);
  ASSERT_EQ(commit.to_send.size(), 1u);
  EXPECT_TRUE(bob.session->EndOtr(bob.clock.NowSeconds()).to_send.empty());
  Output dh_key = alice.session->Receive(alice.clock.NowSeconds(), commit.to_send[0]);
  ASSERT_EQ(dh_key.to_send.size(), 1u);
  Output reply = bob.session->Receive(bob.clock.NowSeconds(), dh_key.to_send[0]);
  EXPECT_TRUE(reply.to_send.empty());  // AUTHSTATE_NONE ignores a D-H Key
  EXPECT_EQ(bob.session->state(), ConversationState::kPlaintext);
}

// Our own D-H Commit (receiver tag 0) reflected back must not start an AKE
// with ourselves.
TEST_P(SessionTest, ReflectedMessagesAreIgnored) {
  Party alice(backend(), 0, Policy::Manual(), 35), bob(backend(), 1, Policy::Manual(), 36);
  Output query = alice.session->StartOtr(alice.clock.NowSeconds());
  Output commit = bob.session->Receive(bob.clock.NowSeconds(), query.to_send[0]);
  ASSERT_EQ(commit.to_send.size(), 1u);
  Output reflected = bob.session->Receive(bob.clock.NowSeconds(), commit.to_send[0]);
  EXPECT_TRUE(reflected.to_send.empty());
  EXPECT_TRUE(reflected.HasEvent(EventType::kReflected));
  // The genuine exchange is undisturbed.
  Pump(alice.session->Receive(alice.clock.NowSeconds(), commit.to_send[0]), alice, bob);
  EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob.session->state(), ConversationState::kEncrypted);
}

TEST_P(SessionTest, EndingMovesThePeerToFinished) {
  Party alice(backend(), 0, Policy::Manual(), 3), bob(backend(), 1, Policy::Manual(), 4);
  Establish(alice, bob);
  Pump(bob.session->EndOtr(bob.clock.NowSeconds()), bob, alice);
  EXPECT_EQ(bob.session->state(), ConversationState::kPlaintext);
  EXPECT_EQ(alice.session->state(), ConversationState::kFinished);
  EXPECT_TRUE(Has(alice, EventType::kPeerEnded));
  // In FINISHED nothing the user types leaves.
  Output held = alice.session->Send(alice.clock.NowSeconds(), "are you there?");
  EXPECT_TRUE(held.to_send.empty());
  EXPECT_TRUE(held.HasEvent(EventType::kCannotSend));
  Pump(alice.session->EndOtr(alice.clock.NowSeconds()), alice, bob);
  EXPECT_EQ(alice.session->state(), ConversationState::kPlaintext);
  // Issue 14: what was typed in FINISHED is dropped, not sent after a
  // later AKE (as libotr).
  bob.seen.clear();
  Establish(alice, bob);
  for (const auto& d : bob.seen) EXPECT_NE(d.text, "are you there?");
}

// The held message goes out at once only to a trusted key (issue 14: an
// injected D-H Commit completed with an attacker's key must not receive it).
TEST_P(SessionTest, RequireEncryptionHoldsTheMessageAndSendsItToATrustedPeer) {
  Party bob(backend(), 1, Policy::Manual(), 6);
  Party alice(backend(), 0, Policy::Always(), 5, 0, {{bob.session->our_fingerprint(), true}});
  Output out = alice.session->Send(alice.clock.NowSeconds(), "secret plans");
  EXPECT_TRUE(out.HasEvent(EventType::kEncryptionRequired));
  for (const std::string& s : out.to_send) EXPECT_EQ(s.find("secret"), std::string::npos);
  Pump(std::move(out), alice, bob);
  EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
  ASSERT_FALSE(bob.seen.empty());
  EXPECT_EQ(bob.seen.back().text, "secret plans");
  EXPECT_TRUE(bob.seen.back().encrypted);
  EXPECT_TRUE(Has(alice, EventType::kStoredMessageSent));
  EXPECT_FALSE(alice.session->has_held_message());
  for (const std::string& s : wire_log) EXPECT_EQ(s.find("secret"), std::string::npos);
}

TEST_P(SessionTest, HeldMessageWaitsForTheUserWhenThePeerIsNotTrusted) {
  Party alice(backend(), 0, Policy::Always(), 5), bob(backend(), 1, Policy::Manual(), 6);
  Pump(alice.session->Send(alice.clock.NowSeconds(), "secret plans"), alice, bob);
  EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
  EXPECT_TRUE(bob.seen.empty());
  EXPECT_TRUE(Has(alice, EventType::kNewFingerprint));
  EXPECT_TRUE(Has(alice, EventType::kHeldMessagePending));
  ASSERT_TRUE(alice.session->has_held_message());
  auto sent = alice.session->SendHeldMessage(alice.clock.NowSeconds());
  ASSERT_TRUE(sent.ok());
  EXPECT_TRUE(sent->HasEvent(EventType::kStoredMessageSent));
  Pump(std::move(sent).value(), alice, bob);
  ASSERT_EQ(bob.seen.size(), 1u);
  EXPECT_EQ(bob.seen[0].text, "secret plans");
  EXPECT_FALSE(alice.session->has_held_message());
  EXPECT_EQ(alice.session->SendHeldMessage(alice.clock.NowSeconds()).code(), ErrorCode::kBadState);
}

// The "sent once OTR is running" promise ends visibly (issue 14).
TEST_P(SessionTest, HeldMessageExpiresWithAnEvent) {
  Party alice(backend(), 0, Policy::Always(), 5);
  const uint64_t typed = alice.clock.NowSeconds();
  Output out = alice.session->Send(typed, "secret plans");
  EXPECT_TRUE(out.HasEvent(EventType::kEncryptionRequired));
  ASSERT_TRUE(alice.session->NextTimeout().has_value());
  EXPECT_EQ(*alice.session->NextTimeout(), typed + 61);
  EXPECT_TRUE(alice.session->HandleTimeout(typed + 60).events.empty());
  Output expired = alice.session->HandleTimeout(typed + 61);
  EXPECT_TRUE(expired.HasEvent(EventType::kHeldMessageExpired));
  EXPECT_FALSE(alice.session->has_held_message());
  EXPECT_FALSE(alice.session->NextTimeout().has_value());
}

// Issue 14: a held message reaches exactly one conversation. Two instances
// of Bob answer Alice's query; only the first to go secure may get it.
TEST_P(SessionTest, HeldMessageReachesOneInstanceOnly) {
  Party bob1(backend(), 1, Policy::Manual(), 62);
  Party alice(backend(), 0, Policy::Always(), 63, 0, {{bob1.session->our_fingerprint(), true}});
  Party bob2(backend(), 1, Policy::Manual(), 64);
  Output out = alice.session->Send(alice.clock.NowSeconds(), "only once");
  ASSERT_EQ(out.to_send.size(), 1u);  // the query
  const std::string query = out.to_send[0];
  Pump(std::move(out), alice, bob1);
  Pump(bob2.session->Receive(bob2.clock.NowSeconds(), query), bob2, alice);
  size_t copies = 0;
  for (const auto& seen : {bob1.seen, bob2.seen}) {
    for (const auto& d : seen) copies += d.text == "only once" ? 1 : 0;
  }
  EXPECT_EQ(copies, 1u);
}

TEST_P(SessionTest, WhitespaceTagStartsTheAke) {
  Party alice(backend(), 0, Policy::Opportunistic(), 7),
      bob(backend(), 1, Policy::Opportunistic(), 8);
  Pump(alice.session->Send(alice.clock.NowSeconds(), "hello"), alice, bob);
  ASSERT_FALSE(bob.seen.empty());
  EXPECT_EQ(bob.seen[0].text, "hello");  // tag stripped
  EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob.session->state(), ConversationState::kEncrypted);
}

// Trust after SMP (issue 14): only the asker, or either side of an SMP
// without a question, may mark the peer verified.
TEST_P(SessionTest, SmpResultAuthenticatesOnlyTheAskerOrBothWithoutQuestion) {
  Party alice(backend(), 0, Policy::Manual(), 60), bob(backend(), 1, Policy::Manual(), 61);
  Establish(alice, bob);
  auto find = [](const Party& p, EventType type) -> const Event* {
    for (const Event& e : p.events) {
      if (e.type() == type) return &e;
    }
    return nullptr;
  };
  Pump(alice.session->StartSmp(alice.clock.NowSeconds(), "blue", "favourite colour?"), alice, bob);
  ASSERT_NE(find(bob, EventType::kSmpAskSecret), nullptr);
  EXPECT_TRUE(
      find(bob, EventType::kSmpAskSecret)->As<events::SmpAskSecret>()->question.has_value());
  Pump(bob.session->RespondSmp(bob.clock.NowSeconds(), "blue"), bob, alice);
  ASSERT_NE(find(alice, EventType::kSmpSucceeded), nullptr);
  ASSERT_NE(find(bob, EventType::kSmpSucceeded), nullptr);
  EXPECT_TRUE(
      find(alice, EventType::kSmpSucceeded)->As<events::SmpSucceeded>()->authenticates_peer);
  EXPECT_FALSE(find(bob, EventType::kSmpSucceeded)->As<events::SmpSucceeded>()->authenticates_peer);

  alice.events.clear();
  bob.events.clear();
  Pump(alice.session->StartSmp(alice.clock.NowSeconds(), "shared"), alice, bob);
  ASSERT_NE(find(bob, EventType::kSmpAskSecret), nullptr);
  EXPECT_FALSE(
      find(bob, EventType::kSmpAskSecret)->As<events::SmpAskSecret>()->question.has_value());
  Pump(bob.session->RespondSmp(bob.clock.NowSeconds(), "shared"), bob, alice);
  EXPECT_TRUE(
      find(alice, EventType::kSmpSucceeded)->As<events::SmpSucceeded>()->authenticates_peer);
  EXPECT_TRUE(find(bob, EventType::kSmpSucceeded)->As<events::SmpSucceeded>()->authenticates_peer);
}

TEST_P(SessionTest, VersionTwoWhenThePeerOnlySpeaksTwo) {
  Policy v2_only = Policy::Manual();
  v2_only.allow_v3 = false;
  Party alice(backend(), 0, Policy::Manual(), 9), bob(backend(), 1, v2_only, 10);
  Establish(alice, bob);
  EXPECT_EQ(alice.session->version(), 2);
  EXPECT_EQ(bob.session->version(), 2);
  Pump(alice.session->Send(alice.clock.NowSeconds(), "over v2"), alice, bob);
  EXPECT_EQ(bob.seen.back().text, "over v2");
}

// Issue 15: version 4 on the wire is classified and reported as a version
// we do not speak yet (kUnsupportedVersion), never as garbage.
TEST_P(SessionTest, VersionFourOnTheWireIsReportedAsUnsupported) {
  Party bob(backend(), 1, Policy::Manual(), 70);
  const uint64_t now = bob.clock.NowSeconds();
  auto version_of = [](const Output& out) -> int {
    const events::UnsupportedVersion* u = out.Find<events::UnsupportedVersion>();
    return u == nullptr ? 0 : u->version;
  };
  Output query = bob.session->Receive(now, "?OTRv4? let us talk");
  EXPECT_EQ(version_of(query), 4);
  EXPECT_TRUE(query.to_send.empty());
  // A query that also offers a version we speak starts the AKE instead.
  Output both = bob.session->Receive(now, "?OTRv34?");
  EXPECT_EQ(version_of(both), 0);
  EXPECT_EQ(both.to_send.size(), 1u);

  Party carol(backend(), 1, Policy::Manual(), 71);
  const std::string tag =
      std::string(wire::kWhitespaceTagBase) + std::string(wire::kWhitespaceTagV4);
  Output tagged = carol.session->Receive(now, "hello" + tag);
  EXPECT_EQ(version_of(tagged), 4);
  ASSERT_EQ(tagged.display.size(), 1u);
  EXPECT_EQ(tagged.display[0].text, "hello");

  // An Identity Message (protocol version 0x0004, type 0x35).
  Output header =
      carol.session->Receive(now, wire::EncodeArmor(Bytes{0x00, 0x04, 0x35, 0x00, 0x00, 0x01}));
  EXPECT_EQ(version_of(header), 4);
  EXPECT_FALSE(header.HasEvent(EventType::kMalformedMessage));

  // v4 fragments reassemble in any order, then report the whole message.
  const std::string whole = wire::EncodeArmor(Bytes{0x00, 0x04, 0x35, 0x01, 0x02, 0x03, 0x04});
  char first[200], second[200];
  const size_t half = whole.size() / 2;
  std::snprintf(first, sizeof first, "?OTR|%08x|%08x|%08x,%05u,%05u,%s,", 0x1234u, 0x5a73a599u,
                carol.session->our_tag(), 1u, 2u, whole.substr(0, half).c_str());
  std::snprintf(second, sizeof second, "?OTR|%08x|%08x|%08x,%05u,%05u,%s,", 0x1234u, 0x5a73a599u,
                carol.session->our_tag(), 2u, 2u, whole.substr(half).c_str());
  Output later = carol.session->Receive(now, second);
  EXPECT_TRUE(later.events.empty());
  // A plaintext in between does not discard v4 buffers (v4 "Receiving Fragments").
  carol.session->Receive(now, "an aside");
  Output done = carol.session->Receive(now, first);
  EXPECT_EQ(version_of(done), 4);
  EXPECT_FALSE(done.HasEvent(EventType::kMalformedMessage));
}

// Issue 14 (found with otr chat): the peer restarts mid-session with a new
// instance tag and asks for OTR again. The query names no instance, so our
// master answers it to every instance; the restarted peer completes the
// AKE, and its new instance becomes the one we talk to.
TEST_P(SessionTest, ARestartedPeerCanStartOtrAgain) {
  Party alice(backend(), 0, Policy::Manual(), 72), bob(backend(), 1, Policy::Manual(), 73);
  Establish(alice, bob);
  const wire::InstanceTag old_bob = bob.session->our_tag();
  ASSERT_EQ(alice.session->selected_instance(), old_bob);
  Party bob_again(backend(), 1, Policy::Manual(), 74);  // same key, new tag
  ASSERT_NE(bob_again.session->our_tag(), old_bob);
  Pump(bob_again.session->StartOtr(bob_again.clock.NowSeconds()), bob_again, alice);
  EXPECT_EQ(bob_again.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice.session->selected_instance(), bob_again.session->our_tag());
  EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
  Pump(alice.session->Send(alice.clock.NowSeconds(), "welcome back"), alice, bob_again);
  ASSERT_FALSE(bob_again.seen.empty());
  EXPECT_EQ(bob_again.seen.back().text, "welcome back");
  EXPECT_TRUE(bob_again.seen.back().encrypted);
}

TEST_P(SessionTest, SmpSucceedsWithEqualSecretsAndFailsOtherwise) {
  Party alice(backend(), 0, Policy::Manual(), 11), bob(backend(), 1, Policy::Manual(), 12);
  Establish(alice, bob);
  Pump(alice.session->StartSmp(alice.clock.NowSeconds(), "blue", "favourite colour?"), alice, bob);
  ASSERT_TRUE(Has(bob, EventType::kSmpAskSecret));
  EXPECT_EQ(bob.events.back().As<events::SmpAskSecret>()->question, "favourite colour?");
  Pump(bob.session->RespondSmp(bob.clock.NowSeconds(), "blue"), bob, alice);
  EXPECT_TRUE(Has(alice, EventType::kSmpSucceeded));
  EXPECT_TRUE(Has(bob, EventType::kSmpSucceeded));

  alice.events.clear();
  bob.events.clear();
  Pump(alice.session->StartSmp(alice.clock.NowSeconds(), "blue"), alice, bob);
  Pump(bob.session->RespondSmp(bob.clock.NowSeconds(), "green"), bob, alice);
  EXPECT_TRUE(Has(alice, EventType::kSmpFailed));
  EXPECT_TRUE(Has(bob, EventType::kSmpFailed));
  // The conversation goes on.
  Pump(alice.session->Send(alice.clock.NowSeconds(), "still here"), alice, bob);
  EXPECT_EQ(bob.seen.back().text, "still here");
}

TEST_P(SessionTest, SmpAbortResetsBothSides) {
  Party alice(backend(), 0, Policy::Manual(), 13), bob(backend(), 1, Policy::Manual(), 14);
  Establish(alice, bob);
  Pump(alice.session->StartSmp(alice.clock.NowSeconds(), "x"), alice, bob);
  Pump(bob.session->AbortSmp(bob.clock.NowSeconds()), bob, alice);
  EXPECT_TRUE(Has(alice, EventType::kSmpAborted));
  EXPECT_EQ(alice.session->view().smp, SmpProgress::kIdle);
}

TEST_P(SessionTest, FragmentsAtAnIrcSizedLimit) {
  Party alice(backend(), 0, Policy::Manual(), 15, 400),
      bob(backend(), 1, Policy::Manual(), 16, 400);
  Establish(alice, bob);
  const std::string long_text(3000, 'x');
  wire_log.clear();
  Pump(alice.session->Send(alice.clock.NowSeconds(), long_text), alice, bob);
  EXPECT_EQ(bob.seen.back().text, long_text);
  EXPECT_GT(wire_log.size(), 5u);
  for (const std::string& s : wire_log) EXPECT_LE(s.size(), 400u);
}

TEST_P(SessionTest, ExtraSymmetricKeyIsSharedWithoutBeingSent) {
  Party alice(backend(), 0, Policy::Manual(), 17), bob(backend(), 1, Policy::Manual(), 18);
  Establish(alice, bob);
  auto out = alice.session->UseExtraSymmetricKey(alice.clock.NowSeconds(), 7, AsBytes("file.txt"));
  ASSERT_TRUE(out.ok());
  const Event* ours = nullptr;
  for (const Event& e : out->events) {
    if (e.type() == EventType::kExtraSymmetricKey) ours = &e;
  }
  ASSERT_NE(ours, nullptr);
  const crypto::SecretBytes key = ours->As<events::ExtraSymmetricKey>()->key;
  Pump(std::move(out).value(), alice, bob);
  const Event* theirs = nullptr;
  for (const Event& e : bob.events) {
    if (e.type() == EventType::kExtraSymmetricKey) theirs = &e;
  }
  ASSERT_NE(theirs, nullptr);
  EXPECT_EQ(theirs->As<events::ExtraSymmetricKey>()->use, 7u);
  EXPECT_EQ(theirs->As<events::ExtraSymmetricKey>()->use_data, ToBytes("file.txt"));
  EXPECT_EQ(theirs->As<events::ExtraSymmetricKey>()->key, key);
  EXPECT_EQ(key.size(), 32u);
}

TEST_P(SessionTest, TamperedDataIsReportedAndTheSessionSurvives) {
  Party alice(backend(), 0, Policy::Manual(), 19), bob(backend(), 1, Policy::Manual(), 20);
  Establish(alice, bob);
  Output out = alice.session->Send(alice.clock.NowSeconds(), "original");
  ASSERT_EQ(out.to_send.size(), 1u);
  std::string tampered = out.to_send[0];
  tampered[40] = tampered[40] == 'A' ? 'B' : 'A';
  Output reply = bob.session->Receive(bob.clock.NowSeconds(), tampered);
  EXPECT_TRUE(reply.HasEvent(EventType::kUndecryptable) ||
              reply.HasEvent(EventType::kMalformedMessage));
  EXPECT_EQ(bob.session->state(), ConversationState::kEncrypted);
  Pump(std::move(out), alice, bob);
  EXPECT_EQ(bob.seen.back().text, "original");
  EXPECT_EQ(bob.session->state(), ConversationState::kEncrypted);
}

TEST_P(SessionTest, MessagesForAnotherInstanceAreIgnored) {
  Party alice(backend(), 0, Policy::Manual(), 21), bob(backend(), 1, Policy::Manual(), 22),
      carol(backend(), 1, Policy::Manual(), 23);  // Bob's second login
  Establish(alice, bob);
  Output out = alice.session->Send(alice.clock.NowSeconds(), "for bob's first login");
  Output at_carol = carol.session->Receive(carol.clock.NowSeconds(), out.to_send.at(0));
  EXPECT_TRUE(at_carol.HasEvent(EventType::kOtherInstance));
  EXPECT_TRUE(at_carol.display.empty());
  EXPECT_TRUE(at_carol.to_send.empty());
}

TEST_P(SessionTest, VersionOnePolicyIsRefused) {
  DeterministicRandom random(1);
  FakeClock clock;
  SessionConfig config;
  config.backend = &backend();
  config.identity.dsa = &testing::CachedDsaKey(backend(), 0);
  config.policy.allow_v1 = true;
  EXPECT_EQ(Session::Create(config, random).code(), ErrorCode::kUnsupportedVersion);
}

TEST_P(SessionTest, PlaintextWhileEncryptedIsFlagged) {
  Party alice(backend(), 0, Policy::Manual(), 24), bob(backend(), 1, Policy::Manual(), 25);
  Establish(alice, bob);
  Output out = bob.session->Receive(bob.clock.NowSeconds(), "an unencrypted aside");
  ASSERT_EQ(out.display.size(), 1u);
  EXPECT_FALSE(out.display[0].encrypted);
  EXPECT_TRUE(out.HasEvent(EventType::kUnencryptedReceived));
}

TEST_P(SessionTest, StoredTrustIsReported) {
  Party bob(backend(), 1, Policy::Manual(), 31);
  const store::Fingerprint bob_fp = bob.session->our_fingerprint();
  Party alice(backend(), 0, Policy::Manual(), 30, 0, {{bob_fp, true}});
  Establish(alice, bob);
  const Event* secure = nullptr;
  for (const Event& e : alice.events) {
    if (e.type() == EventType::kWentSecure) secure = &e;
  }
  ASSERT_NE(secure, nullptr);
  EXPECT_EQ(secure->As<events::WentSecure>()->trust, Trust::kTrusted);
  EXPECT_EQ(secure->As<events::WentSecure>()->fingerprint, store::FingerprintToHuman(bob_fp));
  EXPECT_FALSE(Has(alice, EventType::kNewFingerprint));
  EXPECT_TRUE(Has(bob, EventType::kNewFingerprint));
}

TEST_P(SessionTest, HeartbeatAfterSilence) {
  Party alice(backend(), 0, Policy::Manual(), 32), bob(backend(), 1, Policy::Manual(), 33);
  Establish(alice, bob);
  bob.clock.now += 61;  // Bob has sent nothing for more than a minute
  Output out = alice.session->Send(alice.clock.NowSeconds(), "anyone?");
  Output reply = bob.session->Receive(bob.clock.NowSeconds(), out.to_send.at(0));
  ASSERT_EQ(reply.to_send.size(), 1u);  // the heartbeat
  Output at_alice = alice.session->Receive(alice.clock.NowSeconds(), reply.to_send[0]);
  EXPECT_TRUE(at_alice.display.empty());  // "should not be displayed to the user"
  EXPECT_TRUE(at_alice.events.empty());
  // Within the minute, no second heartbeat.
  Output again =
      bob.session->Receive(bob.clock.NowSeconds(),
                           alice.session->Send(alice.clock.NowSeconds(), "still?").to_send.at(0));
  EXPECT_TRUE(again.to_send.empty());
}

TEST_P(SessionTest, ReplayedDataIsRefusedAndTheSessionGoesOn) {
  Party alice(backend(), 0, Policy::Manual(), 34), bob(backend(), 1, Policy::Manual(), 35);
  Establish(alice, bob);
  Output out = alice.session->Send(alice.clock.NowSeconds(), "once");
  const std::string wire = out.to_send.at(0);
  Pump(std::move(out), alice, bob);
  Output replay = bob.session->Receive(bob.clock.NowSeconds(), wire);
  EXPECT_TRUE(replay.HasEvent(EventType::kUndecryptable));
  EXPECT_TRUE(replay.display.empty());
  ASSERT_EQ(replay.to_send.size(), 1u);  // "reply with an Error Message"
  EXPECT_EQ(replay.to_send[0].rfind("?OTR Error:", 0), 0u);
  Pump(alice.session->Send(alice.clock.NowSeconds(), "twice"), alice, bob);
  EXPECT_EQ(bob.seen.back().text, "twice");
}

TEST_P(SessionTest, UnreadableMessagesFlaggedIgnoreUnreadableAreIgnored) {
  Party alice(backend(), 0, Policy::Manual(), 36), bob(backend(), 1, Policy::Manual(), 37);
  Establish(alice, bob);
  // The disconnect message carries IGNORE_UNREADABLE; break its MAC.
  Output end = alice.session->EndOtr(alice.clock.NowSeconds());
  std::string tampered = end.to_send.at(0);
  const size_t at = tampered.size() - 10;
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  Output reply = bob.session->Receive(bob.clock.NowSeconds(), tampered);
  EXPECT_TRUE(reply.to_send.empty());
  EXPECT_FALSE(reply.HasEvent(EventType::kUndecryptable));
  EXPECT_EQ(bob.session->state(), ConversationState::kEncrypted);
}

TEST_P(SessionTest, ErrorMessageStartsTheAkeUnderErrorStartAke) {
  Party alice(backend(), 0, Policy::Opportunistic(), 38);
  Output out = alice.session->Receive(alice.clock.NowSeconds(),
                                      "?OTR Error: You sent encrypted data I cannot read");
  ASSERT_TRUE(out.HasEvent(EventType::kErrorReceived));
  ASSERT_EQ(out.to_send.size(), 1u);
  EXPECT_EQ(out.to_send[0].rfind("?OTRv23?", 0), 0u);
  Party manual(backend(), 0, Policy::Manual(), 39);
  EXPECT_TRUE(manual.session->Receive(manual.clock.NowSeconds(), "?OTR Error: x").to_send.empty());
}

TEST_P(SessionTest, OutOfOrderSmpMessageIsAnsweredWithAbort) {
  Party alice(backend(), 0, Policy::Manual(), 40), bob(backend(), 1, Policy::Manual(), 41);
  Establish(alice, bob);
  Output smp1 = alice.session->StartSmp(alice.clock.NowSeconds(), "s");
  Output at_bob = bob.session->Receive(bob.clock.NowSeconds(), smp1.to_send.at(0));
  ASSERT_TRUE(at_bob.HasEvent(EventType::kSmpAskSecret));
  Output smp2 = bob.session->RespondSmp(bob.clock.NowSeconds(), "s");
  alice.session->AbortSmp(alice.clock.NowSeconds());  // Alice gives up before Bob's reply arrives
  Output at_alice = alice.session->Receive(alice.clock.NowSeconds(), smp2.to_send.at(0));
  EXPECT_EQ(at_alice.to_send.size(), 1u);  // SMP abort
  EXPECT_EQ(alice.session->view().smp, SmpProgress::kIdle);
  Output at_bob2 = bob.session->Receive(bob.clock.NowSeconds(), at_alice.to_send.at(0));
  EXPECT_TRUE(at_bob2.HasEvent(EventType::kSmpAborted));
  EXPECT_EQ(bob.session->view().smp, SmpProgress::kIdle);
}

TEST_P(SessionTest, EstablishedSessionSurvivesGarbageAndReplays) {
  Party alice(backend(), 0, Policy::Manual(), 42), bob(backend(), 1, Policy::Manual(), 43);
  Establish(alice, bob);
  Pump(alice.session->Send(alice.clock.NowSeconds(), "before"), alice, bob);
  const std::vector<std::string> transcript = wire_log;
  const uint32_t keyid = SelectedV3ForTesting(*bob.session)->keys()->our_keyid();
  DeterministicRandom noise(99);
  auto byte = [&] {
    uint8_t b;
    noise.Fill(MutableByteView(&b, 1));
    return b;
  };
  for (int i = 0; i < 400; ++i) {
    std::string input;
    switch (byte() % 6) {
      case 0:  // replay anything seen so far (AKE and data messages)
        input = transcript[byte() % transcript.size()];
        break;
      case 1: {  // a real message with one byte changed
        input = transcript[byte() % transcript.size()];
        if (!input.empty()) input[byte() % input.size()] = static_cast<char>(byte());
        break;
      }
      case 2: {  // a truncated real message
        input = transcript[byte() % transcript.size()];
        input.resize(byte() % (input.size() + 1));
        break;
      }
      case 3:  // random bytes behind the armour marker
        input = "?OTR:";
        for (int n = byte(); n > 0; --n)
          input += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="[byte() % 65];
        input += ".";
        break;
      case 4:  // fragment-shaped noise
        input = "?OTR|" + std::to_string(byte()) + "|" + std::to_string(byte()) + "," +
                std::to_string(byte() % 3) + "," + std::to_string(byte() % 3) + ",x,";
        break;
      default:  // raw bytes
        for (int n = byte(); n > 0; --n) input += static_cast<char>(byte());
    }
    Output out = bob.session->Receive(bob.clock.NowSeconds(), input);
    for (const Displayed& d : out.display) EXPECT_FALSE(d.encrypted) << "garbage decrypted";
    ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
  }
  EXPECT_EQ(SelectedV3ForTesting(*bob.session)->keys()->our_keyid(), keyid);
  Pump(alice.session->Send(alice.clock.NowSeconds(), "after"), alice, bob);
  EXPECT_EQ(bob.seen.back().text, "after");
  Pump(bob.session->Send(bob.clock.NowSeconds(), "reply"), bob, alice);
  EXPECT_EQ(alice.seen.back().text, "reply");
}

TEST_P(SessionTest, DeliveredMessagesAreNotResentByANewAke) {
  Party alice(backend(), 0, Policy::Manual(), 46), bob(backend(), 1, Policy::Manual(), 47);
  Establish(alice, bob);
  Pump(alice.session->Send(alice.clock.NowSeconds(), "only once"), alice, bob);
  const size_t seen = bob.seen.size();
  Pump(bob.session->StartOtr(bob.clock.NowSeconds()), bob, alice);  // a fresh AKE while encrypted
  EXPECT_EQ(bob.seen.size(), seen);
  EXPECT_FALSE(Has(alice, EventType::kStoredMessageSent));
}

TEST_P(SessionTest, UnreadableMessageIsResentAfterTheErrorRestartsTheAke) {
  Policy policy = Policy::Manual();
  policy.error_start_ake = true;
  Party alice(backend(), 0, policy, 48), bob(backend(), 1, Policy::Manual(), 49);
  Establish(alice, bob);
  // Bob loses his session (his client restarted; it keeps its instance tag,
  // as libotr's instag file does) and cannot read Alice.
  Party bob2(backend(), 1, Policy::Manual(), 50, 0, {}, bob.session->our_tag());
  Pump(alice.session->Send(alice.clock.NowSeconds(), "did you get this?"), alice, bob2);
  EXPECT_TRUE(Has(alice, EventType::kStoredMessageSent));
  EXPECT_EQ(bob2.session->state(), ConversationState::kEncrypted);
  ASSERT_FALSE(bob2.seen.empty());
  EXPECT_EQ(bob2.seen.back().text, "did you get this?");
  EXPECT_TRUE(bob2.seen.back().encrypted);
}

TEST(SessionCrossBackendTest, OneSideOnEachBackend) {
  const auto backends = crypto::AllBackends();
  ASSERT_EQ(backends.size(), 2u);
  Party alice(*backends[0], 0, Policy::Manual(), 44), bob(*backends[1], 1, Policy::Manual(), 45);
  Pump(alice, bob, alice.session->StartOtr(alice.clock.NowSeconds()));
  ASSERT_EQ(alice.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(bob.session->state(), ConversationState::kEncrypted);
  for (int i = 0; i < 3; ++i) {
    Pump(alice, bob, alice.session->Send(alice.clock.NowSeconds(), "a" + std::to_string(i)));
    Pump(bob, alice, bob.session->Send(bob.clock.NowSeconds(), "b" + std::to_string(i)));
  }
  EXPECT_EQ(bob.seen.back().text, "a2");
  EXPECT_EQ(alice.seen.back().text, "b2");
  Pump(alice, bob, alice.session->StartSmp(alice.clock.NowSeconds(), "same"));
  Pump(bob, alice, bob.session->RespondSmp(bob.clock.NowSeconds(), "same"));
  bool alice_ok = false, bob_ok = false;
  for (const Event& e : alice.events) alice_ok |= e.type() == EventType::kSmpSucceeded;
  for (const Event& e : bob.events) bob_ok |= e.type() == EventType::kSmpSucceeded;
  EXPECT_TRUE(alice_ok && bob_ok);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(SessionTest);

}  // namespace
}  // namespace otr
