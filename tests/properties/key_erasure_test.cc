// Key erasure (otr v3 spec, "Key Management": forget the old key pairs;
// "Revealing MAC keys": old MAC keys are published, so the session must
// no longer hold them as secrets; DESIGN.md principle 5). After every step
// of a random conversation, every D-H secret and data key that the two
// KeyStates held before the step and no longer hold is absent from every
// live secret buffer in the process (crypto/secret_registry.h), even as a
// substring; after both parties end OTR, no session secret is left at all;
// and every secret buffer freed meanwhile was all zeros when it was handed
// back to the allocator or, for a buffer inside its SecretBytes, when it was
// released (tests/properties/free_watch.h).
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>

#include "crypto/secret_bytes.h"
#include "crypto/secret_registry.h"
#include "tests/properties/driver.h"
#include "tests/properties/fixture.h"
#include "tests/properties/free_watch.h"
#include "tests/properties/property_check.h"
#include "tests/properties/public_view.h"

namespace otr::properties {
namespace {

using KeyErasureTest = PropertyTest;

std::vector<Bytes> LiveSecrets() {
  std::vector<Bytes> out;
  crypto::ForEachLiveSecret([&](ByteView b) { out.emplace_back(b.begin(), b.end()); });
  return out;
}

// The contents of the secrets both KeyStates hold (plain copies: test
// memory, not registered as secrets).
std::vector<Bytes> Held(Driver& driver) {
  std::vector<Bytes> out;
  for (int who = 0; who < 2; ++who) {
    const v3::KeyState* keys = driver.conversation(who).keys();
    if (keys == nullptr) continue;
    for (const crypto::SecretBytes* s : keys->HeldSecrets()) out.push_back(s->Declassify());
  }
  return out;
}

TEST_P(KeyErasureTest, ForgottenKeysAreGoneAndFreedSecretsAreZero) {
  const crypto::Backend& backend = this->backend();
  const int version = this->version();
  FreeWatch free_watch;
  size_t forgotten_checked = 0;
  // The long-term keys exist before the baseline is taken.
  Driver::LongTermKey(backend, 0);
  Driver::LongTermKey(backend, 1);
  const bool ok = CheckProperty(Name("key erasure"), 20, [&] {
    const Scenario scenario = *GenScenario(version);
    const size_t baseline = crypto::LiveSecretCount();
    {
      std::vector<Bytes> before;
      size_t leaks = 0;
      Driver* self = nullptr;
      auto check = [&] {
        std::vector<Bytes> now = Held(*self);
        std::vector<Bytes> live = LiveSecrets();
        for (const Bytes& old : before) {
          if (std::find(now.begin(), now.end(), old) != now.end()) continue;
          ++forgotten_checked;
          for (const Bytes& buffer : live) {
            if (Contains(buffer, old)) ++leaks;
          }
        }
        before = std::move(now);
        free_watch.WatchLiveSecrets();
      };
      Driver driver(backend, scenario, DriverOptions{.snapshots = false, .after_step = check});
      self = &driver;
      free_watch.set_on(true);
      free_watch.WatchLiveSecrets();
      const Status run = driver.Run();
      driver.PingPong(2);
      check();
      driver.EndBoth();
      check();
      // Ended on both sides: no session secret remains, only the long-term keys.
      const size_t after_end = crypto::LiveSecretCount();
      free_watch.set_on(false);
      RC_ASSERT(run.ok());
      RC_ASSERT(leaks == 0u);
      RC_ASSERT(after_end == baseline);
    }
    RC_ASSERT(crypto::LiveSecretCount() == baseline);
  });
  free_watch.set_on(false);
  EXPECT_TRUE(ok);
  std::fprintf(stderr,
               "key erasure: %zu forgotten secrets searched for, %zu freed secrets "
               "checked (%zu inline when released, %zu heap when freed), %zu not zeroed\n",
               forgotten_checked, free_watch.checked_inline() + free_watch.checked_heap(),
               free_watch.checked_inline(), free_watch.checked_heap(), free_watch.dirty());
  EXPECT_EQ(free_watch.dirty(), 0u);
  EXPECT_GT(free_watch.checked_inline(), 0u);
  EXPECT_GT(free_watch.checked_heap(), 0u);
  EXPECT_GT(forgotten_checked, 0u);
}

OTR_INSTANTIATE_PROPERTY(KeyErasureTest);

}  // namespace
}  // namespace otr::properties
