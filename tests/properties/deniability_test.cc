// Deniability (otr v3 spec, "Revealing MAC keys"; issue 7): once the MAC key
// of a Data Message has been revealed in a later Data Message, anyone holding
// only the transcript can make a different message with a chosen plaintext
// of the same length (AES-CTR is malleable and the plaintext is known) and a
// valid authenticator. The judge is a snapshot of the receiver's KeyState
// taken just before the original arrived: it accepts the forgery exactly as
// it accepted the original, so the transcript proves nothing about which
// one was sent. Before the key is revealed, the same forger is rejected.
// Also: a revealed key no longer authenticates anything for its revealer.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <atomic>
#include <limits>

#include "tests/properties/driver.h"
#include "tests/properties/fixture.h"
#include "tests/properties/property_check.h"
#include "tests/properties/public_view.h"
#include "tools/forgery.h"

namespace otr::properties {
namespace {

using DeniabilityTest = PropertyTest;

TEST_P(DeniabilityTest, ForgeableOnceTheMacKeyIsRevealedAndNotBefore) {
  const crypto::Backend& backend = this->backend();
  const int version = this->version();
  size_t forged = 0, refused_before = 0, dead_after = 0;
  const bool ok = CheckProperty(Name("deniability"), 30, [&] {
    const Scenario scenario = *GenScenario(version);
    Driver driver(backend, scenario, DriverOptions{.snapshots = true, .after_step = {}});
    RC_ASSERT(driver.Run().ok());
    driver.PingPong(2);  // rotate past everything sent in the script
    driver.EndBoth();    // the disconnect message reveals what is left
    const std::vector<Sent>& t = driver.transcript();
    const std::vector<Delivery>& deliveries = driver.deliveries();
    std::vector<bool> judged(t.size(), false);
    for (size_t di = 0; di < deliveries.size(); ++di) {
      const Delivery& d = deliveries[di];
      const Sent& original = t[d.sent];
      const v3::DataMessage* m = original.data();
      if (m == nullptr || !original.known_text || !d.receiver_keys || !d.verifies) continue;
      if (judged[d.sent]) continue;
      judged[d.sent] = true;
      const std::string& known = *original.known_text;
      // A text-only message's payload is the text itself (no NUL, no TLVs).
      RC_ASSERT(m->encrypted_message.size() == known.size());
      const Bytes chosen = ChosenPlaintext(known, d.sent);

      // The forger's edit of the ciphertext, keyless.
      v3::DataMessage forgery = *m;
      RC_ASSERT(tools::ModifyAtOffset(forgery, 0, AsBytes(known), chosen).ok());

      // Where the transcript first reveals the key that authenticates `m`
      // (the forger can tell: the key re-computes m's own MAC).
      size_t reveal = t.size();
      v3::MacKey key{};
      for (size_t i = 0; i < t.size() && reveal == t.size(); ++i) {
        const v3::DataMessage* r = t[i].data();
        if (r == nullptr) continue;
        for (const v3::MacKey& k : r->old_mac_keys) {
          if (tools::Authenticates(backend, k, *m)) {
            reveal = i;
            key = k;
            break;
          }
        }
      }
      // Revealed only after the message was sent, by its receiver.
      if (reveal < t.size()) {
        RC_ASSERT(reveal > d.sent);
        RC_ASSERT(t[reveal].from == 1 - original.from);
      }

      // Before the reveal: the original MAC, and every key revealed so far,
      // fail on the edited message.
      RC_ASSERT(!d.receiver_keys->Verify(forgery).ok());
      for (const v3::MacKey& k : RevealedKeys(t, reveal)) {
        v3::DataMessage attempt = forgery;
        tools::Remac(backend, k, attempt);
        RC_ASSERT(!d.receiver_keys->Verify(attempt).ok());
      }
      ++refused_before;
      if (reveal == t.size()) continue;

      // After the reveal: the forgery passes the receiver's own check and
      // decrypts to the forger's chosen text.
      tools::Remac(backend, key, forgery);
      auto judged_forgery = d.receiver_keys->Verify(forgery);
      RC_ASSERT(judged_forgery.ok());
      RC_ASSERT(judged_forgery->opened.plaintext.Declassify() == chosen);
      ++forged;

      // The revealer no longer accepts anything under that key: judge with
      // its first snapshot taken after the reveal, with a fresh counter.
      v3::DataMessage live = forgery;
      live.ctr.fill(0xff);
      tools::Remac(backend, key, live);
      for (size_t dj = di + 1; dj < deliveries.size(); ++dj) {
        const Delivery& later = deliveries[dj];
        if (later.sent <= reveal || !later.receiver_keys) continue;
        if (t[later.sent].from != original.from) continue;  // to the revealer
        RC_ASSERT(!later.receiver_keys->Verify(live).ok());
        ++dead_after;
        break;
      }
    }
  });
  EXPECT_TRUE(ok);
  std::fprintf(stderr,
               "deniability: %zu forgeries accepted after reveal, %zu refused before, "
               "%zu revealed keys dead for their revealer\n",
               forged, refused_before, dead_after);
  // The generator must reach revelations, or the property says nothing.
  EXPECT_GT(forged, 0u);
  EXPECT_GT(refused_before, forged);
}

OTR_INSTANTIATE_PROPERTY(DeniabilityTest);

}  // namespace
}  // namespace otr::properties
