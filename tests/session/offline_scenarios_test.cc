// Offline conversations end to end in one process (issue 18): Sessions and
// OfflineMaintenance talking to the real prekey server core
// (protocol/prekey/server) over their prekey-server output channel
// (Output::to_prekey_server, docs/decisions/0016), on MemoryStorage and once
// on the SQLite storage of tools/prekey_server. Bob publishes and goes away;
// Alice retrieves an ensemble and sends a Non-Interactive-Auth and 50 data
// messages; Bob comes back and reads them (in order, out of order), replies,
// and they go on; interactive after offline and the reverse. Prekey messages
// are handed out once, an exhausted server gives none; forged ensembles and
// empty answers are refused with a typed event and nothing sent; Bob's
// private prekey values are erased once used or expired; replenishing and
// renewal; the interactive-only mode refuses it all.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "crypto/secret_registry.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/prekey/server/memory_storage.h"
#include "protocol/prekey/server/server.h"
#include "protocol/session/offline_maintenance.h"
#include "protocol/session/session.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/engine/prekey_store.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "tests/session/v4_fixture.h"
#include "tools/prekey_server/sqlite_storage.h"

namespace otr {
namespace {

using crypto::testing::DeterministicRandom;

constexpr uint64_t kStart = 1'700'000'000;
constexpr std::string_view kServer = "prekey.localhost";

// One account: its identity, its PrekeyStore (what the application
// persists), its upkeep on the server, and a Session with its peer.
struct Account {
  Account(const crypto::Backend& b, std::string jid_, std::string peer_, uint64_t seed,
          Policy p = Policy::V4Standalone())
      : backend(&b), random(seed), jid(std::move(jid_)), peer(std::move(peer_)), policy(p) {
    tag = 0x3000 + static_cast<wire::InstanceTag>(seed);
    identity = testing::MakeV4Identity(b, 300 + seed, tag, kStart, "4");
  }
  // A fresh Session (a client that starts, or comes back).
  void Login(uint64_t /*now*/) {
    SessionConfig config = testing::OfflineSessionConfig(*backend, policy, tag, *identity, store);
    config.prekey_server = PrekeyServerConfig{std::string(kServer), peer, {}, 60, 0};
    config.known_fingerprints = known;
    session.reset();
    auto s = Session::Create(config, random);
    ASSERT_TRUE(s.ok()) << s.error().context;
    session.emplace(std::move(s).value());
  }
  Result<OfflineMaintenance> MakeMaintenance(uint64_t now, uint32_t low_water, uint32_t target,
                                             std::optional<v4::Fingerprint> server_fp) {
    OfflineMaintenanceConfig c;
    c.backend = backend;
    c.policy = policy;
    c.our_identity = jid;
    c.server = std::string(kServer);
    c.server_fingerprint = server_fp;
    c.identity = identity.get();
    c.store = &store;
    c.low_water = low_water;
    c.target = target;
    return OfflineMaintenance::Create(std::move(c), random, now);
  }
  // Keeps what the session shows and reports; returns what goes to the peer.
  std::vector<std::string> Take(Output out) {
    for (auto& d : out.display) seen.push_back(std::move(d.text));
    for (auto& e : out.events) events.push_back(std::move(e));
    for (auto& m : out.to_prekey_server) to_server.push_back(std::move(m));
    return std::move(out.to_send);
  }
  std::vector<std::string> Receive(uint64_t now, const std::vector<std::string>& wire) {
    std::vector<std::string> replies;
    for (const std::string& m : wire) {
      for (std::string& r : Take(session->Receive(now, m))) replies.push_back(std::move(r));
    }
    return replies;
  }
  std::vector<std::string> Refusals() const { return testing::OfflineRefusals(events); }
  int Count(EventType type) const { return testing::CountEvents(events, type); }

  const crypto::Backend* backend;
  DeterministicRandom random;
  std::string jid, peer;
  Policy policy;
  wire::InstanceTag tag;
  std::unique_ptr<v4::Identity> identity;
  v4::InMemoryPrekeyStore store;
  std::vector<SessionConfig::KnownFingerprint> known;
  std::optional<Session> session;
  std::vector<std::string> seen;
  std::vector<Event> events;
  std::vector<PrekeyServerMessage> to_server;  // the session's, not yet delivered
};

bool Has(const std::vector<MaintenanceEvent>& events, MaintenanceEventKind kind, uint32_t count) {
  for (const auto& e : events) {
    if (e.kind == kind && e.count == count) return true;
  }
  return false;
}

class OfflineScenariosTest : public ::testing::TestWithParam<const crypto::Backend*> {
 protected:
  void SetUp() override { UseStorage(memory_); }

  void UseStorage(prekey::Storage& storage) {
    auto key = v4::GenerateLongTermKeyPair(backend(), server_random_);
    ASSERT_TRUE(key.ok());
    server_key_ = std::make_unique<v4::Ed448KeyPair>(std::move(*key));
    prekey::ServerConfig config;
    config.identity = std::string(kServer);
    server_ =
        std::make_unique<prekey::Server>(backend(), server_random_, storage, *server_key_, config);
    storage_ = &storage;
  }
  const crypto::Backend& backend() const { return *GetParam(); }
  v4::Fingerprint ServerFingerprint() const {
    return v4::ComputePrekeyServerFingerprint(backend(), server_key_->pub);
  }

  // The application's routing: each PrekeyServerMessage goes to the server
  // as coming from `who`; the replies go back to `deliver`, whose own
  // messages for the server go out in turn.
  using Deliver = std::function<std::vector<PrekeyServerMessage>(std::string_view)>;
  void Route(const Account& who, std::vector<PrekeyServerMessage> out, uint64_t now,
             const Deliver& deliver) {
    for (int round = 0; !out.empty(); ++round) {
      ASSERT_LT(round, 20) << "no end to the exchange";
      std::vector<PrekeyServerMessage> next;
      for (const PrekeyServerMessage& m : out) {
        EXPECT_EQ(m.server, kServer);
        prekey::ServerOutput so =
            server_->Receive(who.jid, who.jid + "/res", m.text, static_cast<int64_t>(now));
        for (const std::string& reply : so.replies) {
          for (auto& n : deliver(reply)) next.push_back(std::move(n));
        }
      }
      out = std::move(next);
    }
  }
  std::vector<MaintenanceEvent> Run(Account& a, OfflineMaintenance& m, MaintenanceOutput first,
                                    uint64_t now) {
    std::vector<MaintenanceEvent> events = std::move(first.events);
    Route(a, std::move(first.to_prekey_server), now, [&](std::string_view reply) {
      MaintenanceOutput o = m.Receive(now, reply);
      for (auto& e : o.events) events.push_back(std::move(e));
      return std::move(o.to_prekey_server);
    });
    return events;
  }
  // Bob logs in: his upkeep publishes (low water 3, target 5 by default).
  std::vector<MaintenanceEvent> BobPublishes(uint64_t now, uint32_t low = 3, uint32_t target = 5) {
    auto m = bob_.MakeMaintenance(now, low, target, ServerFingerprint());
    EXPECT_TRUE(m.ok());
    if (!m.ok()) return {};
    maintenance_.emplace(std::move(m).value());
    return Run(bob_, *maintenance_, maintenance_->Start(now), now);
  }
  // Alice (or `who`) asks the server for Bob's ensembles; what goes to Bob.
  std::vector<std::string> AliceRetrieves(uint64_t now) { return Retrieves(alice_, now); }
  std::vector<std::string> Retrieves(Account& who, uint64_t now) {
    std::vector<std::string> wire = who.Take(who.session->RequestPrekeyEnsembles(now));
    std::vector<PrekeyServerMessage> out = std::move(who.to_server);
    who.to_server.clear();
    Route(who, std::move(out), now, [&](std::string_view reply) {
      for (auto& w : who.Take(who.session->ReceiveFromPrekeyServer(now, reply))) {
        wire.push_back(std::move(w));
      }
      std::vector<PrekeyServerMessage> more = std::move(who.to_server);
      who.to_server.clear();
      return more;
    });
    return wire;
  }
  // Alice's query, answered by a forged server with `reply`.
  std::vector<std::string> AliceGetsForged(uint64_t now, const std::string& reply) {
    std::vector<std::string> wire = alice_.Take(alice_.session->RequestPrekeyEnsembles(now));
    EXPECT_EQ(alice_.to_server.size(), 1u);
    alice_.to_server.clear();
    for (auto& w : alice_.Take(alice_.session->ReceiveFromPrekeyServer(now, reply))) {
      wire.push_back(std::move(w));
    }
    return wire;
  }
  uint32_t Stored(uint64_t now) {
    auto n = storage_->CountPrekeyMessages(bob_.jid, static_cast<int64_t>(now));
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : 0;
  }
  std::vector<std::string> AliceSends(uint64_t now, int n) {
    std::vector<std::string> wire;
    for (int i = 0; i < n; ++i) {
      for (auto& m : alice_.Take(alice_.session->Send(now, "offline " + std::to_string(i)))) {
        wire.push_back(std::move(m));
      }
    }
    return wire;
  }
  static std::vector<std::string> Expected(int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back("offline " + std::to_string(i));
    return out;
  }
  // Bob's genuine ensemble as the server would hand it out (one taken).
  prekey::PrekeyEnsemble TakeBobEnsemble(uint64_t now) {
    auto taken = storage_->TakeEnsembles(bob_.jid, static_cast<int64_t>(now));
    EXPECT_TRUE(taken.ok() && taken->size() == 1u);
    prekey::PrekeyEnsemble e;
    if (!taken.ok() || taken->empty()) return e;
    const prekey::StoredEnsemble& s = (*taken)[0];
    auto cp = v4::DecodeClientProfile(s.client_profile);
    auto pp = v4::DecodePrekeyProfile(s.prekey_profile);
    auto pm = v4::DecodePrekeyMessage(s.prekey_message);
    EXPECT_TRUE(cp.ok() && pp.ok() && pm.ok());
    if (cp.ok()) e.client_profile = *cp;
    if (pp.ok()) e.prekey_profile = *pp;
    if (pm.ok()) e.prekey_message = *pm;
    return e;
  }
  std::string RetrievalFor(std::string participant, std::vector<prekey::PrekeyEnsemble> list) {
    prekey::PrekeyEnsembleRetrieval r;
    r.receiver_instance_tag = alice_.tag;
    r.participant_identity = ToBytes(participant);
    r.ensembles = std::move(list);
    return prekey::EncodeForTransport(r);
  }

  // The headline: publish, go away, 50 messages through the network, read in
  // order, reply, continue; the used prekey message is gone from Bob's store
  // and from the server.
  void OfflineConversation() {
    Account& alice = alice_;
    Account& bob = bob_;
    uint64_t now = kStart + 10;
    bob.Login(now);
    const auto published = BobPublishes(now);
    EXPECT_TRUE(Has(published, MaintenanceEventKind::kStorageStatus, 0));
    EXPECT_TRUE(Has(published, MaintenanceEventKind::kPublished, 5));
    EXPECT_EQ(bob.store.prekey_count(), 5u);
    EXPECT_EQ(Stored(now), 5u);
    bob.session.reset();  // Bob goes away

    alice.Login(now);
    std::vector<std::string> wire = AliceRetrieves(now);
    ASSERT_EQ(wire.size(), 1u) << "the Non-Interactive-Auth";
    EXPECT_TRUE(alice.Refusals().empty()) << alice.Refusals()[0];
    EXPECT_EQ(alice.session->state(), ConversationState::kEncrypted);
    EXPECT_EQ(alice.Count(EventType::kWentSecure), 1);
    EXPECT_EQ(Stored(now), 4u);
    for (auto& m : AliceSends(now, 50)) wire.push_back(std::move(m));
    ASSERT_EQ(wire.size(), 51u);

    now += 3 * 3600;  // Bob comes back
    bob.Login(now);
    bob.Receive(now, wire);
    EXPECT_EQ(bob.session->state(), ConversationState::kEncrypted);
    EXPECT_EQ(bob.seen, Expected(50));
    EXPECT_EQ(bob.store.prekey_count(), 4u);
    EXPECT_EQ(bob.session->view().ssid, alice.session->view().ssid);
    for (int i = 0; i < 3; ++i) {
      const std::string n = std::to_string(i);
      alice.Receive(now, bob.Take(bob.session->Send(now, "reply " + n)));
      EXPECT_EQ(alice.seen.back(), "reply " + n);
      bob.Receive(now, alice.Take(alice.session->Send(now, "again " + n)));
      EXPECT_EQ(bob.seen.back(), "again " + n);
    }
    EXPECT_TRUE(bob.Refusals().empty());
  }

  DeterministicRandom server_random_{uint64_t{0x5e7e}};
  prekey::MemoryStorage memory_;
  prekey::Storage* storage_ = nullptr;
  std::unique_ptr<v4::Ed448KeyPair> server_key_;
  std::unique_ptr<prekey::Server> server_;
  Account alice_{backend(), "alice@localhost", "bob@localhost", 1};
  Account bob_{backend(), "bob@localhost", "alice@localhost", 2};
  std::optional<OfflineMaintenance> maintenance_;
};

TEST_P(OfflineScenariosTest, FiftyOfflineMessagesReadInOrderAndTheConversationContinues) {
  OfflineConversation();
}

// Once through the SQLite storage of the otr-prekey-server program.
TEST_P(OfflineScenariosTest, TheSameOnTheSqliteStorage) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  ASSERT_NE(tmp, nullptr) << "TEST_TMPDIR is not set (run under bazel test)";
  prekey_server::SqliteOptions options;
  options.path = std::string(tmp) + "/offline_" + std::string(backend().name()) + ".db";
  std::remove(options.path.c_str());
  auto sqlite = prekey_server::SqliteStorage::Open(options);
  ASSERT_TRUE(sqlite.ok()) << sqlite.error().context;
  UseStorage(**sqlite);
  OfflineConversation();
  server_.reset();
}

TEST_P(OfflineScenariosTest, FiftyOfflineMessagesOutOfOrderAreEachReadOnce) {
  uint64_t now = kStart + 10;
  BobPublishes(now);
  alice_.Login(now);
  std::vector<std::string> wire = AliceRetrieves(now);
  ASSERT_EQ(wire.size(), 1u);
  const std::vector<std::string> data = AliceSends(now, 50);
  ASSERT_EQ(data.size(), 50u);
  // The NIA first, then the 50 in a fixed shuffle, some twice.
  std::vector<size_t> order;
  for (size_t i = 0; i < 50; ++i) order.push_back((i * 17 + 5) % 50);
  std::vector<std::string> delivered = {wire[0]};
  std::vector<std::string> expected;
  for (size_t k = 0; k < order.size(); ++k) {
    delivered.push_back(data[order[k]]);
    expected.push_back("offline " + std::to_string(order[k]));
    if (k % 7 == 0) delivered.push_back(data[order[k]]);  // a duplicate, ignored
  }
  now += 600;
  bob_.Login(now);
  bob_.Receive(now, delivered);
  EXPECT_EQ(bob_.seen, expected);
  alice_.Receive(now, bob_.Take(bob_.session->Send(now, "got them all")));
  EXPECT_EQ(alice_.seen.back(), "got them all");
}

// "Starting an online conversation after an offline one" and the reverse,
// with the ensembles coming from the server.
TEST_P(OfflineScenariosTest, InteractiveAfterOfflineAndTheReverse) {
  uint64_t now = kStart + 10;
  BobPublishes(now);
  alice_.Login(now);
  bob_.Login(now);
  bob_.Receive(now, AliceRetrieves(now));
  ASSERT_EQ(bob_.session->state(), ConversationState::kEncrypted);
  const auto offline_ssid = bob_.session->view().ssid;
  // Bob online: TLV 1, then the interactive DAKE.
  alice_.Receive(now, bob_.Take(bob_.session->EndOtr(now)));
  std::vector<std::string> to_alice = bob_.Take(bob_.session->StartOtr(now));
  for (int round = 0; round < 6 && !to_alice.empty(); ++round) {
    to_alice = bob_.Receive(now, alice_.Receive(now, to_alice));
  }
  ASSERT_EQ(alice_.session->state(), ConversationState::kEncrypted);
  ASSERT_EQ(bob_.session->state(), ConversationState::kEncrypted);
  EXPECT_NE(bob_.session->view().ssid, offline_ssid);
  bob_.Receive(now, alice_.Take(alice_.session->Send(now, "online")));
  EXPECT_EQ(bob_.seen.back(), "online");
  // Bob goes offline again; Alice, still ENCRYPTED, starts offline.
  const auto online_ssid = alice_.session->view().ssid;
  std::vector<std::string> wire = AliceRetrieves(now);
  ASSERT_EQ(wire.size(), 2u);  // TLV 1, Non-Interactive-Auth
  for (auto& m : AliceSends(now, 2)) wire.push_back(std::move(m));
  EXPECT_NE(alice_.session->view().ssid, online_ssid);
  now += 60;
  bob_.Login(now);  // his client restarted
  bob_.seen.clear();
  bob_.Receive(now, wire);
  EXPECT_EQ(bob_.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(bob_.seen, Expected(2));
  EXPECT_EQ(bob_.session->view().ssid, alice_.session->view().ssid);
}

// "Prekey messages are used once": each retrieval gets another one; an
// exhausted server gives none and Alice is told, nothing sent.
TEST_P(OfflineScenariosTest, EachRetrievalGetsAnotherPrekeyMessageUntilNoneAreLeft) {
  const uint64_t now = kStart + 10;
  BobPublishes(now, 1, 2);
  EXPECT_EQ(Stored(now), 2u);
  alice_.Login(now);
  const auto first = AliceRetrieves(now);
  ASSERT_EQ(first.size(), 1u);
  Account erin(backend(), "erin@localhost", "bob@localhost", 5);
  erin.Login(now);
  const auto second = Retrieves(erin, now);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(first[0], second[0]);
  EXPECT_EQ(Stored(now), 0u);
  alice_.Login(now);
  EXPECT_TRUE(AliceRetrieves(now).empty());
  ASSERT_EQ(alice_.Refusals().size(), 1u);
  EXPECT_EQ(alice_.Refusals()[0],
            "prekey server: no Prekey Ensembles in storage for bob@localhost");
  EXPECT_NE(alice_.session->state(), ConversationState::kEncrypted);
  // Bob reads both; each prekey message once.
  bob_.Login(now);
  bob_.Receive(now, first);
  bob_.Receive(now, second);
  EXPECT_EQ(bob_.Count(EventType::kWentSecure), 2);
  EXPECT_EQ(bob_.store.prekey_count(), 0u);
  bob_.Receive(now, first);  // replayed: its prekey message is gone
  ASSERT_EQ(bob_.Refusals().size(), 1u);
}

// Forged answers: each refused with OfflineRefused, nothing to the peer.
TEST_P(OfflineScenariosTest, ForgedEnsemblesAreRefusedAndNothingIsSent) {
  uint64_t now = kStart + 10;
  BobPublishes(now);
  bob_.Login(now);
  Account carol(backend(), "carol@localhost", "bob@localhost", 3);
  carol.Login(now);
  auto carol_m = carol.MakeMaintenance(now, 3, 5, ServerFingerprint());
  ASSERT_TRUE(carol_m.ok());
  Run(carol, *carol_m, carol_m->Start(now), now);
  alice_.Login(now);
  const prekey::PrekeyEnsemble bob = TakeBobEnsemble(now);
  auto taken = storage_->TakeEnsembles(carol.jid, static_cast<int64_t>(now));
  ASSERT_TRUE(taken.ok() && taken->size() == 1u);
  auto carol_message = v4::DecodePrekeyMessage((*taken)[0].prekey_message);
  auto carol_prekey_profile = v4::DecodePrekeyProfile((*taken)[0].prekey_profile);
  ASSERT_TRUE(carol_message.ok() && carol_prekey_profile.ok());

  struct Case {
    std::string name;
    std::string reply;
    std::string refusal;  // a part of the reported text
    uint64_t at;
  };
  std::vector<Case> cases;
  auto someone_elses_message = bob;
  someone_elses_message.prekey_message = *carol_message;
  cases.push_back({"a prekey message of someone else",
                   RetrievalFor(bob_.jid, {someone_elses_message}), "no valid prekey ensemble",
                   now});
  // Bob's tag, Carol's key: the signature does not verify with Bob's H.
  v4::profile::PrekeyProfileParams params;
  params.owner_instance_tag = bob_.tag;
  params.expiration = bob.prekey_profile.expiration;
  auto d = backend().Ed448Decode(bob.prekey_profile.shared_prekey);
  ASSERT_TRUE(d.ok());
  params.shared_prekey = *d;
  auto signed_by_carol =
      v4::profile::CreatePrekeyProfile(backend(), carol.identity->long_term.sym_key, params);
  ASSERT_TRUE(signed_by_carol.ok());
  auto other_signer = bob;
  other_signer.prekey_profile = *signed_by_carol;
  cases.push_back({"a prekey profile signed by another key", RetrievalFor(bob_.jid, {other_signer}),
                   "no valid prekey ensemble", now});
  cases.push_back({"an expired ensemble", RetrievalFor(bob_.jid, {bob}), "no valid prekey ensemble",
                   now + 30 * 24 * 3600});
  cases.push_back({"ensembles of another identity", RetrievalFor(carol.jid, {bob}),
                   "ensembles of another identity", now});
  prekey::NoPrekeyEnsemblesInStorage none;
  none.receiver_instance_tag = alice_.tag;
  none.participant_identity = ToBytes(bob_.jid);
  none.text = ToBytes("No Prekey Messages available for this identity");
  cases.push_back({"No Prekey Ensembles", prekey::EncodeForTransport(none),
                   "no Prekey Ensembles in storage", now});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    alice_.Login(c.at);
    alice_.events.clear();
    EXPECT_TRUE(AliceGetsForged(c.at, c.reply).empty());
    EXPECT_FALSE(alice_.session->awaiting_prekey_server());
    EXPECT_NE(alice_.session->state(), ConversationState::kEncrypted);
    const auto refusals = alice_.Refusals();
    ASSERT_FALSE(refusals.empty());
    EXPECT_NE(refusals.back().find(c.refusal), std::string::npos) << refusals.back();
  }

  // An empty list does not even decode: the query goes unanswered and
  // times out, reported, nothing sent.
  alice_.Login(now);
  alice_.events.clear();
  EXPECT_TRUE(AliceGetsForged(now, RetrievalFor(bob_.jid, {})).empty());
  EXPECT_TRUE(alice_.session->awaiting_prekey_server());
  ASSERT_TRUE(alice_.session->NextTimeout().has_value());
  const uint64_t due = *alice_.session->NextTimeout();
  EXPECT_TRUE(alice_.Take(alice_.session->HandleTimeout(due)).empty());
  ASSERT_EQ(alice_.Refusals().size(), 1u);
  EXPECT_EQ(alice_.Refusals()[0], "prekey server: the prekey server did not answer");
  EXPECT_FALSE(alice_.session->awaiting_prekey_server());

  // Carol's genuine ensemble passed off as Bob's: it validates (prekey
  // messages are not signed, profiles are Carol's), but Bob's trusted
  // fingerprint is not the one Alice reaches: she is told.
  auto bob_fp = bob_.session->our_v4_fingerprint();
  ASSERT_TRUE(bob_fp.has_value());
  alice_.known = {{*bob_fp, true}};
  alice_.Login(now);
  alice_.events.clear();
  prekey::PrekeyEnsemble carols = bob;
  carols.client_profile = carol.identity->client_profile;
  carols.prekey_profile = *carol_prekey_profile;
  carols.prekey_message = *carol_message;
  EXPECT_EQ(AliceGetsForged(now, RetrievalFor(bob_.jid, {carols})).size(), 1u);
  const auto* secure = [&]() -> const events::WentSecure* {
    for (const Event& e : alice_.events) {
      if (const auto* w = e.As<events::WentSecure>()) return w;
    }
    return nullptr;
  }();
  ASSERT_NE(secure, nullptr);
  EXPECT_NE(secure->trust, Trust::kTrusted);
  EXPECT_EQ(alice_.Count(EventType::kNewFingerprint), 1);
}

// Bob's private prekey values: erased from his PrekeyStore (and from memory)
// once used, and once expired (with the profiles' extra validity).
TEST_P(OfflineScenariosTest, PrivatePrekeyValuesAreErasedWhenUsedOrExpired) {
  uint64_t now = kStart + 10;
  BobPublishes(now, 3, 3);
  ASSERT_EQ(bob_.store.prekey_count(), 3u);
  const prekey::PrekeyEnsemble mine = TakeBobEnsemble(now);
  const v4::dake::PrekeySecrets* kept =
      bob_.store.FindPrekey(mine.prekey_message.identifier, bob_.tag, static_cast<int64_t>(now));
  ASSERT_NE(kept, nullptr);
  const Bytes y = kept->ecdh.secret().Declassify();
  auto live = [](const Bytes& secret) {
    int n = 0;
    crypto::ForEachLiveSecret([&](ByteView v) { n += Bytes(v.begin(), v.end()) == secret; });
    return n;
  };
  EXPECT_EQ(live(y), 1);
  alice_.Login(now);
  const auto wire = AliceGetsForged(now, RetrievalFor(bob_.jid, {mine}));
  ASSERT_EQ(wire.size(), 1u);
  bob_.Login(now);
  bob_.Receive(now, wire);
  ASSERT_EQ(bob_.session->state(), ConversationState::kEncrypted);
  EXPECT_EQ(
      bob_.store.FindPrekey(mine.prekey_message.identifier, bob_.tag, static_cast<int64_t>(now)),
      nullptr);
  EXPECT_EQ(live(y), 0);
  EXPECT_EQ(bob_.store.prekey_count(), 2u);

  // Past the Prekey Profile's expiration plus the extra validity, the
  // upkeep erases the rest (and the profile).
  const int64_t gone = mine.prekey_profile.expiration + v4::profile::kRecommendedExtraValidity;
  const MaintenanceOutput out = maintenance_->HandleTimeout(static_cast<uint64_t>(gone));
  EXPECT_TRUE(Has(out.events, MaintenanceEventKind::kErased, 3));
  EXPECT_EQ(bob_.store.prekey_count(), 0u);
  EXPECT_EQ(bob_.store.profile_count(), 0u);
}

// Replenishing below low water, renewing profiles before they expire.
TEST_P(OfflineScenariosTest, UpkeepReplenishesAndRenews) {
  uint64_t now = kStart + 10;
  BobPublishes(now, 3, 5);
  ASSERT_TRUE(maintenance_->NextTimeout().has_value());
  EXPECT_EQ(*maintenance_->NextTimeout(), now + 3600);
  // Nothing due before the next check.
  EXPECT_TRUE(maintenance_->HandleTimeout(now + 10).to_prekey_server.empty());
  for (int i = 0; i < 3; ++i) TakeBobEnsemble(now);
  EXPECT_EQ(Stored(now), 2u);
  now += 3600;
  auto events = Run(bob_, *maintenance_, maintenance_->HandleTimeout(now), now);
  EXPECT_TRUE(Has(events, MaintenanceEventKind::kStorageStatus, 2));
  EXPECT_TRUE(Has(events, MaintenanceEventKind::kPublished, 3));
  EXPECT_EQ(Stored(now), 5u);
  // Enough stored: a check publishes nothing.
  now += 3600;
  events = Run(bob_, *maintenance_, maintenance_->HandleTimeout(now), now);
  EXPECT_TRUE(Has(events, MaintenanceEventKind::kStorageStatus, 5));
  EXPECT_FALSE(Has(events, MaintenanceEventKind::kPublished, 0));

  // Within a day of the profiles' expiration: new ones, published.
  const int64_t old_expiration = bob_.identity->client_profile.expiration;
  now = static_cast<uint64_t>(old_expiration) - 3600;
  events = Run(bob_, *maintenance_, maintenance_->HandleTimeout(now), now);
  EXPECT_TRUE(Has(events, MaintenanceEventKind::kProfilesRenewed, 0));
  EXPECT_TRUE(Has(events, MaintenanceEventKind::kPublished, 0));
  EXPECT_GT(bob_.identity->client_profile.expiration, old_expiration);
  EXPECT_EQ(bob_.store.profile_count(), 2u);
  // Alice, two days after the old profiles expired (past their extra
  // validity), still reaches Bob: the server pairs the Prekey Messages it
  // keeps with the renewed profiles, and Bob kept their secrets as long.
  now = static_cast<uint64_t>(old_expiration) + 2 * 24 * 3600;
  alice_.identity = testing::MakeV4Identity(backend(), 301, alice_.tag, now, "4");
  alice_.Login(now);
  const auto wire = AliceRetrieves(now);
  ASSERT_EQ(wire.size(), 1u);
  bob_.Login(now);
  bob_.Receive(now, wire);
  EXPECT_EQ(bob_.session->state(), ConversationState::kEncrypted);
}

// A Session stays copyable (explorers fork them): the copy has the same
// prekey server but no retrieval in flight; the original finishes its own.
TEST_P(OfflineScenariosTest, ACopiedSessionHasNoRetrievalInFlight) {
  const uint64_t now = kStart + 10;
  BobPublishes(now);
  alice_.Login(now);
  alice_.Take(alice_.session->RequestPrekeyEnsembles(now));
  ASSERT_TRUE(alice_.session->awaiting_prekey_server());
  Session copy = *alice_.session;
  EXPECT_FALSE(copy.awaiting_prekey_server());
  EXPECT_FALSE(copy.NextTimeout().has_value());
  std::vector<PrekeyServerMessage> query = std::move(alice_.to_server);
  alice_.to_server.clear();
  std::vector<std::string> wire;
  Route(alice_, std::move(query), now, [&](std::string_view reply) {
    EXPECT_TRUE(copy.ReceiveFromPrekeyServer(now, reply).to_send.empty());
    for (auto& w : alice_.Take(alice_.session->ReceiveFromPrekeyServer(now, reply))) {
      wire.push_back(std::move(w));
    }
    return std::vector<PrekeyServerMessage>{};
  });
  EXPECT_EQ(wire.size(), 1u);
  EXPECT_EQ(alice_.session->state(), ConversationState::kEncrypted);
  EXPECT_NE(copy.state(), ConversationState::kEncrypted);
}

// otr-v4-modes: the interactive-only mode refuses all of it.
TEST_P(OfflineScenariosTest, InteractiveOnlyRefusesPublishingAndRetrieving) {
  const uint64_t now = kStart + 10;
  Account only(backend(), "dave@localhost", "bob@localhost", 4, Policy::V4InteractiveOnly());
  auto m = only.MakeMaintenance(now, 3, 5, std::nullopt);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kInvalidPolicy);
  only.Login(now);
  EXPECT_TRUE(only.Take(only.session->RequestPrekeyEnsembles(now)).empty());
  EXPECT_TRUE(only.to_server.empty());
  ASSERT_EQ(only.Refusals().size(), 1u);
  EXPECT_EQ(only.Refusals()[0], "interactive-only mode");
}

// Both backends (issue 18: "In-process, on both backends"); the backend
// pairs are covered by session_offline_test and tests/prekey.
INSTANTIATE_TEST_SUITE_P(AllBackends, OfflineScenariosTest,
                         ::testing::ValuesIn(crypto::AllBackends()),
                         [](const ::testing::TestParamInfo<const crypto::Backend*>& info) {
                           return std::string(info.param->name());
                         });

}  // namespace
}  // namespace otr
