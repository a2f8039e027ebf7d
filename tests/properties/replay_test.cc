// Replay and reorder (otr v3 spec, "Data Message": "Each message ... must
// have a strictly larger counter value than the last message ... with the
// same pair of keys"; "When you receive a Data Message": "If the counter
// ... is not larger than that of the last message, reject"). Random
// scripts deliver messages out of order and an attacker re-delivers earlier
// Data Messages; an independent ledger checks that no message is accepted
// twice and that under each key pair counters only grow. What the receiver
// accepted is read both from its KeyState (a snapshot's Verify) and from
// what it displayed, and the two must agree.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <map>
#include <set>
#include <tuple>

#include "tests/properties/driver.h"
#include "tests/properties/fixture.h"
#include "tests/properties/property_check.h"

namespace otr::properties {
namespace {

using ReplayTest = PropertyTest;

uint64_t Counter(const v3::Ctr& ctr) {
  uint64_t v = 0;
  for (uint8_t b : ctr) v = (v << 8) | b;
  return v;
}

TEST_P(ReplayTest, NoDataMessageAcceptedTwiceAndNoOldCounterAccepted) {
  const crypto::Backend& backend = this->backend();
  const int version = this->version();
  size_t replays = 0, stale = 0, accepted_total = 0;
  const bool ok = CheckProperty(Name("replay and reorder"), 20, [&] {
    const Scenario scenario = *GenScenario(version);
    Driver driver(backend, scenario, DriverOptions{.snapshots = true, .after_step = {}});
    RC_ASSERT(driver.Run().ok());
    // Finally the attacker replays every Data Message once more.
    const std::vector<Sent>& t = driver.transcript();
    driver.ReplayAll();
    driver.EndBoth();
    using PairKey = std::tuple<int, std::array<uint8_t, 8>, uint32_t, uint32_t>;
    std::map<PairKey, uint64_t> last_counter;
    std::set<size_t> accepted;
    for (const Delivery& d : driver.deliveries()) {
      const Sent& e = t[d.sent];
      const v3::DataMessage* m = e.data();
      if (m == nullptr) continue;
      const bool shown = !d.displayed.empty();
      // Display only what the receiver's keys accept.
      RC_ASSERT(!shown || d.verifies);
      if (e.known_text && d.verifies) {
        RC_ASSERT(d.displayed == std::vector<std::string>{*e.known_text});
      }
      if (d.replay) ++replays;
      if (!d.verifies) {
        if (accepted.count(d.sent) != 0) ++stale;
        continue;
      }
      RC_ASSERT(accepted.count(d.sent) == 0);
      RC_ASSERT(!d.replay || accepted.count(d.sent) == 0);
      const PairKey pair{e.from, e.sender_ssid, m->sender_keyid, m->recipient_keyid};
      const uint64_t counter = Counter(m->ctr);
      auto it = last_counter.find(pair);
      if (it != last_counter.end()) {
        if (counter <= it->second) ++stale;
        RC_ASSERT(counter > it->second);
      }
      last_counter[pair] = counter;
      accepted.insert(d.sent);
      ++accepted_total;
    }
  });
  EXPECT_TRUE(ok);
  std::fprintf(stderr,
               "replay: %zu accepted, %zu replayed deliveries, %zu re-deliveries of accepted "
               "messages refused\n",
               accepted_total, replays, stale);
  EXPECT_GT(replays, 0u);
  EXPECT_GT(stale, 0u);
}

OTR_INSTANTIATE_PROPERTY(ReplayTest);

}  // namespace
}  // namespace otr::properties
