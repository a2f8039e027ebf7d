// Two v4::Conversations (no Session) on every pair of backends (both on
// one, and one side on each): the interactive DAKE both ways and a
// simultaneous start, data messages both ways with the ratchet turning,
// out-of-order delivery, SMP, the extra symmetric key, the end, session
// expiration, heartbeats, garbage, and a replayed Identity message
// (decision 0010).
#include "protocol/v4/engine/conversation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/classify.h"
#include "tests/v4/engine/helpers.h"
#include "tests/v4/engine/net.h"
#include "tests/v4/engine/peer.h"

namespace otr::v4 {
namespace {

using testing::AllBackendPairs;
using testing::BackendPair;
using testing::Count;
using testing::MakePeer;
using testing::Net;
using testing::Peer;
using testing::Texts;
using testing::V4Policy;

constexpr wire::InstanceTag kAliceTag = 0x1111'0001;
constexpr wire::InstanceTag kBobTag = 0x2222'0002;
constexpr int kAlice = 0;
constexpr int kBob = 1;

// What a ratchet holds, to compare before and after.
struct RatchetSnapshot {
  std::vector<Bytes> secrets;
  uint32_t i = 0, j = 0, k = 0, pn = 0;
  size_t stored = 0;
  friend bool operator==(const RatchetSnapshot&, const RatchetSnapshot&) = default;
};

RatchetSnapshot Snapshot(const Conversation& c) {
  RatchetSnapshot s;
  const ratchet::Ratchet* r = c.ratchet();
  if (r == nullptr) return s;
  for (const crypto::SecretBytes* secret : r->HeldSecrets()) {
    s.secrets.emplace_back(secret->view().begin(), secret->view().end());
  }
  s.i = r->state().i;
  s.j = r->state().j;
  s.k = r->state().k;
  s.pn = r->state().pn;
  s.stored = r->stored_key_count();
  return s;
}

class V4ConversationTest : public ::testing::TestWithParam<BackendPair> {
 protected:
  explicit V4ConversationTest(V4Mode mode = V4Mode::kV4Standalone,
                              const ConversationConfig& base = {})
      : alice_(MakePeer(*GetParam().first, 1, kAliceTag, kBobTag, V4Policy(mode), base)),
        bob_(MakePeer(*GetParam().second, 2, kBobTag, kAliceTag, V4Policy(mode), base)),
        net_(alice_, bob_) {}

  Conversation& alice() { return *alice_.conversation; }
  Conversation& bob() { return *bob_.conversation; }

  // Alice starts (an Identity message in the v4-only modes); both secure.
  void Establish() {
    net_.Act(kAlice, [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
      c.Start(o, r, now);
    });
    net_.Run();
    ASSERT_EQ(alice().state(), ProtocolState::kEncrypted);
    ASSERT_EQ(bob().state(), ProtocolState::kEncrypted);
  }
  void Send(int who, const std::string& text) {
    net_.Act(who, [&](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
      c.Send(text, o, r, now);
    });
  }

  Peer alice_;
  Peer bob_;
  Net net_;
};

TEST_P(V4ConversationTest, InteractiveDakeMakesBothSidesSecure) {
  Establish();
  // Alice sent the Identity message and the Auth-I; Bob the Auth-R.
  ASSERT_EQ(net_.sent[kAlice].size(), 2u);
  ASSERT_EQ(net_.sent[kBob].size(), 1u);
  EXPECT_EQ(alice().ssid(), bob().ssid());
  EXPECT_NE(alice().ssid(), (std::array<uint8_t, 8>{}));
  ASSERT_TRUE(alice().their_fingerprint() && bob().their_fingerprint());
  const Fingerprint bob_fp =
      ComputeFingerprint(*bob_.backend, bob_.identity->long_term.pub, bob_.identity->forging_key);
  EXPECT_EQ(*alice().their_fingerprint(), bob_fp);
  const auto* secure = net_.seen[kAlice].Find<events::WentSecure>();
  ASSERT_NE(secure, nullptr);
  EXPECT_EQ(secure->fingerprint, FingerprintToHuman(bob_fp));
  EXPECT_EQ(Count(net_.seen[kBob], EventType::kWentSecure), 1u);
}

// "Secure Session ID": the Auth-R's sender shows the first 4 bytes in
// bold, the Auth-I's sender the second 4; whoever started.
TEST_P(V4ConversationTest, SsidBoldHalfFollowsWhoSentAuthR) {
  EXPECT_FALSE(alice().ssid_first_half_bold());
  Establish();  // Alice: Identity and Auth-I; Bob: Auth-R
  EXPECT_TRUE(bob().ssid_first_half_bold());
  EXPECT_FALSE(alice().ssid_first_half_bold());
  // A new DAKE started by Bob turns it round.
  net_.Act(kBob, [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
    c.StartInteractive(o, r, now);
  });
  net_.Run();
  ASSERT_EQ(alice().state(), ProtocolState::kEncrypted);
  EXPECT_TRUE(alice().ssid_first_half_bold());
  EXPECT_FALSE(bob().ssid_first_half_bold());
}

TEST_P(V4ConversationTest, BothSidesCanStart) {
  net_.Act(kBob, [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
    c.StartInteractive(o, r, now);
  });
  net_.Run();
  EXPECT_EQ(alice().state(), ProtocolState::kEncrypted);
  EXPECT_EQ(bob().state(), ProtocolState::kEncrypted);
  EXPECT_EQ(alice().ssid(), bob().ssid());
}

// "You and the other participant have sent Identity messages to each
// other": the higher hashed B keeps its Identity message, the other answers.
TEST_P(V4ConversationTest, SimultaneousStartSettlesOnOneDake) {
  Output a, b;
  alice().StartInteractive(a, *alice_.random, net_.now);
  bob().StartInteractive(b, *bob_.random, net_.now);
  net_.Take(kAlice, a);
  net_.Take(kBob, b);
  net_.Run();
  EXPECT_EQ(alice().state(), ProtocolState::kEncrypted);
  EXPECT_EQ(bob().state(), ProtocolState::kEncrypted);
  EXPECT_EQ(alice().ssid(), bob().ssid());
  EXPECT_EQ(Count(net_.seen[kAlice], EventType::kWentSecure), 1u);
  EXPECT_EQ(Count(net_.seen[kBob], EventType::kWentSecure), 1u);
}

TEST_P(V4ConversationTest, MessagesBothWaysTurnTheRatchet) {
  Establish();
  net_.Clear();
  std::vector<std::string> to_bob, to_alice;
  uint32_t last_i = alice().ratchet()->state().i;
  for (int round = 0; round < 4; ++round) {
    for (int n = 0; n <= round % 2; ++n) {
      to_bob.push_back("a" + std::to_string(round) + "." + std::to_string(n));
      Send(kAlice, to_bob.back());
    }
    net_.Run();
    to_alice.push_back("b" + std::to_string(round));
    Send(kBob, to_alice.back());
    net_.Run();
    // A change of direction is a new ratchet.
    EXPECT_GT(alice().ratchet()->state().i, last_i);
    last_i = alice().ratchet()->state().i;
  }
  EXPECT_EQ(Texts(net_.seen[kBob]), to_bob);
  EXPECT_EQ(Texts(net_.seen[kAlice]), to_alice);
  for (const Displayed& d : net_.seen[kBob].display) EXPECT_TRUE(d.encrypted);
  EXPECT_EQ(Count(net_.seen[kBob], EventType::kUndecryptable), 0u);
}

// Reordered and duplicated delivery: each message read once; the duplicate
// is unreadable ("a duplicated message which key has already been used").
TEST_P(V4ConversationTest, OutOfOrderMessagesAreReadOnce) {
  Establish();
  net_.Clear();
  for (int n = 0; n < 5; ++n) Send(kAlice, "m" + std::to_string(n));
  std::vector<std::string> wire;
  for (auto& [to, text] : net_.wire) wire.push_back(text);
  net_.wire.clear();
  std::reverse(wire.begin(), wire.end());
  for (const std::string& text : wire) net_.DeliverTo(kBob, text);
  net_.DeliverTo(kBob, wire.front());  // a replay
  std::vector<std::string> read = Texts(net_.seen[kBob]);
  EXPECT_EQ(read, (std::vector<std::string>{"m4", "m3", "m2", "m1", "m0"}));
  EXPECT_EQ(Count(net_.seen[kBob], EventType::kUndecryptable), 1u);
  // ... answered with ERROR_1.
  ASSERT_EQ(net_.wire.size(), 1u);
  EXPECT_NE(net_.wire.front().second.find("ERROR_1"), std::string::npos);
}

void RunSmp(Net& net, const std::string& a_secret, const std::string& b_secret,
            std::optional<std::string> question) {
  net.Act(kAlice, [&](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
    c.StartSmp(a_secret, question, o, r, now);
  });
  net.Run();
  net.Act(kBob, [&](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
    c.RespondSmp(b_secret, o, r, now);
  });
  net.Run();
}

TEST_P(V4ConversationTest, SmpWithTheSameSecretSucceeds) {
  Establish();
  net_.Clear();
  RunSmp(net_, "swordfish", "swordfish", std::nullopt);
  EXPECT_NE(net_.seen[kAlice].Find<events::SmpSucceeded>(), nullptr);
  EXPECT_NE(net_.seen[kBob].Find<events::SmpSucceeded>(), nullptr);
  EXPECT_EQ(alice().smp_state(), otr::smp::SmpState::kExpect1);
}

TEST_P(V4ConversationTest, SmpWithDifferentSecretsFails) {
  Establish();
  net_.Clear();
  RunSmp(net_, "swordfish", "haddock", std::nullopt);
  EXPECT_NE(net_.seen[kAlice].Find<events::SmpFailed>(), nullptr);
  EXPECT_NE(net_.seen[kBob].Find<events::SmpFailed>(), nullptr);
}

TEST_P(V4ConversationTest, SmpCarriesTheQuestion) {
  Establish();
  net_.Clear();
  RunSmp(net_, "blue", "blue", std::string("favourite colour?"));
  const auto* ask = net_.seen[kBob].Find<events::SmpAskSecret>();
  ASSERT_NE(ask, nullptr);
  EXPECT_EQ(ask->question, std::optional<std::string>("favourite colour?"));
  const auto* alice_result = net_.seen[kAlice].Find<events::SmpSucceeded>();
  const auto* bob_result = net_.seen[kBob].Find<events::SmpSucceeded>();
  ASSERT_NE(alice_result, nullptr);
  ASSERT_NE(bob_result, nullptr);
  EXPECT_TRUE(alice_result->authenticates_peer);
  EXPECT_FALSE(bob_result->authenticates_peer);
}

TEST_P(V4ConversationTest, SmpAbort) {
  Establish();
  net_.Clear();
  net_.Act(kAlice, [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
    c.StartSmp("secret", std::nullopt, o, r, now);
  });
  net_.Run();
  EXPECT_TRUE(bob().smp_awaiting_secret());
  net_.Act(kBob, [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
    c.AbortSmp(o, r, now);
  });
  net_.Run();
  EXPECT_NE(net_.seen[kAlice].Find<events::SmpAborted>(), nullptr);
  EXPECT_EQ(alice().smp_state(), otr::smp::SmpState::kExpect1);
  EXPECT_EQ(bob().smp_state(), otr::smp::SmpState::kExpect1);
}

TEST_P(V4ConversationTest, ExtraSymmetricKeyIsTheSameOnBothSides) {
  Establish();
  net_.Clear();
  const Bytes use_data = {1, 2, 3};
  Output out;
  ASSERT_TRUE(alice().UseExtraSymmetricKey(0x42, use_data, out, *alice_.random, net_.now).ok());
  net_.Take(kAlice, out);
  net_.Run();
  const auto* ours = net_.seen[kAlice].Find<events::ExtraSymmetricKey>();
  const auto* theirs = net_.seen[kBob].Find<events::ExtraSymmetricKey>();
  ASSERT_NE(ours, nullptr);
  ASSERT_NE(theirs, nullptr);
  EXPECT_EQ(theirs->use, 0x42u);
  EXPECT_EQ(theirs->use_data, use_data);
  EXPECT_EQ(ours->key.size(), 64u);
  EXPECT_TRUE(ours->key == theirs->key);
}

std::vector<const events::ExtraSymmetricKey*> ExtraKeys(const Output& out) {
  std::vector<const events::ExtraSymmetricKey*> keys;
  for (const Event& e : out.events) {
    if (const auto* k = e.As<events::ExtraSymmetricKey>()) keys.push_back(k);
  }
  return keys;
}

// "Extra Symmetric Key": several TLV 7 in one Data Message; the first gets
// the message's key, each further one KDF(index || context || previous, 64).
TEST_P(V4ConversationTest, SeveralExtraSymmetricKeysInOneMessage) {
  Establish();
  net_.Clear();
  const std::vector<ExtraKeyUse> uses = {{0x42, {1}}, {0x104A, {}}, {0x0001, {2, 3}}};
  Output out;
  ASSERT_TRUE(alice().UseExtraSymmetricKeys(uses, out, *alice_.random, net_.now).ok());
  net_.Take(kAlice, out);
  ASSERT_EQ(net_.wire.size(), 1u);  // one Data Message
  net_.Run();
  const auto ours = ExtraKeys(net_.seen[kAlice]);
  const auto theirs = ExtraKeys(net_.seen[kBob]);
  ASSERT_EQ(ours.size(), 3u);
  ASSERT_EQ(theirs.size(), 3u);
  for (uint32_t n = 0; n < 3; ++n) {
    EXPECT_EQ(ours[n]->index, n);
    EXPECT_EQ(theirs[n]->index, n);
    EXPECT_EQ(theirs[n]->use, uses[n].use);
    EXPECT_EQ(theirs[n]->use_data, uses[n].use_data);
    EXPECT_TRUE(ours[n]->key == theirs[n]->key);
  }
  EXPECT_TRUE(theirs[1]->key ==
              ratchet::NextExtraSymmetricKey(*bob_.backend, 1, 0x104A, theirs[0]->key));
  EXPECT_TRUE(theirs[2]->key ==
              ratchet::NextExtraSymmetricKey(*bob_.backend, 2, 0x0001, theirs[1]->key));
  EXPECT_FALSE(theirs[0]->key == theirs[1]->key);
  Output none;
  EXPECT_EQ(alice().UseExtraSymmetricKeys({}, none, *alice_.random, net_.now).code(),
            ErrorCode::kTooLarge);
  EXPECT_EQ(alice()
                .UseExtraSymmetricKeys(std::vector<ExtraKeyUse>(11), none, *alice_.random, net_.now)
                .code(),
            ErrorCode::kTooLarge);
}

// The receiver takes the index from the TLV list, other records included
// (the spec's example: TLV 7 at positions 1, 3 and 5), and derives at most
// 10 keys ("only 10 extra symmetric keys can be derived").
TEST_P(V4ConversationTest, ExtraSymmetricKeyIndexIsThePositionInTheTlvList) {
  Establish();
  net_.Clear();
  auto esk = [](uint32_t use) { return *EncodeTlv(Tlv{ExtraSymmetricKey{use, {}}}); };
  std::vector<TlvRecord> tlvs = {
      *EncodeTlv(Tlv{Padding{Bytes{0, 0}}}), esk(0x42),  TlvRecord{0x99, {7}}, esk(0x104A),
      *EncodeTlv(Tlv{Padding{Bytes{0}}}),    esk(0x0001)};
  for (int n = 0; n < 9; ++n) tlvs.push_back(esk(0x100 + n));  // 12 TLV 7 in all
  auto payload = EncodeDataPayload(DataPayload{{}, true, tlvs, {}});
  ASSERT_TRUE(payload.ok());
  // The message Alice's conversation would send next, made on a copy of its ratchet.
  ratchet::Ratchet copy = *alice().ratchet();
  auto sent = copy.Send(net_.now, Header{kAliceTag, kBobTag}, kFlagIgnoreUnreadable, *payload,
                        *alice_.random);
  ASSERT_TRUE(sent.ok());
  net_.DeliverTo(kBob, wire::EncodeArmor(EncodeDataMessage(sent->message)));
  const auto keys = ExtraKeys(net_.seen[kBob]);
  ASSERT_EQ(keys.size(), 10u);
  EXPECT_EQ(keys[0]->index, 1u);
  EXPECT_EQ(keys[1]->index, 3u);
  EXPECT_EQ(keys[2]->index, 5u);
  const crypto::SecretBytes first = sent->extra_symm_key.Derive(*bob_.backend);
  EXPECT_TRUE(keys[0]->key == first);
  const auto k3 = ratchet::NextExtraSymmetricKey(*bob_.backend, 3, 0x104A, first);
  EXPECT_TRUE(keys[1]->key == k3);
  EXPECT_TRUE(keys[2]->key == ratchet::NextExtraSymmetricKey(*bob_.backend, 5, 0x0001, k3));
  EXPECT_EQ(Count(net_.seen[kBob], EventType::kMalformedMessage), 2u);
}

TEST_P(V4ConversationTest, ExtraSymmetricKeyNeedsEncryptedMessages) {
  Output out;
  EXPECT_EQ(alice().UseExtraSymmetricKey(1, {}, out, *alice_.random, net_.now).code(),
            ErrorCode::kBadState);
}

// "User requests to end": TLV 1, START; the peer goes FINISHED and cannot send.
TEST_P(V4ConversationTest, EndSendsDisconnectedAndThePeerFinishes) {
  Establish();
  net_.Clear();
  net_.Act(kAlice,
           [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) { c.End(o, r, now); });
  EXPECT_EQ(alice().state(), ProtocolState::kStart);
  EXPECT_EQ(alice().ratchet(), nullptr);
  net_.Run();
  EXPECT_EQ(bob().state(), ProtocolState::kFinished);
  EXPECT_EQ(bob().ratchet(), nullptr);
  EXPECT_NE(net_.seen[kBob].Find<events::PeerEnded>(), nullptr);
  EXPECT_NE(net_.seen[kAlice].Find<events::WentInsecure>(), nullptr);
  Send(kBob, "anyone there?");
  EXPECT_TRUE(net_.wire.empty());
  EXPECT_NE(net_.seen[kBob].Find<events::CannotSend>(), nullptr);
}

// "Session Expiration": no new ECDH key for the expiration time; TLV 1 with
// the old MAC keys, FINISHED, every key gone.
TEST_P(V4ConversationTest, SessionExpiresWithDisconnected) {
  Establish();
  Send(kAlice, "one");
  net_.Run();
  Send(kBob, "two");
  net_.Run();  // Alice reads "two" and never answers: its MAC key is unrevealed
  net_.Clear();
  ASSERT_TRUE(alice().NextTimeout().has_value());
  net_.now = *alice().NextTimeout() - 1;
  net_.Act(kAlice, [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
    c.HandleTimeout(o, r, now);
  });
  EXPECT_EQ(alice().state(), ProtocolState::kEncrypted);
  EXPECT_TRUE(net_.wire.empty());
  net_.now += 1;
  net_.Act(kAlice, [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
    c.HandleTimeout(o, r, now);
  });
  EXPECT_EQ(alice().state(), ProtocolState::kFinished);
  EXPECT_EQ(alice().ratchet(), nullptr);
  EXPECT_FALSE(alice().NextTimeout().has_value());
  ASSERT_EQ(net_.wire.size(), 1u);
  // The Disconnected message reveals the MAC key of "two".
  auto inbound = wire::Classify(net_.wire.front().second);
  const auto* encoded = std::get_if<wire::UnsupportedMessage>(&inbound);
  ASSERT_NE(encoded, nullptr);
  auto message = DecodeMessage(encoded->message);
  ASSERT_TRUE(message.ok());
  const auto* data = std::get_if<DataMessage>(&*message);
  ASSERT_NE(data, nullptr);
  EXPECT_FALSE(data->revealed_mac_keys.empty());
  EXPECT_NE(data->flags & kFlagIgnoreUnreadable, 0);
  net_.Run();
  EXPECT_EQ(bob().state(), ProtocolState::kFinished);
  EXPECT_NE(net_.seen[kBob].Find<events::PeerEnded>(), nullptr);
}

// "If you have not sent a message to this correspondent in some
// (configurable) time, send a heartbeat message" (IGNORE_UNREADABLE, empty).
TEST_P(V4ConversationTest, HeartbeatAfterSilence) {
  Establish();
  Send(kAlice, "hello");
  net_.Run();
  EXPECT_TRUE(net_.wire.empty());  // Bob sent recently (Auth-R): no heartbeat
  net_.now += 61;
  net_.Clear();
  Send(kAlice, "still there?");
  net_.Run(1);  // Bob reads it
  ASSERT_EQ(net_.wire.size(), 1u);
  net_.Run();
  EXPECT_TRUE(net_.seen[kAlice].display.empty());  // a heartbeat shows nothing
  EXPECT_EQ(Count(net_.seen[kAlice], EventType::kUndecryptable), 0u);
}

// Garbage, corrupted and misaddressed Data Messages never change the
// established keys; the conversation goes on.
TEST_P(V4ConversationTest, GarbageNeverChangesTheKeys) {
  Establish();
  Send(kAlice, "first");
  net_.Run();
  Send(kAlice, "second");
  const std::string good = net_.wire.front().second;
  net_.wire.clear();
  auto inbound = wire::Classify(good);
  const auto* encoded = std::get_if<wire::UnsupportedMessage>(&inbound);
  ASSERT_NE(encoded, nullptr);
  auto decoded = DecodeMessage(encoded->message);
  ASSERT_TRUE(decoded.ok());
  const DataMessage original = std::get<DataMessage>(*decoded);
  std::vector<DataMessage> bad;
  DataMessage m = original;
  m.authenticator[0] ^= 1;  // a wrong MAC
  bad.push_back(m);
  m = original;
  m.encrypted_message[0] ^= 1;  // the MAC covers the ciphertext
  bad.push_back(m);
  m = original;
  m.header.receiver_instance_tag = 0x3333'0003;  // not us
  bad.push_back(m);
  m = original;
  m.ratchet_id += 7;  // a ratchet that does not exist
  bad.push_back(m);
  m = original;
  m.message_id = 100000;  // too many skipped keys
  bad.push_back(m);
  m = original;
  m.flags |= kFlagIgnoreUnreadable;
  m.authenticator[1] ^= 1;
  bad.push_back(m);
  const RatchetSnapshot before = Snapshot(bob());
  net_.Clear();
  for (const DataMessage& b : bad) {
    net_.DeliverTo(kBob, wire::EncodeArmor(EncodeDataMessage(b)));
    EXPECT_EQ(Snapshot(bob()), before);
  }
  for (const std::string& text :
       {std::string("?OTR:AAQD."), std::string("?OTR:AAQ1AAAA."), std::string("?OTR Error: x"),
        std::string("?OTR|00000001|00000100|00000200,1,2,abc,")}) {
    net_.DeliverTo(kBob, text);
    EXPECT_EQ(Snapshot(bob()), before);
  }
  EXPECT_EQ(bob().state(), ProtocolState::kEncrypted);
  EXPECT_TRUE(net_.seen[kBob].display.empty());
  // Five unreadable messages answered with ERROR_1; the flagged one ignored.
  EXPECT_EQ(Count(net_.seen[kBob], EventType::kUndecryptable), 5u);
  net_.wire.clear();
  net_.DeliverTo(kBob, good);
  EXPECT_EQ(Texts(net_.seen[kBob]), (std::vector<std::string>{"second"}));
}

// Decision 0010: anyone can replay Alice's old Identity message to Bob. Bob
// answers it with an Auth-R (the spec's rule), but the conversation stays:
// same SSID, same ratchet, messages both ways, SMP state kept.
TEST_P(V4ConversationTest, ReplayedIdentityNeitherEndsNorDisturbsTheConversation) {
  net_.Act(kAlice,
           [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) { c.Start(o, r, now); });
  const std::string identity = net_.wire.front().second;
  net_.Run();
  ASSERT_EQ(bob().state(), ProtocolState::kEncrypted);
  Send(kAlice, "before");
  net_.Run();
  const auto ssid = bob().ssid();
  const RatchetSnapshot before = Snapshot(bob());
  net_.Clear();
  // The replay: Bob answers with an Auth-R that Alice ignores.
  net_.DeliverTo(kBob, identity);
  EXPECT_EQ(bob().state(), ProtocolState::kEncryptedWaitingAuthI);
  EXPECT_TRUE(bob().encrypted());
  EXPECT_EQ(bob().ssid(), ssid);
  EXPECT_EQ(Snapshot(bob()), before);
  EXPECT_EQ(net_.seen[kBob].Find<events::WentInsecure>(), nullptr);
  EXPECT_EQ(net_.seen[kBob].Find<events::PeerEnded>(), nullptr);
  net_.Run();
  EXPECT_EQ(alice().state(), ProtocolState::kEncrypted);
  // The conversation goes on both ways.
  Send(kAlice, "after");
  net_.Run();
  Send(kBob, "reply");
  net_.Run();
  EXPECT_EQ(Texts(net_.seen[kBob]), (std::vector<std::string>{"after"}));
  EXPECT_EQ(Texts(net_.seen[kAlice]), (std::vector<std::string>{"reply"}));
  // Replayed again and again: nothing changes.
  for (int n = 0; n < 3; ++n) net_.DeliverTo(kBob, identity);
  net_.Run();
  EXPECT_EQ(bob().ssid(), ssid);
  Send(kBob, "still here");
  net_.Run();
  EXPECT_EQ(net_.seen[kAlice].display.back().text, "still here");
}

// A real new DAKE while encrypted switches keys only when it completes.
TEST_P(V4ConversationTest, RefreshSwitchesWhenTheNewDakeCompletes) {
  Establish();
  const auto old_ssid = alice().ssid();
  net_.Clear();
  net_.Act(kBob, [](Conversation& c, Output& o, crypto::Random& r, uint64_t now) {
    c.StartInteractive(o, r, now);
  });
  EXPECT_EQ(bob().state(), ProtocolState::kEncryptedWaitingAuthR);
  EXPECT_EQ(bob().ssid(), old_ssid);
  net_.Run(1);  // Alice gets the Identity message
  EXPECT_EQ(alice().state(), ProtocolState::kEncryptedWaitingAuthI);
  Send(kAlice, "in between");  // still on the old keys
  ASSERT_EQ(net_.wire.size(), 2u);
  std::swap(net_.wire[0], net_.wire[1]);  // Bob reads it before the Auth-R
  net_.Run();
  EXPECT_EQ(Texts(net_.seen[kBob]), (std::vector<std::string>{"in between"}));
  EXPECT_EQ(alice().state(), ProtocolState::kEncrypted);
  EXPECT_EQ(bob().state(), ProtocolState::kEncrypted);
  EXPECT_NE(alice().ssid(), old_ssid);
  EXPECT_EQ(alice().ssid(), bob().ssid());
  Send(kBob, "new keys");
  net_.Run();
  EXPECT_EQ(net_.seen[kAlice].display.back().text, "new keys");
}

// Every transport message above max_message_size goes out in v4 fragments.
class V4FragmentTest : public V4ConversationTest {
 protected:
  V4FragmentTest() : V4ConversationTest(V4Mode::kV4Standalone, Config()) {}
  static ConversationConfig Config() {
    ConversationConfig c;
    c.max_message_size = 300;
    return c;
  }
};

TEST_P(V4FragmentTest, DakeAndMessagesInFragments) {
  Establish();
  for (const std::string& s : net_.sent[kAlice]) EXPECT_LE(s.size(), 300u);
  for (const std::string& s : net_.sent[kBob]) EXPECT_TRUE(s.rfind("?OTR|", 0) == 0);
  net_.Clear();
  Send(kAlice, std::string(500, 'x'));
  net_.Run();
  EXPECT_EQ(Texts(net_.seen[kBob]), (std::vector<std::string>{std::string(500, 'x')}));
}

INSTANTIATE_TEST_SUITE_P(Backends, V4ConversationTest, ::testing::ValuesIn(AllBackendPairs()),
                         testing::BackendPairName);
INSTANTIATE_TEST_SUITE_P(Backends, V4FragmentTest, ::testing::ValuesIn(AllBackendPairs()),
                         testing::BackendPairName);

}  // namespace
}  // namespace otr::v4
