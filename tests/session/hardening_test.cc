// Regression tests for issue 14 (the outside review of the v2/v3 engine),
// each of which failed on the engine before the rewrite (81b9b95):
//   - instances: a new peer instance gets a fresh conversation (no copy of
//     an encrypted master's keys), their number is bounded, only a D-H
//     Commit or D-H Key makes one, and a refused one is reported;
//   - the transition contract: a failing action aborts its row with no
//     state change and no partial output (kActionFailed), in the message
//     table, the AKE and key installation (a fault-injecting backend);
//   - fragmented input is processed once (a new fingerprint stays kNew);
//   - one SMP TLV per Data Message; a new AKE resets SMP; a reflected v2
//     D-H Commit is ignored; Policy::Validate refuses what cannot work.
// Only Output's HasEvent / Find / to_send / display, Session::view() and
// the testing accessor are used.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "crypto/secret_registry.h"
#include "crypto/testing/counting_backend.h"
#include "crypto/testing/deterministic_random.h"
#include "crypto/testing/failing_backend.h"
#include "protocol/session/session.h"
#include "protocol/session/testing.h"
#include "protocol/smp/smp_table.h"
#include "protocol/v3/messages.h"
#include "protocol/v3/state/auth_table.h"
#include "protocol/v3/tlv.h"
#include "protocol/wire/armor.h"
#include "tests/crypto/test_util.h"
#include "tests/support/fixtures.h"

namespace otr {
namespace {

using crypto::testing::CountingBackend;
using crypto::testing::DeterministicRandom;
using crypto::testing::FailingBackend;
using crypto::testing::FailingOperation;

// --- Fixture helpers (copied in spirit from session_test.cc) ----------------

struct PartyOptions {
  size_t max_message_size = 0;
  size_t max_instances = kMaxPeerInstances;
};

struct Party {
  Party(const crypto::Backend& backend, const crypto::DsaPrivateKey& key, Policy policy,
        uint64_t seed, PartyOptions options = {})
      : random(seed) {
    SessionConfig config;
    config.backend = &backend;
    config.identity.dsa = &key;
    config.policy = policy;
    config.max_message_size = options.max_message_size;
    config.max_instances = options.max_instances;
    auto s = Session::Create(config, random);
    EXPECT_TRUE(s.ok());
    session.emplace(std::move(s).value());
  }
  Session& operator*() { return *session; }
  Session* operator->() { return &*session; }

  DeterministicRandom random;
  uint64_t now = 1000;
  std::optional<Session> session;
  Output log;  // every event and displayed text this party's session returned
  // Each inbound message and what the session returned for it.
  std::vector<std::pair<std::string, Output>> received;
};

void Record(Party& p, const Output& out) {
  for (const auto& d : out.display) p.log.display.push_back(d);
  for (const auto& e : out.events) p.log.events.push_back(e);
}

// How many of `out`'s events are of `type` (through HasEvent only).
size_t CountEvents(const Output& out, EventType type) {
  size_t n = 0;
  for (const auto& e : out.events) {
    Output one;
    one.events.push_back(e);
    if (one.HasEvent(type)) ++n;
  }
  return n;
}

// The trust the kWentSecure in `out` reports.
std::optional<Trust> TrustOfWentSecure(const Output& out) {
  const auto* secure = out.Find<events::WentSecure>();
  if (secure == nullptr) return std::nullopt;
  return secure->trust;
}

// Delivers what `sender` produced to the right parties until nobody has
// anything left to send. `hub` talks to every spoke; what the hub sends goes
// to every spoke (each ignores what is addressed to another instance), what
// a spoke sends goes to the hub.
void PumpStar(Party& hub, const std::vector<Party*>& spokes, Party& sender, Output out) {
  std::vector<std::pair<std::string, Party*>> queue;
  auto take = [&](Output& o, Party& from) {
    Record(from, o);
    if (&from == &hub) {
      for (const auto& s : o.to_send) {
        for (Party* spoke : spokes) queue.emplace_back(s, spoke);
      }
    } else {
      for (auto& s : o.to_send) queue.emplace_back(std::move(s), &hub);
    }
  };
  take(out, sender);
  for (size_t i = 0; i < queue.size() && i < 2000; ++i) {
    Party* receiver = queue[i].second;
    Output reply = receiver->session->Receive(receiver->now, queue[i].first);
    receiver->received.emplace_back(queue[i].first, reply);
    take(reply, *receiver);
  }
}

void Pump(Party& from, Party& to, Output out) { PumpStar(from, {&to}, from, std::move(out)); }

void Establish(Party& alice, Party& bob) {
  Pump(alice, bob, alice->StartOtr(alice.now));
  ASSERT_EQ(alice->state(), ConversationState::kEncrypted);
  ASSERT_EQ(bob->state(), ConversationState::kEncrypted);
}

std::optional<v3::Message> Dearmor(std::string_view text) {
  auto bytes = wire::DecodeArmor(text);
  if (!bytes.ok()) return std::nullopt;
  auto message = v3::DecodeMessage(*bytes);
  if (!message.ok()) return std::nullopt;
  return std::move(message).value();
}

std::string Armor(const v3::Message& message) {
  return wire::EncodeArmor(v3::EncodeMessage(message));
}

v3::Header* HeaderOf(v3::Message& m) {
  return std::visit(
      [](auto& v) -> v3::Header* {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, v3::V1Message>) {
          return nullptr;
        } else {
          return &v.header;
        }
      },
      m);
}

// The first message of type T among `texts`.
template <typename T>
std::optional<T> FindMessage(const std::vector<std::string>& texts) {
  for (const std::string& s : texts) {
    auto m = Dearmor(s);
    if (m && std::holds_alternative<T>(*m)) return std::get<T>(*m);
  }
  return std::nullopt;
}

template <typename T>
std::optional<T> FindReceived(const Party& p) {
  std::vector<std::string> texts;
  for (const auto& [text, out] : p.received) texts.push_back(text);
  return FindMessage<T>(texts);
}

v3::Header HeaderFrom(const Party& sender, const Party& receiver) {
  v3::Header header;
  header.version = SelectedV3ForTesting(*sender.session)->version();
  if (header.version == v3::Version::kV3) {
    header.sender_instance = sender.session->our_tag();
    header.receiver_instance = receiver.session->our_tag();
  }
  return header;
}

// The records of a Data Message `receiver` can read (decrypted with its keys
// through the const Verify: nothing changes).
std::vector<v3::TlvRecord> PeekTlvs(const Party& receiver, const std::string& text) {
  auto m = Dearmor(text);
  if (!m || !std::holds_alternative<v3::DataMessage>(*m)) return {};
  const v3::KeyState* keys = SelectedV3ForTesting(*receiver.session)->keys();
  if (keys == nullptr) return {};
  auto verified = keys->Verify(std::get<v3::DataMessage>(*m));
  if (!verified.ok()) return {};
  auto payload = v3::DecodeDataPayload(verified->opened.plaintext.view());
  if (!payload.ok()) return {};
  return payload->tlvs;
}

// A Data Message from `peer` to `us` carrying `tlvs`, sealed with the peer's
// own KeyState (as fuzz/support/harness.cc's SealAsPeer: the test plays the
// peer's application, so the peer's counters advance as for its own Send).
std::string SealAsPeer(Party& peer, const Party& us, const std::vector<v3::TlvRecord>& tlvs) {
  auto* keys = const_cast<v3::KeyState*>(SelectedV3ForTesting(*peer.session)->keys());
  EXPECT_NE(keys, nullptr);
  if (keys == nullptr) return {};
  auto payload = v3::EncodeDataPayload(v3::DataPayload{{}, true, tlvs});
  EXPECT_TRUE(payload.ok());
  auto sealed = keys->Seal(HeaderFrom(peer, us), v3::kFlagIgnoreUnreadable, *payload, peer.random);
  EXPECT_TRUE(sealed.ok());
  return Armor(sealed->message);
}

// Live SecretBytes buffers holding exactly `secret`.
size_t LiveCopies(ByteView secret) {
  size_t n = 0;
  crypto::ForEachLiveSecret([&](ByteView live) {
    if (live.size() == secret.size() && std::equal(live.begin(), live.end(), secret.begin())) ++n;
  });
  return n;
}

size_t AuthStateOf(const Session& s) {
  return s.view().StateOf(v3::kAuthMachine).value_or(SIZE_MAX);
}
constexpr size_t Index(v3::AuthState s) { return static_cast<size_t>(s); }

Policy V2Only() {
  Policy p = Policy::Manual();
  p.allow_v3 = false;
  return p;
}

const crypto::Backend& OpensslBackend() {
  auto found = crypto::FindBackend("openssl");
  EXPECT_TRUE(found.ok());
  return **found;
}

class HardeningTest : public crypto::testing::BackendTest {
 protected:
  const crypto::DsaPrivateKey& Key(int who) const { return testing::CachedDsaKey(backend(), who); }
};

// --- The fault-injecting backend itself ---------------------------------------

TEST_P(HardeningTest, FailingBackendFailsTheChosenCallsOnly) {
  FailingBackend failing(backend());
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  DeterministicRandom random(1);
  failing.FailAfter(FailingOperation::kModExp, 1, 2);
  EXPECT_TRUE(crypto::GenerateDhKeyPair(failing, group, random).ok());
  EXPECT_EQ(crypto::GenerateDhKeyPair(failing, group, random).code(), ErrorCode::kBackendFailure);
  EXPECT_EQ(crypto::GenerateDhKeyPair(failing, group, random).code(), ErrorCode::kBackendFailure);
  EXPECT_TRUE(crypto::GenerateDhKeyPair(failing, group, random).ok());
  EXPECT_EQ(failing.calls(FailingOperation::kModExp), 4u);
  EXPECT_EQ(failing.failures(FailingOperation::kModExp), 2u);

  // Keyed contexts made before the fault is armed fail too.
  const Bytes raw(16, 7);
  const crypto::SecretBytes key{ByteView(raw)};
  auto aes = failing.NewKeyedAes128Ctr(key);
  ASSERT_TRUE(aes.ok());
  auto mac = failing.NewKeyedHmac(crypto::HashAlgorithm::kSha1, key);
  auto mac_copy = mac->Clone();
  Bytes data(16, 1), out(16), tag(20);
  const Bytes top(8, 0);
  failing.Fail(FailingOperation::kKeyedAes128CtrCrypt);
  failing.Fail(FailingOperation::kKeyedHmacMac);
  EXPECT_EQ((*aes)->Crypt(top, data, out).code(), ErrorCode::kBackendFailure);
  EXPECT_EQ((*aes)->Clone()->Crypt(top, data, out).code(), ErrorCode::kBackendFailure);
  EXPECT_EQ(mac_copy->Mac(data, tag).code(), ErrorCode::kBackendFailure);
  failing.Clear();
  EXPECT_TRUE((*aes)->Crypt(top, data, out).ok());
  EXPECT_TRUE(mac->Mac(data, tag).ok());
}

// --- 1. Instances: a new instance shares nothing with an encrypted master ----

// Issue 14: ForInstance copied the whole master conversation. A v2 master
// ENCRYPTED plus a D-H Commit from a fresh v3 sender tag gave a child
// ENCRYPTED with a copy of the master's keys (forward secrecy lost) whose
// first send reused the master's counter under the same AES key.
TEST_P(HardeningTest, NewInstanceOfAV2EncryptedMasterHoldsNoneOfItsKeys) {
  Party alice(backend(), Key(0), Policy::Manual(), 101);
  Party bob(backend(), Key(1), V2Only(), 102);
  Establish(alice, bob);
  ASSERT_EQ(alice->view(wire::kNoInstanceTag)->version, 2);
  for (int i = 0; i < 2; ++i) {
    Pump(alice, bob, alice->Send(alice.now, "to bob " + std::to_string(i)));
    Pump(bob, alice, bob->Send(bob.now, "to alice " + std::to_string(i)));
  }
  const v3::Conversation* master = V3ConversationForTesting(*alice, wire::kNoInstanceTag);
  ASSERT_NE(master, nullptr);
  ASSERT_NE(master->keys(), nullptr);
  const uint32_t master_our_keyid = master->keys()->our_keyid();
  const uint32_t master_their_keyid = master->keys()->their_keyid();
  // The master's secrets (copies: each is one more live buffer, the same
  // before and after, so only a copy made by the session changes a count).
  std::vector<crypto::SecretBytes> master_secrets;
  for (const crypto::SecretBytes* s : master->keys()->HeldSecrets()) {
    if (!s->empty()) master_secrets.push_back(*s);
  }
  ASSERT_FALSE(master_secrets.empty());
  std::vector<size_t> copies_before;
  for (const auto& s : master_secrets) copies_before.push_back(LiveCopies(s.view()));

  // Bob's second login speaks v3: its D-H Commit (to no particular
  // instance) makes a new instance at Alice.
  Party carol(backend(), Key(1), Policy::Manual(), 103);
  Output commit = carol->Receive(carol.now, "?OTRv3?");
  ASSERT_EQ(commit.to_send.size(), 1u);
  Output answer = alice->Receive(alice.now, commit.to_send[0]);
  Record(alice, answer);
  const wire::InstanceTag carol_tag = carol->our_tag();
  ASSERT_NE(V3ConversationForTesting(*alice, carol_tag), nullptr);
  ASSERT_EQ(answer.to_send.size(), 1u);  // its D-H Key
  ASSERT_TRUE(FindMessage<v3::DhKey>(answer.to_send).has_value());

  // No byte string of the master's keys was copied into the new instance.
  for (size_t i = 0; i < master_secrets.size(); ++i) {
    EXPECT_EQ(LiveCopies(master_secrets[i].view()), copies_before[i]) << "master secret " << i;
  }
  const v3::Conversation* fresh = V3ConversationForTesting(*alice, carol_tag);
  EXPECT_EQ(fresh->keys(), nullptr);
  EXPECT_EQ(fresh->message_state(), v3::MessageState::kPlaintext);
  EXPECT_EQ(alice->view(carol_tag)->state, ConversationState::kPlaintext);
  EXPECT_TRUE(alice->view(carol_tag)->ake_in_progress);
  // The master is untouched.
  EXPECT_EQ(alice->view(wire::kNoInstanceTag)->state, ConversationState::kEncrypted);

  // No keystream reuse: the user selects the new instance and sends; no
  // Data Message leaves (it has no keys), least of all one under the
  // master's keyids.
  ASSERT_TRUE(alice->SelectInstance(carol_tag).ok());
  Output sent = alice->Send(alice.now, "which login is this?");
  for (const std::string& s : sent.to_send) {
    auto m = Dearmor(s);
    ASSERT_FALSE(m && std::holds_alternative<v3::DataMessage>(*m))
        << "a Data Message from a conversation with no AKE";
  }
  EXPECT_EQ(master->keys()->our_keyid(), master_our_keyid);
  EXPECT_EQ(master->keys()->their_keyid(), master_their_keyid);

  // Its own AKE gives it keys of its own, none of them the master's.
  Pump(carol, alice, carol->Receive(carol.now, answer.to_send[0]));
  ASSERT_EQ(alice->view(carol_tag)->state, ConversationState::kEncrypted);
  EXPECT_EQ(alice->view(carol_tag)->version, 3);
  const v3::KeyState* fresh_keys = V3ConversationForTesting(*alice, carol_tag)->keys();
  ASSERT_NE(fresh_keys, nullptr);
  for (const crypto::SecretBytes* s : fresh_keys->HeldSecrets()) {
    for (const auto& m : master_secrets) EXPECT_FALSE(*s == m);
  }
  // And the v2 session with Bob goes on.
  ASSERT_TRUE(alice->SelectInstance(wire::kNoInstanceTag).ok());
  Pump(alice, bob, alice->Send(alice.now, "still v2"));
  EXPECT_EQ(bob.log.display.back().text, "still v2");
}

// --- 2. Instances are bounded ---------------------------------------------------

// 100,000 D-H Commits, each from a fresh random sender tag: a bounded number
// of instances and of live secrets, and the ENCRYPTED instance established
// before is never evicted. openssl only (a D-H key pair per commit).
TEST(HardeningFloodTest, ManyDhCommitsFromFreshTagsStayBounded) {
  const crypto::Backend& backend = OpensslBackend();
  Party alice(backend, testing::CachedDsaKey(backend, 0), Policy::Manual(), 201);
  Party bob(backend, testing::CachedDsaKey(backend, 1), Policy::Manual(), 202);
  Establish(alice, bob);
  const wire::InstanceTag bob_tag = bob->our_tag();
  // Only ENCRYPTED protects Bob's instance from eviction, not selection.
  ASSERT_TRUE(alice->SelectInstance(wire::kNoInstanceTag).ok());

  // A real D-H Commit to rewrite.
  Party carol(backend, testing::CachedDsaKey(backend, 1), Policy::Manual(), 203);
  auto commit = FindMessage<v3::DhCommit>(carol->Receive(carol.now, "?OTRv3?").to_send);
  ASSERT_TRUE(commit.has_value());

  const size_t live_before = crypto::LiveSecretCount();
  // Each instance in its AKE holds its D-H key pair and little else: a
  // handful of secrets per instance is the bound.
  const size_t live_bound = live_before + kMaxPeerInstances * 8;
  size_t max_instances = 0, max_live = 0, answered = 0;
  DeterministicRandom tags(204);
  constexpr int kCommits = 100000;
  for (int i = 0; i < kCommits; ++i) {
    wire::InstanceTag tag = 0;
    while (tag < wire::kMinInstanceTag || tag == alice->our_tag() || tag == bob_tag) {
      uint8_t b[4];
      tags.Fill(b);
      tag = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    }
    commit->header.sender_instance = tag;
    commit->header.receiver_instance = i % 2 == 0 ? wire::kNoInstanceTag : alice->our_tag();
    Output out = alice->Receive(alice.now, Armor(*commit));
    answered += out.to_send.size();
    max_instances = std::max(max_instances, alice->Instances().size());
    max_live = std::max(max_live, crypto::LiveSecretCount());
    ASSERT_LE(alice->Instances().size(), kMaxPeerInstances + 1) << "after commit " << i;
    ASSERT_LT(crypto::LiveSecretCount(), live_bound) << "after commit " << i;
  }
  EXPECT_EQ(max_instances, kMaxPeerInstances + 1);
  EXPECT_EQ(answered, static_cast<size_t>(kCommits));  // each answered (an idle one evicted)
  std::printf("instances at most %zu, live secrets %zu before, at most %zu\n", max_instances,
              live_before, max_live);

  // Bob's instance survived and still reads and is read.
  ASSERT_NE(alice->view(bob_tag), std::nullopt);
  EXPECT_EQ(alice->view(bob_tag)->state, ConversationState::kEncrypted);
  Pump(bob, alice, bob->Send(bob.now, "still there?"));
  ASSERT_FALSE(alice.log.display.empty());
  EXPECT_EQ(alice.log.display.back().text, "still there?");
  EXPECT_TRUE(alice.log.display.back().encrypted);
  ASSERT_TRUE(alice->SelectInstance(bob_tag).ok());
  Pump(alice, bob, alice->Send(alice.now, "yes"));
  EXPECT_EQ(bob.log.display.back().text, "yes");
}

// Only a D-H Commit or D-H Key makes an instance: a Reveal Signature, a
// Signature or a Data Message from an unknown sender tag does not.
TEST_P(HardeningTest, OnlyDhCommitOrDhKeyMakesAnInstance) {
  Party alice(backend(), Key(0), Policy::Manual(), 211);
  Party bob(backend(), Key(1), Policy::Manual(), 212);
  Establish(alice, bob);
  Pump(bob, alice, bob->Send(bob.now, "data"));
  auto reveal = FindReceived<v3::RevealSignature>(alice);
  auto signature = FindReceived<v3::Signature>(bob);
  auto data = FindReceived<v3::DataMessage>(alice);
  ASSERT_TRUE(reveal && signature && data);
  const std::vector<wire::InstanceTag> before = alice->Instances();
  wire::InstanceTag stranger = 0x12345678;
  for (v3::Message m : {v3::Message(*reveal), v3::Message(*signature), v3::Message(*data)}) {
    v3::Header* h = HeaderOf(m);
    h->sender_instance = ++stranger;
    h->receiver_instance = alice->our_tag();
    Output out = alice->Receive(alice.now, Armor(m));
    EXPECT_EQ(alice->Instances(), before) << "message type " << m.index();
    EXPECT_FALSE(alice->view(stranger).has_value());
    EXPECT_TRUE(out.display.empty());
  }
  EXPECT_EQ(alice->view(bob->our_tag())->state, ConversationState::kEncrypted);
}

// When every instance is ENCRYPTED, a new one is refused and reported.
TEST_P(HardeningTest, NewInstanceIsRefusedWhenAllAreEncrypted) {
  Party alice(backend(), Key(0), Policy::Manual(), 221, PartyOptions{.max_instances = 2});
  Party bob1(backend(), Key(1), Policy::Manual(), 222);
  Party bob2(backend(), Key(1), Policy::Manual(), 223);
  PumpStar(alice, {&bob1, &bob2}, alice, alice->StartOtr(alice.now));
  ASSERT_EQ(alice->view(bob1->our_tag())->state, ConversationState::kEncrypted);
  ASSERT_EQ(alice->view(bob2->our_tag())->state, ConversationState::kEncrypted);
  ASSERT_TRUE(alice->SelectInstance(wire::kNoInstanceTag).ok());
  const std::vector<wire::InstanceTag> before = alice->Instances();
  ASSERT_EQ(before.size(), 3u);

  Party bob3(backend(), Key(1), Policy::Manual(), 224);
  Output commit = bob3->Receive(bob3.now, "?OTRv3?");
  ASSERT_EQ(commit.to_send.size(), 1u);
  Output out = alice->Receive(alice.now, commit.to_send[0]);
  EXPECT_TRUE(out.HasEvent(EventType::kInstanceRefused));
  EXPECT_TRUE(out.to_send.empty());
  EXPECT_EQ(alice->Instances(), before);
  // Both sessions go on.
  for (Party* bob : {&bob1, &bob2}) {
    Pump(*bob, alice, (*bob)->Send(bob->now, "here"));
    EXPECT_EQ(alice.log.display.back().text, "here");
    EXPECT_TRUE(alice.log.display.back().encrypted);
  }
}

// --- 3. The transition contract: a failing action aborts its row ---------------

// (a) Sealing fails while ENCRYPTED: kActionFailed, nothing sent, still
// ENCRYPTED; the next Send after the fault works and is read.
TEST_P(HardeningTest, FailedSealAbortsTheSendRow) {
  for (FailingOperation op : {FailingOperation::kKeyedAes128CtrCrypt,
                              FailingOperation::kKeyedHmacMac, FailingOperation::kModExp}) {
    SCOPED_TRACE(static_cast<int>(op));
    FailingBackend failing(backend());
    Party alice(failing, Key(0), Policy::Manual(), 301);
    Party bob(backend(), Key(1), Policy::Manual(), 302);
    Establish(alice, bob);
    const ConversationView before = alice->view();

    failing.Fail(op);
    Output out = alice->Send(alice.now, "lost?");
    EXPECT_GT(failing.failures(op), 0u);
    EXPECT_TRUE(out.HasEvent(EventType::kActionFailed));
    EXPECT_TRUE(out.to_send.empty());
    EXPECT_TRUE(out.display.empty());
    EXPECT_EQ(alice->state(), ConversationState::kEncrypted);
    EXPECT_EQ(alice->view().ssid, before.ssid);
    EXPECT_EQ(alice->view().StateOf(v3::kMessageMachine), before.StateOf(v3::kMessageMachine));

    failing.Clear();
    Pump(alice, bob, alice->Send(alice.now, "after the fault"));
    ASSERT_FALSE(bob.log.display.empty());
    EXPECT_EQ(bob.log.display.back().text, "after the fault");
    EXPECT_TRUE(bob.log.display.back().encrypted);
    Pump(bob, alice, bob->Send(bob.now, "and back"));
    EXPECT_EQ(alice.log.display.back().text, "and back");
  }
}

// An SMP step whose proof fails to compute sends nothing and stays idle.
TEST_P(HardeningTest, FailedSmpStepChangesNothing) {
  FailingBackend failing(backend());
  Party alice(failing, Key(0), Policy::Manual(), 311);
  Party bob(backend(), Key(1), Policy::Manual(), 312);
  Establish(alice, bob);
  failing.Fail(FailingOperation::kModExp);
  Output out = alice->StartSmp(alice.now, "secret");
  EXPECT_TRUE(out.HasEvent(EventType::kActionFailed));
  EXPECT_TRUE(out.to_send.empty());
  EXPECT_EQ(alice->view().smp, SmpProgress::kIdle);
  failing.Clear();
  Pump(alice, bob, alice->StartSmp(alice.now, "secret"));
  Pump(bob, alice, bob->RespondSmp(bob.now, "secret"));
  EXPECT_TRUE(alice.log.HasEvent(EventType::kSmpSucceeded));
  EXPECT_TRUE(bob.log.HasEvent(EventType::kSmpSucceeded));
}

// (b) Both sides sent a D-H Commit (v2: one conversation each). The side
// whose hashed g^x is lower forgets its own commitment and answers the
// other's with a D-H Key; if that D-H Key cannot be made, the row must
// change nothing: the old engine stayed in AWAITING_DHKEY without its
// commitment, and the next D-H Key dereferenced it (run under asan).
TEST_P(HardeningTest, AkeRowFailingAtSendDhKeyKeepsTheCommitment) {
  FailingBackend failing_a(backend()), failing_b(backend());
  Party alice(failing_a, Key(0), V2Only(), 321);
  Party bob(failing_b, Key(1), V2Only(), 322);
  Output query_a = alice->StartOtr(alice.now);
  Output query_b = bob->StartOtr(bob.now);
  Output commit_a = alice->Receive(alice.now, query_b.to_send.at(0));
  Output commit_b = bob->Receive(bob.now, query_a.to_send.at(0));
  auto ca = FindMessage<v3::DhCommit>(commit_a.to_send);
  auto cb = FindMessage<v3::DhCommit>(commit_b.to_send);
  ASSERT_TRUE(ca && cb);
  ASSERT_EQ(AuthStateOf(*alice), Index(v3::AuthState::kAwaitingDhKey));
  ASSERT_EQ(AuthStateOf(*bob), Index(v3::AuthState::kAwaitingDhKey));
  // `low` has the lower hashed g^x: it is the one that answers.
  const bool alice_low = std::lexicographical_compare(ca->hashed_gx.begin(), ca->hashed_gx.end(),
                                                      cb->hashed_gx.begin(), cb->hashed_gx.end());
  Party& low = alice_low ? alice : bob;
  Party& high = alice_low ? bob : alice;
  FailingBackend& low_backend = alice_low ? failing_a : failing_b;
  const std::string high_commit = (alice_low ? commit_b : commit_a).to_send.at(0);
  const std::string low_commit = (alice_low ? commit_a : commit_b).to_send.at(0);

  low_backend.Fail(FailingOperation::kModExp);  // GenerateDhKeyPair
  Output failed = low->Receive(low.now, high_commit);
  EXPECT_GT(low_backend.failures(FailingOperation::kModExp), 0u);
  EXPECT_TRUE(failed.HasEvent(EventType::kActionFailed));
  EXPECT_TRUE(failed.to_send.empty());
  EXPECT_TRUE(low->view().ake_in_progress);
  EXPECT_EQ(AuthStateOf(*low), Index(v3::AuthState::kAwaitingDhKey));
  low_backend.Clear();

  // A D-H Key answering our commitment (from a third party that took our
  // D-H Commit) finds the commitment intact: the Reveal Signature that
  // comes back opens that D-H Commit, so the third party goes secure.
  Party carol(backend(), Key(1), V2Only(), 323);
  Output carol_key = carol->Receive(carol.now, low_commit);
  ASSERT_TRUE(FindMessage<v3::DhKey>(carol_key.to_send).has_value());
  Output reveal = low->Receive(low.now, carol_key.to_send.at(0));
  ASSERT_TRUE(FindMessage<v3::RevealSignature>(reveal.to_send).has_value());
  EXPECT_EQ(AuthStateOf(*low), Index(v3::AuthState::kAwaitingSig));
  Output carol_sig = carol->Receive(carol.now, reveal.to_send.at(0));
  EXPECT_EQ(carol->state(), ConversationState::kEncrypted);
  EXPECT_TRUE(FindMessage<v3::Signature>(carol_sig.to_send).has_value());

  // With the fault gone, the AKE with the real peer completes: its D-H
  // Commit again (as a retransmission would bring it).
  Pump(low, high, low->Receive(low.now, high_commit));
  EXPECT_EQ(alice->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice->ssid_text(), bob->ssid_text());
}

// (c) KeyState::Start fails in kInstallSessionKeys: fail closed, not
// ENCRYPTED and no kWentSecure; a later AKE succeeds. The fault is the D-H
// shared secret of the first key pair, the last modular exponentiation of
// the Reveal Signature's processing (its ciphers are set up on first use
// since decision 0032, so setting them up no longer fails the install).
TEST_P(HardeningTest, FailedKeyInstallFailsClosed) {
  // The AKE up to the Reveal Signature (fixed seeds: two runs are alike).
  struct Run {
    Run(const crypto::Backend& backend, const crypto::DsaPrivateKey& a,
        const crypto::DsaPrivateKey& b)
        : failing(backend),
          alice(failing, a, Policy::Manual(), 331),
          bob(backend, b, Policy::Manual(), 332) {
      Output query = alice->StartOtr(alice.now);
      Output commit = bob->Receive(bob.now, query.to_send.at(0));
      Output dh_key = alice->Receive(alice.now, commit.to_send.at(0));
      Output revealed = bob->Receive(bob.now, dh_key.to_send.at(0));
      EXPECT_TRUE(FindMessage<v3::RevealSignature>(revealed.to_send).has_value());
      reveal = revealed.to_send.at(0);
    }
    FailingBackend failing;
    Party alice, bob;
    std::string reveal;
  };
  // A first run counts the exponentiations Alice makes for the Reveal
  // Signature (deterministic: same seeds, same messages).
  size_t modexps = 0;
  {
    Run dry(backend(), Key(0), Key(1));
    const size_t before = dry.failing.calls(FailingOperation::kModExp);
    Output out = dry.alice->Receive(dry.alice.now, dry.reveal);
    ASSERT_TRUE(out.HasEvent(EventType::kWentSecure));
    modexps = dry.failing.calls(FailingOperation::kModExp) - before;
    ASSERT_GT(modexps, 0u);
  }
  Run run(backend(), Key(0), Key(1));
  Party& alice = run.alice;
  Party& bob = run.bob;
  FailingBackend& failing = run.failing;

  // The first key pair's D-H shared secret cannot be computed.
  failing.FailAfter(FailingOperation::kModExp, modexps - 1, 1);
  Output out = alice->Receive(alice.now, run.reveal);
  EXPECT_EQ(failing.failures(FailingOperation::kModExp), 1u);
  EXPECT_TRUE(out.HasEvent(EventType::kActionFailed));
  EXPECT_FALSE(out.HasEvent(EventType::kWentSecure));
  EXPECT_FALSE(out.HasEvent(EventType::kNewFingerprint));
  EXPECT_EQ(alice->state(), ConversationState::kPlaintext);
  EXPECT_EQ(SelectedV3ForTesting(*alice)->keys(), nullptr);
  EXPECT_FALSE(alice->view().their_fingerprint.has_value());
  // Nothing the user types goes out encrypted (there are no keys).
  Output typed = alice->Send(alice.now, "plain");
  for (const std::string& s : typed.to_send) {
    auto m = Dearmor(s);
    EXPECT_FALSE(m && std::holds_alternative<v3::DataMessage>(*m));
  }

  failing.Clear();
  Establish(alice, bob);
  Pump(alice, bob, alice->Send(alice.now, "now secure"));
  EXPECT_EQ(bob.log.display.back().text, "now secure");
}

// (d) Decision 0032: a key pair's AES-CTR and HMAC contexts are set up by
// the first Seal or Verify that needs them. A setup that fails fails
// closed: the message is refused (nothing sent; nothing read), the session
// stays ENCRYPTED with the same keys, and works once the backend does.
TEST_P(HardeningTest, FailedLazyCipherSetupFailsClosed) {
  FailingBackend failing(backend());
  Party alice(failing, Key(0), Policy::Manual(), 341);
  Party bob(backend(), Key(1), Policy::Manual(), 342);
  Establish(alice, bob);
  const v3::KeyState* keys = SelectedV3ForTesting(*alice)->keys();
  ASSERT_NE(keys, nullptr);
  const uint32_t our_keyid = keys->our_keyid(), their_keyid = keys->their_keyid();
  const size_t held = keys->HeldSecrets().size();
  const ConversationView before = alice->view();

  // Alice's first Seal cannot set up its AES-CTR context.
  failing.Fail(FailingOperation::kNewKeyedAes128Ctr);
  Output out = alice->Send(alice.now, "lost?");
  EXPECT_GT(failing.failures(FailingOperation::kNewKeyedAes128Ctr), 0u);
  EXPECT_TRUE(out.HasEvent(EventType::kActionFailed));
  EXPECT_TRUE(out.to_send.empty());
  EXPECT_TRUE(out.display.empty());
  EXPECT_EQ(alice->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice->view().ssid, before.ssid);
  keys = SelectedV3ForTesting(*alice)->keys();
  ASSERT_NE(keys, nullptr);
  EXPECT_EQ(keys->our_keyid(), our_keyid);
  EXPECT_EQ(keys->HeldSecrets().size(), held);  // the Seal's next key pair not kept

  // Bob's message needs Alice's receiving context: refused, not read.
  Output from_bob = bob->Send(bob.now, "hello");
  ASSERT_EQ(from_bob.to_send.size(), 1u);
  Output refused = alice->Receive(alice.now, from_bob.to_send.at(0));
  EXPECT_TRUE(refused.display.empty());
  EXPECT_EQ(alice->state(), ConversationState::kEncrypted);
  keys = SelectedV3ForTesting(*alice)->keys();
  ASSERT_NE(keys, nullptr);
  EXPECT_EQ(keys->their_keyid(), their_keyid);
  EXPECT_EQ(keys->HeldSecrets().size(), held);

  failing.Clear();
  // The same message is read now: its counter was not used up.
  Output read = alice->Receive(alice.now, from_bob.to_send.at(0));
  ASSERT_EQ(read.display.size(), 1u);
  EXPECT_EQ(read.display[0].text, "hello");
  EXPECT_TRUE(read.display[0].encrypted);
  Pump(alice, bob, alice->Send(alice.now, "after the fault"));
  ASSERT_FALSE(bob.log.display.empty());
  EXPECT_EQ(bob.log.display.back().text, "after the fault");
  EXPECT_TRUE(bob.log.display.back().encrypted);
}

// --- 4. Fragmented input is processed once --------------------------------------

// The old Receive called itself for a reassembled message, so Finish ran
// twice and a new fingerprint's kNew became kUntrusted whenever the last
// AKE message came in fragments (always on IRC).
TEST_P(HardeningTest, FragmentedAkeReportsANewFingerprintAsNew) {
  Party alice(backend(), Key(0), Policy::Manual(), 401, PartyOptions{.max_message_size = 200});
  Party bob(backend(), Key(1), Policy::Manual(), 402, PartyOptions{.max_message_size = 200});
  Establish(alice, bob);
  for (Party* p : {&alice, &bob}) {
    size_t secure_outputs = 0;
    for (const auto& [input, out] : p->received) {
      if (!out.HasEvent(EventType::kWentSecure)) continue;
      ++secure_outputs;
      EXPECT_EQ(input.rfind("?OTR|", 0), 0u) << "the last AKE message came whole";
      EXPECT_EQ(CountEvents(out, EventType::kWentSecure), 1u);
      EXPECT_EQ(CountEvents(out, EventType::kNewFingerprint), 1u);
      EXPECT_EQ(TrustOfWentSecure(out), Trust::kNew);
    }
    EXPECT_EQ(secure_outputs, 1u);
  }
}

// --- 5. One SMP TLV per Data Message ---------------------------------------------

struct SmpFlood {
  Output out;          // what Alice returned for the Data Message
  size_t modexps = 0;  // what it cost her
  SmpProgress smp = SmpProgress::kIdle;
};

// Alice (counting her modexps) receives one Data Message from Bob carrying
// `tlvs` SMP records built from Bob's real SMP message 1 (and `then_abort`
// adds an SMP abort after them). Same seeds every time: same work.
SmpFlood SendSmpTlvs(const crypto::Backend& backend, size_t smp1_copies, bool then_abort) {
  CountingBackend counting(backend);
  Party alice(counting, testing::CachedDsaKey(backend, 0), Policy::Manual(), 501);
  Party bob(backend, testing::CachedDsaKey(backend, 1), Policy::Manual(), 502);
  Establish(alice, bob);
  Output smp1 = bob->StartSmp(bob.now, "secret");
  std::vector<v3::TlvRecord> one = PeekTlvs(alice, smp1.to_send.at(0));
  EXPECT_EQ(one.size(), 1u);
  std::vector<v3::TlvRecord> tlvs;
  for (size_t i = 0; i < smp1_copies && !one.empty(); ++i) tlvs.push_back(one[0]);
  if (then_abort) tlvs.push_back(v3::TlvRecord{static_cast<uint16_t>(v3::TlvType::kSmpAbort), {}});
  const std::string message = SealAsPeer(bob, alice, tlvs);
  counting.Reset();
  SmpFlood result;
  result.out = alice->Receive(alice.now, message);
  result.modexps = counting.modexps();
  result.smp = alice->view().smp;
  EXPECT_EQ(alice->state(), ConversationState::kEncrypted);
  return result;
}

TEST_P(HardeningTest, SecondSmpTlvInOneMessageIsAnUnexpectedSmpMessage) {
  const SmpFlood single = SendSmpTlvs(backend(), 1, false);
  EXPECT_TRUE(single.out.HasEvent(EventType::kSmpAskSecret));
  EXPECT_EQ(single.smp, SmpProgress::kAwaitingSecret);
  EXPECT_TRUE(single.out.to_send.empty());
  EXPECT_GT(single.modexps, 0u);

  for (const auto& [copies, abort] : {std::pair<size_t, bool>{2, false}, {1, true}}) {
    const SmpFlood twice = SendSmpTlvs(backend(), copies, abort);
    // The first ran, the second was answered as the spec answers an SMP
    // message it did not expect: an abort goes back, SMP is idle.
    EXPECT_TRUE(twice.out.HasEvent(EventType::kSmpAborted));
    EXPECT_EQ(twice.out.to_send.size(), 1u);
    EXPECT_EQ(twice.smp, SmpProgress::kIdle);
  }
}

TEST_P(HardeningTest, HundredsOfSmpTlvsCostOneStep) {
  const SmpFlood single = SendSmpTlvs(backend(), 1, false);
  const SmpFlood two = SendSmpTlvs(backend(), 2, false);
  const SmpFlood many = SendSmpTlvs(backend(), 300, false);
  EXPECT_EQ(many.smp, SmpProgress::kIdle);
  EXPECT_EQ(many.out.to_send.size(), 1u);  // one abort
  // One verification, plus sealing the abort (a fresh D-H key pair and the
  // keys of its pairs: at most 3 exponentiations).
  EXPECT_LE(two.modexps, single.modexps + 3);
  EXPECT_EQ(many.modexps, two.modexps);
  std::printf("%s: modexps for 1 SMP TLV %zu, 2 %zu, 300 %zu\n",
              std::string(backend().name()).c_str(), single.modexps, two.modexps, many.modexps);
}

// --- 6. A new AKE while ENCRYPTED resets SMP ---------------------------------------

TEST_P(HardeningTest, NewAkeWhileEncryptedResetsSmp) {
  for (bool alice_restarts : {true, false}) {
    SCOPED_TRACE(alice_restarts ? "Alice starts the new AKE" : "Bob starts the new AKE");
    Party alice(backend(), Key(0), Policy::Manual(), 601);
    Party bob(backend(), Key(1), Policy::Manual(), 602);
    Establish(alice, bob);
    Pump(alice, bob, alice->StartSmp(alice.now, "secret"));
    ASSERT_EQ(bob->view().smp, SmpProgress::kAwaitingSecret);
    Output smp2 = bob->RespondSmp(bob.now, "secret");
    ASSERT_EQ(smp2.to_send.size(), 1u);
    // Bob's message 2 is held back; its record is kept to replay later.
    const std::vector<v3::TlvRecord> smp2_tlvs = PeekTlvs(alice, smp2.to_send[0]);
    ASSERT_EQ(smp2_tlvs.size(), 1u);
    ASSERT_EQ(alice->view().smp, SmpProgress::kInProgress);
    ASSERT_EQ(bob->view().smp, SmpProgress::kInProgress);
    const Bytes old_ssid = alice->view().ssid;

    Party& starter = alice_restarts ? alice : bob;
    Party& other = alice_restarts ? bob : alice;
    Pump(starter, other, starter->StartOtr(starter.now));
    ASSERT_EQ(alice->state(), ConversationState::kEncrypted);
    ASSERT_EQ(bob->state(), ConversationState::kEncrypted);
    ASSERT_NE(alice->view().ssid, old_ssid);  // a new AKE did complete
    EXPECT_EQ(alice->view().smp, SmpProgress::kIdle);
    EXPECT_EQ(bob->view().smp, SmpProgress::kIdle);

    // The old SMP's message 2, under the new keys, is unexpected: abort.
    Output at_alice = alice->Receive(alice.now, SealAsPeer(bob, alice, smp2_tlvs));
    EXPECT_EQ(at_alice.to_send.size(), 1u);
    EXPECT_FALSE(at_alice.HasEvent(EventType::kSmpSucceeded));
    EXPECT_FALSE(at_alice.HasEvent(EventType::kSmpFailed));
    EXPECT_EQ(alice->view().smp, SmpProgress::kIdle);
    ASSERT_EQ(at_alice.to_send.size(), 1u);
    const std::vector<v3::TlvRecord> reply = PeekTlvs(bob, at_alice.to_send[0]);
    ASSERT_EQ(reply.size(), 1u);
    EXPECT_EQ(reply[0].type, static_cast<uint16_t>(v3::TlvType::kSmpAbort));
    // A fresh SMP works.
    Pump(alice, bob, alice->StartSmp(alice.now, "again"));
    Pump(bob, alice, bob->RespondSmp(bob.now, "again"));
    EXPECT_TRUE(alice.log.HasEvent(EventType::kSmpSucceeded));
  }
}

// --- 7. A reflected v2 D-H Commit is ignored ---------------------------------------

// v2 has no instance tags, so the session cannot tell our own D-H Commit
// from the peer's: the AKE compares the hashed g^x. The old engine took an
// equal hash as "not higher" and dropped its own commitment for it.
TEST_P(HardeningTest, ReflectedV2DhCommitIsIgnored) {
  Party alice(backend(), Key(0), Policy::Manual(), 701);
  Party bob(backend(), Key(1), V2Only(), 702);
  Output query = alice->StartOtr(alice.now);
  Output commit = bob->Receive(bob.now, query.to_send.at(0));
  auto dh_commit = FindMessage<v3::DhCommit>(commit.to_send);
  ASSERT_TRUE(dh_commit.has_value());
  ASSERT_EQ(dh_commit->header.version, v3::Version::kV2);
  ASSERT_EQ(AuthStateOf(*bob), Index(v3::AuthState::kAwaitingDhKey));

  Output reflected = bob->Receive(bob.now, commit.to_send.at(0));
  EXPECT_TRUE(reflected.to_send.empty());
  EXPECT_EQ(AuthStateOf(*bob), Index(v3::AuthState::kAwaitingDhKey));
  EXPECT_TRUE(bob->view().ake_in_progress);

  Pump(alice, bob, alice->Receive(alice.now, commit.to_send.at(0)));
  EXPECT_EQ(alice->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob->state(), ConversationState::kEncrypted);
  EXPECT_EQ(alice->version(), 2);
}

// --- 8. Policies that cannot work are refused ------------------------------------

TEST_P(HardeningTest, RequireEncryptionWithoutAVersionIsRefused) {
  DeterministicRandom random(801);
  SessionConfig config;
  config.backend = &backend();
  config.identity.dsa = &Key(0);
  config.policy = Policy::Never();
  config.policy.require_encryption = true;
  auto session = Session::Create(config, random);
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.code(), ErrorCode::kInvalidPolicy);
}

TEST(PolicyValidateTest, EachRefusalHasItsCodeAndReason) {
  struct Case {
    const char* name;
    Policy policy;
    std::optional<ErrorCode> code;  // nullopt: accepted
    const char* reason;             // a word the message must contain
  };
  auto with = [](Policy p, auto change) {
    change(p);
    return p;
  };
  const Case cases[] = {
      {"never", Policy::Never(), std::nullopt, ""},
      {"manual", Policy::Manual(), std::nullopt, ""},
      {"opportunistic", Policy::Opportunistic(), std::nullopt, ""},
      {"always", Policy::Always(), std::nullopt, ""},
      {"v2 only", V2Only(), std::nullopt, ""},
      {"allow v1", with(Policy::Manual(), [](Policy& p) { p.allow_v1 = true; }),
       ErrorCode::kUnsupportedVersion, "ALLOW_V1"},
      {"require encryption, no version",
       with(Policy::Never(), [](Policy& p) { p.require_encryption = true; }),
       ErrorCode::kInvalidPolicy, "REQUIRE_ENCRYPTION"},
      {"always without versions",
       with(Policy::Always(),
            [](Policy& p) {
              p.allow_v2 = false;
              p.allow_v3 = false;
            }),
       ErrorCode::kInvalidPolicy, "REQUIRE_ENCRYPTION"},
      {"v4 standalone with v3",
       with(Policy::Manual(),
            [](Policy& p) {
              p.allow_v2 = false;
              p.allow_v4 = true;
              p.v4_mode = V4Mode::kV4Standalone;
            }),
       ErrorCode::kInvalidPolicy, "ALLOW_V3"},
      {"v4 interactive-only with v2",
       with(Policy::Never(),
            [](Policy& p) {
              p.allow_v2 = true;
              p.allow_v4 = true;
              p.v4_mode = V4Mode::kV4InteractiveOnly;
            }),
       ErrorCode::kInvalidPolicy, "ALLOW_V2"},
      {"v4-only mode without v4",
       with(Policy::Never(), [](Policy& p) { p.v4_mode = V4Mode::kV4Standalone; }),
       ErrorCode::kInvalidPolicy, "ALLOW_V4"},
      {"v4 interactive-only without v4",
       with(Policy::Never(), [](Policy& p) { p.v4_mode = V4Mode::kV4InteractiveOnly; }),
       ErrorCode::kInvalidPolicy, "ALLOW_V4"},
      // The v4 engine is here (issue 17): ALLOW_V4 is accepted in every mode.
      {"v3-compatible with v4", Policy::Manual().WithV4(), std::nullopt, ""},
      {"always with v4", Policy::Always().WithV4(), std::nullopt, ""},
      {"v4 alone, v3-compatible mode", with(Policy::Never(), [](Policy& p) { p.allow_v4 = true; }),
       std::nullopt, ""},
      {"v4 standalone", Policy::V4Standalone(), std::nullopt, ""},
      {"v4 interactive-only", Policy::V4InteractiveOnly(), std::nullopt, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Status status = c.policy.Validate();
    if (!c.code) {
      EXPECT_TRUE(status.ok());
      continue;
    }
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.code(), *c.code);
    EXPECT_NE(status.error().context.find(c.reason), std::string_view::npos)
        << status.error().context;
  }
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(HardeningTest);

}  // namespace
}  // namespace otr
