// Issue 20: the scenarios (libotr_ng_scenarios.h) between our
// Session with the `libotr-ng` compatibility profile
// (Policy::v4_variant = V4Variant::kLibotrNg: the one v4 engine, its rows
// calling protocol/v4/libotr_ng; decision 0025) and a libotr-ng client,
// each side starting.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "crypto/backends.h"
#include "tests/crypto/test_util.h"
#include "tests/interop/libotr_ng_peer.h"
#include "tests/interop/libotr_ng_scenarios.h"
#include "tests/interop/session_ng_endpoint.h"

namespace otr::testing {
namespace {

// GetParam: the backend; the test names say who starts.
class LibotrNgProfileTest : public crypto::testing::BackendTest {
 protected:
  std::unique_ptr<V4Endpoint> ours_ =
      MakeSessionNgEndpoint(backend(), "alice@example.org", "bob@example.org", 0x2000a11c);
  std::unique_ptr<V4Endpoint> ng_ =
      MakeNgEndpoint("bob@example.org", "alice@example.org", 0x10000b0b);
  V4Endpoint& ours() { return *ours_; }
  V4Endpoint& ng() { return *ng_; }
};

// The DAKE each way; the user hears that the profile is speaking
// (events::WentSecure::compatibility).
TEST_P(LibotrNgProfileTest, DakeWeStart) {
  ScenarioDake(ours(), ng());
  EXPECT_EQ(CompatibilityReported(ours()), "libotr-ng");
}
TEST_P(LibotrNgProfileTest, DakeTheyStart) {
  ScenarioDake(ng(), ours());
  EXPECT_EQ(CompatibilityReported(ours()), "libotr-ng");
}
TEST_P(LibotrNgProfileTest, PingPong200WeStart) { ScenarioPingPong(ours(), ng(), 200); }
TEST_P(LibotrNgProfileTest, PingPong200TheyStart) { ScenarioPingPong(ng(), ours(), 200); }
TEST_P(LibotrNgProfileTest, Burst200WeStart) { ScenarioBurst(ours(), ng(), 200); }
TEST_P(LibotrNgProfileTest, Burst200TheyStart) { ScenarioBurst(ng(), ours(), 200); }
TEST_P(LibotrNgProfileTest, OutOfOrderWeSend) { ScenarioOutOfOrder(ours(), ng()); }
TEST_P(LibotrNgProfileTest, OutOfOrderTheySend) { ScenarioOutOfOrder(ng(), ours()); }
TEST_P(LibotrNgProfileTest, FragmentsWeStart) { ScenarioFragments(ours(), ng()); }
TEST_P(LibotrNgProfileTest, FragmentsTheyStart) { ScenarioFragments(ng(), ours()); }
// Our key is the one libotr-ng's receiver derives; libotr-ng as sender
// hands its user another (its defect, docs/libotr-ng-deviations.md).
TEST_P(LibotrNgProfileTest, ExtraSymmetricKeyWeSend) { ScenarioExtraKey(ours(), ng(), true); }
TEST_P(LibotrNgProfileTest, ExtraSymmetricKeyTheySend) { ScenarioExtraKey(ng(), ours(), false); }
TEST_P(LibotrNgProfileTest, DisconnectWe) { ScenarioDisconnect(ours(), ng()); }
TEST_P(LibotrNgProfileTest, DisconnectThey) { ScenarioDisconnect(ng(), ours()); }
TEST_P(LibotrNgProfileTest, ExpiryOurs) { ScenarioExpiry(ours(), ng()); }
TEST_P(LibotrNgProfileTest, ExpiryTheirs) { ScenarioExpiry(ng(), ours()); }

// "Socialist Millionaires' Protocol (SMP)" with libotr-ng's arithmetic
// (its generator 4 * B, hashes and 56-byte scalars, smp::Convention::kLibotrNg).
TEST_P(LibotrNgProfileTest, SmpWithQuestionRightWeStart) {
  ScenarioSmp(ours(), ng(), "where?", true);
}
TEST_P(LibotrNgProfileTest, SmpWithQuestionRightTheyStart) {
  ScenarioSmp(ng(), ours(), "where?", true);
}
TEST_P(LibotrNgProfileTest, SmpNoQuestionRightWeStart) { ScenarioSmp(ours(), ng(), "", true); }
TEST_P(LibotrNgProfileTest, SmpNoQuestionRightTheyStart) { ScenarioSmp(ng(), ours(), "", true); }
TEST_P(LibotrNgProfileTest, SmpWithQuestionWrongWeStart) {
  ScenarioSmp(ours(), ng(), "where?", false);
}
TEST_P(LibotrNgProfileTest, SmpWithQuestionWrongTheyStart) {
  ScenarioSmp(ng(), ours(), "where?", false);
}
TEST_P(LibotrNgProfileTest, SmpNoQuestionWrongWeStart) { ScenarioSmp(ours(), ng(), "", false); }
TEST_P(LibotrNgProfileTest, SmpNoQuestionWrongTheyStart) { ScenarioSmp(ng(), ours(), "", false); }
TEST_P(LibotrNgProfileTest, SmpAbortWeStart) { ScenarioSmpAbort(ours(), ng()); }
TEST_P(LibotrNgProfileTest, SmpAbortTheyStart) { ScenarioSmpAbort(ng(), ours()); }

INSTANTIATE_TEST_SUITE_P(DefaultBackend, LibotrNgProfileTest,
                         ::testing::Values(&crypto::DefaultBackend()),
                         crypto::testing::BackendParamName);

// The DAKE and a 30-message ping-pong on every backend.
class LibotrNgProfileAllBackendsTest : public LibotrNgProfileTest {};

TEST_P(LibotrNgProfileAllBackendsTest, DakeWeStart) { ScenarioDake(ours(), ng()); }
TEST_P(LibotrNgProfileAllBackendsTest, DakeTheyStart) { ScenarioDake(ng(), ours()); }
TEST_P(LibotrNgProfileAllBackendsTest, PingPong30WeStart) { ScenarioPingPong(ours(), ng(), 30); }
TEST_P(LibotrNgProfileAllBackendsTest, PingPong30TheyStart) { ScenarioPingPong(ng(), ours(), 30); }

OTR_INSTANTIATE_FOR_ALL_BACKENDS(LibotrNgProfileAllBackendsTest);

}  // namespace
}  // namespace otr::testing
