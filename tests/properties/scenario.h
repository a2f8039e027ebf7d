// Random conversations for the security properties (issue 7): two parties
// with random policies, one of them starting OTR in a random way, then a
// random script of sends, out-of-order deliveries, replays, SMP runs, AKE
// refreshes and session restarts.
#ifndef OTR_TESTS_PROPERTIES_SCENARIO_H_
#define OTR_TESTS_PROPERTIES_SCENARIO_H_

#include <rapidcheck.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "protocol/api/policy.h"

namespace otr::properties {

enum class StartHow { kQuery, kWhitespaceTag, kRequireEncryption };

struct Step {
  enum class Kind {
    kSend,     // `who` types `text`; it waits in who's outbound queue
    kDeliver,  // deliver the pending message `pick` (mod size) from `who`
    kFlush,    // deliver everything, in order, until both queues are empty
    kReplay,   // an attacker re-delivers an earlier data message `pick`
    kSmp,      // `who` starts SMP; the other answers (`equal` secrets or not)
    kRefresh,  // `who` starts a new AKE inside the encrypted session
    kRestart,  // `who` ends the session, the other ends too, `who` restarts
  };
  Kind kind = Kind::kFlush;
  int who = 0;  // 0: Alice, 1: Bob
  uint32_t pick = 0;
  std::string text;
  bool equal = true;
};

struct Scenario {
  int version = 3;  // the version both parties' policies lead to
  Policy policy[2];
  int starter = 0;
  StartHow how = StartHow::kQuery;
  std::vector<Step> steps;
  uint64_t seed = 0;  // for the parties' DeterministicRandom
};

// Policies are random within what makes `version` the negotiated one.
rc::Gen<Scenario> GenScenario(int version);

std::ostream& operator<<(std::ostream& os, const Scenario& s);
void showValue(const Scenario& s, std::ostream& os);

}  // namespace otr::properties

#endif  // OTR_TESTS_PROPERTIES_SCENARIO_H_
