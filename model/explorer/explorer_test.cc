// The explorer at the bound `bazel test` uses, and proof that it can fail:
// planted violations are found with short traces, and the conformance
// checker refuses rows that do not match the tables.
#include "model/explorer/explorer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"

namespace otr::model {
namespace {

const crypto::Backend& Openssl() { return **crypto::FindBackend("openssl"); }

void Report(const std::string& name, const Explorer& e) {
  const Stats& s = e.stats();
  std::printf(
      "%s: %llu states, %llu transitions, %llu rows checked, %zu/%zu rows covered, %.1f s\n",
      name.c_str(), static_cast<unsigned long long>(s.states),
      static_cast<unsigned long long>(s.transitions),
      static_cast<unsigned long long>(s.rows_checked), s.rows_covered, s.rows_total, s.seconds);
}

std::optional<Violation> Explore(const std::string& name, ExplorerConfig config,
                                 std::unique_ptr<Explorer>* out = nullptr) {
  auto e = Explorer::Create(std::move(config));
  EXPECT_TRUE(e.ok());
  if (!e.ok()) return std::nullopt;
  auto v = (*e)->Run();
  Report(name, **e);
  if (v) std::printf("%s", (*e)->Format(v->trace).c_str());
  if (out != nullptr) *out = std::move(*e);
  return v;
}

// The message-table row that answers a Data Message with a heartbeat
// (kDataAccepted / kHeartbeatDue -> kSendHeartbeat).
size_t HeartbeatRow() {
  for (size_t row = 0; row < TableSize(Machine::kMessage); ++row) {
    for (v3::MessageAction action : v3::kMessageTable[row].actions) {
      if (action == v3::MessageAction::kSendHeartbeat) return row;
    }
  }
  ADD_FAILURE() << "no heartbeat row in the message table";
  return TableSize(Machine::kMessage);
}

TEST(ExplorerTest, AkeFromPlaintextHoldsAtTheTestBound) {
  std::unique_ptr<Explorer> e;
  auto v = Explore("ake", NamedConfig("ake", Openssl(), 4), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_GT(e->stats().states, 50u);
  EXPECT_FALSE(e->stats().truncated);
  // Alice's text, held back by REQUIRE_ENCRYPTION, expires when time passes.
  EXPECT_TRUE(e->Reported(EventType::kHeldMessageExpired));
}

TEST(ExplorerTest, EstablishedSessionHoldsAtTheTestBound) {
  std::unique_ptr<Explorer> e;
  auto v = Explore("established", NamedConfig("established", Openssl(), 3), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_GT(e->stats().states, 50u);
  // Time passes, one types, the other answers with a heartbeat.
  EXPECT_TRUE(e->Covered(Machine::kMessage, HeartbeatRow()));
}

// Time is explored (issue 15): with one "time passes" in the budget, a party
// that receives a Data Message after a minute without sending answers with a
// heartbeat, and a message held back by REQUIRE_ENCRYPTION expires
// (kHeldMessageExpired); with the clock frozen neither happens.
TEST(ExplorerTest, TimePassingReachesHeartbeatAndExpiry) {
  for (int time = 0; time < 2; ++time) {
    const std::string with = time > 0 ? " with time" : " without time";
    // Established; only typing (one message each) and time.
    ExplorerConfig established = NamedConfig("established", Openssl(), 3);
    established.budgets = kNoneUsed;
    established.budgets.send = 2;
    established.budgets.time = time;
    std::unique_ptr<Explorer> e;
    EXPECT_FALSE(Explore("established" + with, established, &e).has_value());
    EXPECT_EQ(e->Covered(Machine::kMessage, HeartbeatRow()), time > 0);
    EXPECT_FALSE(e->Reported(EventType::kHeldMessageExpired));
    // From plaintext: Alice types (held back, a query goes out) and time.
    ExplorerConfig ake = NamedConfig("ake", Openssl(), 2);
    ake.budgets = kNoneUsed;
    ake.budgets.send = 1;
    ake.budgets.time = time;
    EXPECT_FALSE(Explore("ake" + with, ake, &e).has_value());
    EXPECT_EQ(e->Reported(EventType::kHeldMessageExpired), time > 0);
  }
}

// A planted check that the time path is judged like any other: "Bob never
// sends a heartbeat" is broken in the shortest way, Alice typing and time
// passing (either order: Bob has not sent since the AKE), then the delivery.
TEST(ExplorerTest, PlantedNoHeartbeatIsFoundAfterTimePasses) {
  ExplorerConfig config = NamedConfig("established", Openssl(), 4);
  config.budgets = kNoneUsed;
  config.budgets.send = 1;
  config.budgets.time = 1;
  config.extra_invariant = [](World& w) -> std::string {
    for (const auto& [stem, n] : w.party[1].ordinals) {
      if (stem.find("heartbeat") != std::string::npos) return "Bob sent a heartbeat";
    }
    return "";
  };
  std::unique_ptr<Explorer> e;
  auto v = Explore("planted heartbeat", config, &e);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->invariant, "planted");
  ASSERT_EQ(v->trace.size(), 9u);  // the AKE (6), then the three
  EXPECT_TRUE(v->trace[6].kind == ActionKind::kTimePasses ||
              v->trace[7].kind == ActionKind::kTimePasses);
  EXPECT_TRUE(v->trace[6].kind == ActionKind::kSend || v->trace[7].kind == ActionKind::kSend);
  EXPECT_EQ(v->trace[8].kind, ActionKind::kDeliver);
  const std::string log = e->Format(v->trace);
  EXPECT_NE(log.find("61 seconds pass (now 1061)"), std::string::npos) << log;
  EXPECT_NE(log.find("heartbeat"), std::string::npos) << log;
}

// The cache key tells apart states that differ only in when a party last
// sent: Bob typing before time passes leaves his heartbeat due, typing after
// it does not (the same labels, budgets and clock otherwise).
TEST(ExplorerTest, FingerprintKnowsWhatWasSentBeforeTimePassed) {
  auto e = Explorer::Create(NamedConfig("established", Openssl(), 2));
  ASSERT_TRUE(e.ok());
  const std::vector<Action> ake = {{ActionKind::kStart, 0},   {ActionKind::kDeliver, 1},
                                   {ActionKind::kDeliver, 0}, {ActionKind::kDeliver, 1},
                                   {ActionKind::kDeliver, 0}, {ActionKind::kDeliver, 1}};
  const Action bob_types{ActionKind::kSend, 1};
  const Action time{ActionKind::kTimePasses, 0, 61};
  std::vector<Action> before = ake, after = ake;
  before.insert(before.end(), {bob_types, time});
  after.insert(after.end(), {time, bob_types});
  EXPECT_NE((*e)->FingerprintAfter(before), (*e)->FingerprintAfter(after));
  // The clock itself.
  std::vector<Action> later = ake;
  later.push_back(time);
  EXPECT_NE((*e)->FingerprintAfter(ake), (*e)->FingerprintAfter(later));
}

TEST(ExplorerTest, TimeoutContractRefusesABrokenSession) {
  Output nothing;
  Output expired;
  expired.events.push_back(Event(events::HeldMessageExpired{}));
  // Holds: nothing pending; due and handled; not yet due.
  EXPECT_EQ(CheckTimeout(1061, std::nullopt, nothing, std::nullopt), "");
  EXPECT_EQ(CheckTimeout(1061, 1061, expired, std::nullopt), "");
  EXPECT_EQ(CheckTimeout(1061, 1100, nothing, 1100), "");
  // Acts with nothing pending, or before it is due.
  EXPECT_NE(CheckTimeout(1061, std::nullopt, expired, std::nullopt), "");
  EXPECT_NE(CheckTimeout(1061, 1062, expired, std::nullopt), "");
  // Leaves something due by now.
  EXPECT_NE(CheckTimeout(1061, 1061, expired, 1061), "");
  EXPECT_NE(CheckTimeout(1061, 1000, nothing, 1000), "");
}

TEST(ExplorerTest, SmpWithDifferentSecretsHoldsAtTheTestBound) {
  std::unique_ptr<Explorer> e;
  auto v = Explore("smp-differ", NamedConfig("smp-differ", Openssl(), 3), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_GT(e->stats().states, 50u);
}

// SMP to its end: only Alice's start, Bob's answer and the network
// (reordering, one drop), six steps after the AKE. With equal secrets the
// run succeeds somewhere (a planted "never succeeds" is found) and never
// fails; with different secrets the reverse.
TEST(ExplorerTest, SmpRunsToTheEndAndReportsOnlyTheTruth) {
  for (const std::string name : {"established", "smp-differ"}) {
    ExplorerConfig config = NamedConfig(name, Openssl(), 6);
    config.budgets = Budgets{1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0};
    std::unique_ptr<Explorer> e;
    EXPECT_FALSE(Explore(name + " smp", config, &e).has_value());
    const bool equal = name == "established";
    config.extra_invariant = [equal](World& w) -> std::string {
      const int n = equal ? w.party[0].smp_succeeded + w.party[1].smp_succeeded
                          : w.party[0].smp_failed + w.party[1].smp_failed;
      return n > 0 ? "an SMP run completed" : "";
    };
    auto v = Explore(name + " smp planted", config);
    ASSERT_TRUE(v.has_value()) << name;
    EXPECT_EQ(v->invariant, "planted");
    EXPECT_LE(v->trace.size(), 12u);  // the AKE, 2 user actions, 4 deliveries
  }
}

TEST(ExplorerTest, PlantedInvariantIsFoundWithAMinimalTrace) {
  ExplorerConfig config = NamedConfig("ake", Openssl(), 6);
  // Only Alice's start and deliveries.
  config.budgets = Budgets{0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
  config.extra_invariant = [](World& w) -> std::string {
    return w.party[1].session->state() == ConversationState::kEncrypted ? "Bob is ENCRYPTED" : "";
  };
  std::unique_ptr<Explorer> e;
  auto v = Explore("planted", config, &e);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->invariant, "planted");
  // Query, D-H Commit, D-H Key, Reveal Signature, Signature: six steps.
  EXPECT_EQ(v->trace.size(), 6u);
  auto again = e->Replay(v->trace);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->invariant, "planted");
  // Shrinking a noisy run: Alice types (held back, a query goes out), starts
  // too, and the network pumps both ways; six steps remain.
  std::vector<Action> noisy = {{ActionKind::kSend, 0}, {ActionKind::kStart, 0}};
  for (int i = 0; i < 6; ++i) {
    noisy.push_back({ActionKind::kDeliver, 1});
    noisy.push_back({ActionKind::kDeliver, 0});
  }
  auto found = e->Replay(noisy);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(e->Shrink(*found).size(), 6u);
}

TEST(ExplorerTest, PlantedForgeryIsCaughtByIntegrity) {
  ExplorerConfig config = NamedConfig("established", Openssl(), 2);
  config.budgets = Budgets{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  std::unique_ptr<Explorer> e;
  auto v = Explore("forgery", config, &e);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->invariant, "integrity");
  EXPECT_LE(v->trace.size(), 8u);  // the AKE, the forgery, its delivery
  EXPECT_EQ(v->trace.back().kind, ActionKind::kDeliver);
}

// Version 2 only (no instance tags: everything goes to the master
// conversation).
TEST(ExplorerTest, V2OnlyHoldsAtTheTestBound) {
  for (const auto& [name, depth] :
       {std::pair<std::string, int>{"ake-v2", 3}, {"established-v2", 2}}) {
    std::unique_ptr<Explorer> e;
    auto v = Explore(name, NamedConfig(name, Openssl(), depth), &e);
    EXPECT_FALSE(v.has_value()) << name;
    EXPECT_GT(e->stats().states, 50u) << name;
    EXPECT_FALSE(e->stats().truncated) << name;
  }
}

// A third participant with her own key: all the actions, Mallory starting
// once towards Alice or Bob, typing once, two redirections.
TEST(ExplorerTest, MalloryHoldsAtTheTestBound) {
  for (const auto& [name, depth] : {std::pair<std::string, int>{"ake-mallory", 3},
                                    {"ake-v2-mallory", 3},
                                    {"established-mallory", 2}}) {
    std::unique_ptr<Explorer> e;
    auto v = Explore(name, NamedConfig(name, Openssl(), depth), &e);
    EXPECT_FALSE(v.has_value()) << name;
    EXPECT_GT(e->stats().states, 50u) << name;
  }
}

// Only Mallory's actions and the network: the search reaches Alice (and Bob)
// ENCRYPTED with Mallory, both versions, and what Mallory types is displayed
// to them as hers; no invariant breaks on the way.
Budgets MalloryOnly() {
  Budgets b = kNoneUsed;
  b.mstart = 1;
  b.msend = 1;
  b.redirect = 2;  // v2 has no instance tags: both of Alice's go to Bob
  return b;
}

TEST(ExplorerTest, MalloryRunsAnAkeAndTalksWithAliceOrBob) {
  for (const std::string name : {"ake-mallory", "ake-v2-mallory"}) {
    for (int victim = 0; victim < 2; ++victim) {
      // v3: Mallory's start, the query, Alice's redirected D-H Commit, D-H
      // Key, Reveal Signature (addressed to Mallory), Signature, Mallory
      // types, the Data Message; v2 needs one more redirection.
      const bool v2 = name.find("v2") != std::string::npos;
      ExplorerConfig config = NamedConfig(name, Openssl(), v2 ? 9 : 8);
      config.budgets = MalloryOnly();
      config.extra_invariant = [victim](World& w) -> std::string {
        return w.party[victim].displayed_encrypted.count("Mallory says 1.") > 0
                   ? "Mallory's text was displayed as encrypted"
                   : "";
      };
      auto v = Explore(name + " planted", config);
      ASSERT_TRUE(v.has_value()) << name << " " << victim;
      EXPECT_EQ(v->invariant, "planted") << name << " " << victim;
      EXPECT_LE(v->trace.size(), v2 ? 9u : 8u);
      config.extra_invariant = nullptr;
      std::unique_ptr<Explorer> e;
      EXPECT_FALSE(Explore(name + " mallory only", config, &e).has_value()) << name;
    }
  }
}

// PLANTED identity swap: Mallory's Session holds Bob's key (stolen) while
// the invariants know her as Mallory. Alice goes ENCRYPTED believing Bob in
// a session whose other end is Mallory: agreement reports the misbinding.
TEST(ExplorerTest, PlantedStolenKeyIsCaughtAsMisbinding) {
  for (const std::string name : {"ake-mallory", "ake-v2-mallory"}) {
    const bool v2 = name.find("v2") != std::string::npos;
    ExplorerConfig config = NamedConfig(name, Openssl(), v2 ? 7 : 6);
    config.budgets = MalloryOnly();
    config.planted_mallory_key = 1;
    std::unique_ptr<Explorer> e;
    auto v = Explore(name + " stolen key", config, &e);
    ASSERT_TRUE(v.has_value()) << name;
    EXPECT_EQ(v->invariant, "agreement") << name;
    EXPECT_NE(v->detail.find("misbinding"), std::string::npos) << v->detail;
    EXPECT_LE(v->trace.size(), v2 ? 7u : 6u);
  }
}

ConversationView Encrypted(uint8_t session, const store::Fingerprint& peer, bool sent_reveal) {
  ConversationView c;
  c.message = v3::MessageState::kEncrypted;
  c.has_keys = true;
  c.ssid = {session};
  c.their_fingerprint = peer;
  c.sent_reveal = sent_reveal;
  return c;
}

TEST(ExplorerTest, AgreementRefusesMisbindingAndSharedSessions) {
  const store::Fingerprint alice{1}, bob{2}, mallory{3};
  const std::vector<store::Fingerprint> ids = {alice, bob, mallory};
  std::vector<PartyView> views(3);
  // Alice and Bob, one AKE run: holds.
  views[0].conversations = {Encrypted(7, bob, true)};
  views[1].conversations = {Encrypted(7, alice, false)};
  EXPECT_EQ(CheckAgreement(views, ids), "");
  // Alice ENCRYPTED with Mallory, Mallory's end: holds.
  views[0].conversations = {Encrypted(8, mallory, true)};
  views[1].conversations = {};
  views[2].conversations = {Encrypted(8, alice, false)};
  EXPECT_EQ(CheckAgreement(views, ids), "");
  // Bob believes Alice, the other end is Mallory's.
  views[1].conversations = {Encrypted(8, alice, false)};
  views[0].conversations = {};
  EXPECT_NE(CheckAgreement(views, ids).find("misbinding"), std::string::npos);
  // Mallory only holds the keys (not ENCRYPTED): still a third party.
  views[2].conversations[0].message = v3::MessageState::kFinished;
  EXPECT_NE(CheckAgreement(views, ids).find("misbinding"), std::string::npos);
  // Alice believes Mallory while sharing her session with Bob, who believes
  // Alice (v1's misbinding).
  views[2].conversations = {};
  views[0].conversations = {Encrypted(9, mallory, true)};
  views[1].conversations = {Encrypted(9, alice, false)};
  EXPECT_NE(CheckAgreement(views, ids).find("misbinding"), std::string::npos);
  // Both believe each other but both sent the Reveal Signature.
  views[0].conversations = {Encrypted(9, bob, true)};
  views[1].conversations = {Encrypted(9, alice, true)};
  EXPECT_NE(CheckAgreement(views, ids), "");
  // No keys, or a key that is no party's.
  views[1].conversations = {};
  views[0].conversations[0].has_keys = false;
  EXPECT_NE(CheckAgreement(views, ids), "");
  views[0].conversations = {Encrypted(9, store::Fingerprint{4}, true)};
  EXPECT_NE(CheckAgreement(views, ids), "");
}

// Sleep sets skip interleavings but not the states behind them: the same
// planted state is found, with fewer transitions, and nothing breaks.
TEST(ExplorerTest, SleepSetsExecuteFewerTransitions) {
  std::array<uint64_t, 2> transitions{};
  for (int por = 0; por < 2; ++por) {
    ExplorerConfig config = NamedConfig("ake", Openssl(), 3);
    config.budgets.replay = 0;
    config.por = por != 0;
    std::unique_ptr<Explorer> e;
    EXPECT_FALSE(Explore(por ? "ake por" : "ake no por", config, &e).has_value());
    transitions[static_cast<size_t>(por)] = e->stats().transitions;
  }
  EXPECT_LT(transitions[1], transitions[0]);
}

TEST(ExplorerTest, ConformanceRefusesRowsThatAreNotTheTables) {
  PartyView before, after;
  before.conversations.push_back(ConversationView{});
  after.conversations.push_back(ConversationView{});
  const Policy policy = Policy::Manual();
  // Row 0 of the message table: (PLAINTEXT, plaintext) -> PLAINTEXT, under
  // the guard REQUIRE_ENCRYPTION, which the manual policy does not set.
  table::RowTaken row{&v3::kMessageMachine, 0, 0, 0, 0, nullptr};
  EXPECT_NE(CheckConformance({row}, before, after, policy), "");
  row.row = 1;  // the unguarded row: right
  EXPECT_EQ(CheckConformance({row}, before, after, policy), "");
  table::RowTaken wrong_to = row;
  wrong_to.to = static_cast<size_t>(v3::MessageState::kEncrypted);
  EXPECT_NE(CheckConformance({wrong_to}, before, after, policy), "");
  table::RowTaken wrong_pair = row;
  wrong_pair.event = static_cast<size_t>(v3::MessageEvent::kQuery);
  EXPECT_NE(CheckConformance({wrong_pair}, before, after, policy), "");
  table::RowTaken missing = row;
  missing.row = TableSize(Machine::kMessage);
  EXPECT_NE(CheckConformance({missing}, before, after, policy), "");
  // A state change with no row behind it.
  after.conversations[0].message = v3::MessageState::kEncrypted;
  EXPECT_NE(CheckConformance({row}, before, after, policy), "");
  // Two rows of one machine that do not chain.
  PartyView same = before;
  table::RowTaken from_encrypted{&v3::kMessageMachine, 2, 1, 0, 1, nullptr};
  EXPECT_NE(CheckConformance({row, from_encrypted}, same, same, policy), "");
}

}  // namespace
}  // namespace otr::model
