// The v4 explorer (issue 21) at the bound `bazel test` uses, and proof that
// it can fail: a planted invariant is found with a short trace.
#include "model/explorer/v4_explorer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "crypto/backends.h"
#include "protocol/v4/state/conversation_table.h"

namespace otr::model {
namespace {

const crypto::Backend& Openssl() { return **crypto::FindBackend("openssl"); }

std::optional<Violation> Explore(const std::string& name, V4ExplorerConfig config,
                                 std::unique_ptr<V4Explorer>* out = nullptr) {
  auto e = V4Explorer::Create(std::move(config));
  EXPECT_TRUE(e.ok()) << (e.ok() ? "" : std::string(e.error().context));
  if (!e.ok()) return std::nullopt;
  auto v = (*e)->Run();
  const Stats& s = (*e)->stats();
  std::printf(
      "%s: %llu states, %llu transitions, %llu rows checked, %zu/%zu rows covered, %.1f s\n",
      name.c_str(), static_cast<unsigned long long>(s.states),
      static_cast<unsigned long long>(s.transitions),
      static_cast<unsigned long long>(s.rows_checked), s.rows_covered, s.rows_total, s.seconds);
  if (v) std::printf("%s", (*e)->Format(v->trace).c_str());
  if (out != nullptr) *out = std::move(*e);
  return v;
}

TEST(V4ExplorerTest, DakeFromStartHolds) {
  std::unique_ptr<V4Explorer> e;
  auto v = Explore("v4 ake", V4NamedConfig("ake", Openssl(), 2), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_GT(e->stats().states, 20u);
}

TEST(V4ExplorerTest, EstablishedHolds) {
  std::unique_ptr<V4Explorer> e;
  auto v = Explore("v4 established", V4NamedConfig("established", Openssl(), 2), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_GT(e->stats().states, 20u);
}

TEST(V4ExplorerTest, OutOfOrderWithinMaxSkipDeliversEachOnce) {
  std::unique_ptr<V4Explorer> e;
  auto v = Explore("v4 reorder", V4NamedConfig("reorder", Openssl(), 4), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_FALSE(e->stats().truncated);
  EXPECT_GT(e->stats().states, 10u);
}

TEST(V4ExplorerTest, V3FallbackHolds) {
  std::unique_ptr<V4Explorer> e;
  auto v = Explore("v4 v3-fallback", V4NamedConfig("v3-fallback", Openssl(), 2), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_TRUE(e->Reported(EventType::kWentSecure));  // the v3 AKE completed
  EXPECT_GT(e->stats().states, 10u);
}

TEST(V4ExplorerTest, MalloryHolds) {
  std::unique_ptr<V4Explorer> e;
  auto v = Explore("v4 ake-mallory", V4NamedConfig("ake-mallory", Openssl(), 1), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_GT(e->stats().states, 5u);
}

// Mallory, established with Alice as well, runs SMP with her own guess and
// ends: the SMP verdicts are judged against the secret of each
// conversation's peer, and Alice's SMP with Mallory fails.
TEST(V4ExplorerTest, MallorySmpAndEndHold) {
  std::unique_ptr<V4Explorer> e;
  auto v = Explore("v4 mallory-smp", V4NamedConfig("mallory-smp", Openssl(), 5), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_TRUE(e->Reported(EventType::kSmpAskSecret));
  EXPECT_TRUE(e->Reported(EventType::kSmpFailed));  // Mallory's guess is told apart
  EXPECT_GT(e->stats().states, 20u);
}

// Mallory who knows Alice's secret: SMP between them succeeds, which the
// peer-aware SMP invariant accepts (success is judged per conversation).
TEST(V4ExplorerTest, MalloryWhoKnowsTheSecretSucceeds) {
  V4ExplorerConfig c = V4NamedConfig("mallory-smp", Openssl(), 5);
  c.smp_secret = {"the blue whale", "the red herring"};
  c.mallory_smp_secret = "the blue whale";  // equal to Alice's: success is right
  c.budgets.mend = 0;
  std::unique_ptr<V4Explorer> e;
  auto v = Explore("v4 mallory-smp (Mallory knows Alice's secret)", c, &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_TRUE(e->Reported(EventType::kSmpSucceeded));
}

// Planted: "Bob never shows Alice's text" must be refuted, with a short
// trace (the invariants are not checked vacuously).
TEST(V4ExplorerTest, PlantedNeverReadIsFoundAndShrunk) {
  V4ExplorerConfig c = V4NamedConfig("established", Openssl(), 2);
  c.extra_invariant = [](World& w) -> std::string {
    return w.party[1].displayed_encrypted.empty() ? "" : "Bob showed a text";
  };
  auto v = Explore("v4 planted", c);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->invariant, "planted");
  EXPECT_LE(v->trace.size(), 6u);  // the DAKE (4), Alice types, Bob reads
}

// The offline start (decision 0031): Bob published through the prekey server
// core; Alice fetched once (the prefix); a second fetch, a replayed server
// answer, typing, drops, duplicates, replays and stale messages.
TEST(V4ExplorerTest, OfflineStartHolds) {
  std::unique_ptr<V4Explorer> e;
  auto v = Explore("v4 offline", V4NamedConfig("offline", Openssl(), 2), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_TRUE(e->Reported(EventType::kWentSecure));
  EXPECT_GT(e->stats().states, 20u);
}

// Liveness at a small bound: on a fair network (in order, nothing lost) the
// offline start is established at Bob and Alice's text is read, in every
// state where everything was delivered.
TEST(V4ExplorerTest, OfflineStartLiveness) {
  std::unique_ptr<V4Explorer> e;
  auto v = Explore("v4 offline-live", V4NamedConfig("offline-live", Openssl(), 5), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_FALSE(e->stats().truncated);
  EXPECT_GT(e->liveness_checked(), 0u);  // judged, not vacuous
}

// Alice's Non-Interactive-Auth and two texts in any order, one duplicate:
// each text is read at most once, and exactly once unless its Data Message
// came before the Non-Interactive-Auth (the spec's: model/README.md,
// "Offline start").
TEST(V4ExplorerTest, OfflineReorderReadsEachOnce) {
  std::unique_ptr<V4Explorer> e;
  auto v = Explore("v4 offline-reorder", V4NamedConfig("offline-reorder", Openssl(), 4), &e);
  EXPECT_FALSE(v.has_value());
  EXPECT_FALSE(e->stats().truncated);
  EXPECT_GT(e->lost_before_auth(), 0u);
  if (!e->lost_example().empty()) std::printf("%s", e->Format(e->lost_example()).c_str());
}

// Planted: Bob's prekey store never forgets a used Prekey Message; a
// replayed Non-Interactive-Auth then establishes the same session twice,
// which "established once" must catch.
TEST(V4ExplorerTest, PlantedPrekeyReuseIsFound) {
  V4ExplorerConfig c = V4NamedConfig("offline", Openssl(), 2);
  c.planted_keep_used_prekeys = true;
  auto v = Explore("v4 offline planted", c);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->invariant, "established once");
  EXPECT_LE(v->trace.size(), 3u);  // the fetch, Bob reads it, it again
}

}  // namespace
}  // namespace otr::model
