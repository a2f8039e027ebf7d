// Key erasure (otr v3 spec, "Key Management": forget the old key pairs;
// "Revealing MAC keys": old MAC keys are published, so the session must
// no longer hold them as secrets; DESIGN.md principle 5). After every step
// of a random conversation, every D-H secret and data key that the two
// KeyStates held before the step and no longer hold is absent from every
// live secret buffer in the process (crypto/secret_registry.h), even as a
// substring; after both parties end OTR, no session secret is left at all;
// and every secret buffer freed meanwhile was all zeros when it was handed
// back to the allocator (checked by this binary's operator delete[]) or, for
// a buffer inside its SecretBytes, when it was released (decision 0051).
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <new>

#include "crypto/secret_bytes.h"
#include "crypto/secret_registry.h"
#include "tests/properties/driver.h"
#include "tests/properties/fixture.h"
#include "tests/properties/property_check.h"
#include "tests/properties/public_view.h"

// A secret larger than SecretBytes::kInlineSize lives in a new[] buffer: while
// watching, this binary's delete[] checks that each freed one is zeroed. A
// smaller one lives inside its SecretBytes and never reaches delete[]
// (decision 0051): the registry's released hook checks it right after its
// wipe, whether or not the last snapshot saw it.
namespace {
struct FreeWatch {
  bool on = false;
  bool busy = false;
  std::map<const void*, size_t>* live = nullptr;  // watched secret buffers
  size_t checked_inline = 0;                      // at the released hook
  size_t checked_heap = 0;                        // at delete[]
  size_t dirty = 0;
};
FreeWatch g_watch;

void CheckFreed(void* p) {
  if (!g_watch.on || g_watch.busy || p == nullptr || g_watch.live == nullptr) return;
  g_watch.busy = true;
  auto it = g_watch.live->find(p);
  if (it != g_watch.live->end()) {
    const auto* bytes = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < it->second; ++i) {
      if (bytes[i] != 0) {
        ++g_watch.dirty;
        break;
      }
    }
    ++g_watch.checked_heap;
    g_watch.live->erase(it);
  }
  g_watch.busy = false;
}

void CheckReleased(otr::ByteView released) {
  if (!g_watch.on || g_watch.live == nullptr) return;
  if (released.size() > otr::crypto::SecretBytes::kInlineSize) return;  // checked at delete[]
  // Unwatched from here: the address may next be part of a non-secret new[].
  g_watch.live->erase(released.data());
  if (std::any_of(released.begin(), released.end(), [](uint8_t b) { return b != 0; })) {
    ++g_watch.dirty;
  }
  ++g_watch.checked_inline;
}
}  // namespace

void* operator new[](std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void operator delete[](void* p) noexcept {
  CheckFreed(p);
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  CheckFreed(p);
  std::free(p);
}

namespace otr::properties {
namespace {

using KeyErasureTest = PropertyTest;

std::vector<Bytes> LiveSecrets() {
  std::vector<Bytes> out;
  crypto::ForEachLiveSecret([&](ByteView b) { out.emplace_back(b.begin(), b.end()); });
  return out;
}

void WatchLiveSecrets() {
  g_watch.busy = true;
  g_watch.live->clear();
  crypto::ForEachLiveSecret([&](ByteView b) { (*g_watch.live)[b.data()] = b.size(); });
  g_watch.busy = false;
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
  std::map<const void*, size_t> watched;
  g_watch.live = &watched;
  crypto::SetReleasedSecretHook(CheckReleased);
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
        WatchLiveSecrets();
      };
      Driver driver(backend, scenario, DriverOptions{.snapshots = false, .after_step = check});
      self = &driver;
      g_watch.on = true;
      WatchLiveSecrets();
      const Status run = driver.Run();
      driver.PingPong(2);
      check();
      driver.EndBoth();
      check();
      // Ended on both sides: no session secret remains, only the long-term keys.
      const size_t after_end = crypto::LiveSecretCount();
      g_watch.on = false;
      RC_ASSERT(run.ok());
      RC_ASSERT(leaks == 0u);
      RC_ASSERT(after_end == baseline);
    }
    RC_ASSERT(crypto::LiveSecretCount() == baseline);
  });
  g_watch.on = false;
  crypto::SetReleasedSecretHook(nullptr);
  g_watch.live = nullptr;
  EXPECT_TRUE(ok);
  std::fprintf(stderr,
               "key erasure: %zu forgotten secrets searched for, %zu freed secrets "
               "checked (%zu inline when released, %zu heap when freed), %zu not zeroed\n",
               forgotten_checked, g_watch.checked_inline + g_watch.checked_heap,
               g_watch.checked_inline, g_watch.checked_heap, g_watch.dirty);
  EXPECT_EQ(g_watch.dirty, 0u);
  EXPECT_GT(g_watch.checked_inline, 0u);
  EXPECT_GT(g_watch.checked_heap, 0u);
  EXPECT_GT(forgotten_checked, 0u);
}

OTR_INSTANTIATE_PROPERTY(KeyErasureTest);

}  // namespace
}  // namespace otr::properties
