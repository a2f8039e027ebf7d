#include "bench/libotr_ng_endpoint.h"

#include <ctime>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "crypto/random.h"
#include "protocol/prekey/server/memory_storage.h"
#include "protocol/prekey/server/server.h"
#include "protocol/v4/crypto/keys.h"
#include "third_party/libotr_ng/libotr_ng_status.h"

#ifdef OTR_BENCH_HAVE_LIBOTR_NG
#include "tests/interop/libotr_ng_peer.h"
#endif

namespace otr::bench {

#ifdef OTR_BENCH_HAVE_LIBOTR_NG
namespace {

using testing::LibotrNgPeer;

class LibotrNgEndpoint : public Endpoint {
 public:
  LibotrNgEndpoint(const std::string& account, const std::string& buddy, uint32_t tag)
      : peer_(account, buddy, tag) {}

  Wire StartOtr() override {
    return Call([&] { return Wire{peer_.Query()}; });
  }
  Wire Send(std::string_view text) override {
    return Call([&] { return peer_.Send(std::string(text)); });
  }
  Wire Receive(const std::string& message) override {
    return Call([&] { return peer_.Receive(message); });
  }
  Wire StartSmp(std::string_view secret) override {
    return Call([&] { return peer_.StartSmp(std::string(secret)); });
  }
  Wire RespondSmp(std::string_view secret) override {
    return Call([&] { return peer_.RespondSmp(std::string(secret)); });
  }
  bool encrypted() const override { return peer_.encrypted(); }

 private:
  // LibotrNgPeer throws when a libotr-ng call fails: nothing is sent then,
  // and the case sees the failure in its checks (state, SMP, displayed).
  template <typename F>
  Wire Call(F f) {
    Wire out;
    try {
      out = f();
    } catch (const std::exception&) {
      out.clear();
    }
    smp_asked_ = peer_.smp_asked();
    smp_successes_ = peer_.smp_successes();
    displayed_ = peer_.displayed().size();
    return out;
  }

  LibotrNgPeer peer_;
};

struct LibotrNgConversation : Conversation {
  explicit LibotrNgConversation(uint32_t n)
      : a("alice" + std::to_string(n) + "@bench", "bob" + std::to_string(n) + "@bench", 0x2000),
        b("bob" + std::to_string(n) + "@bench", "alice" + std::to_string(n) + "@bench", 0x2001) {
    alice = &a;
    bob = &b;
  }
  LibotrNgEndpoint a, b;
};

class LibotrNgImplementation : public Implementation {
 public:
  std::string_view name() const override { return "libotr-ng"; }
  std::unique_ptr<Conversation> NewConversation(size_t max_message_size) override {
    if (max_message_size != 0) return nullptr;  // the v4 cases never fragment
    try {
      return std::make_unique<LibotrNgConversation>(next_++);
    } catch (const std::exception&) {
      return nullptr;
    }
  }

 private:
  uint32_t next_ = 0;
};

// The prekey server of the offline start (its identity, the second string
// of libotr-ng's prekey DAKE phi).
constexpr char kOfflineServer[] = "prekey.bench";
// The text of Alice's first Data Message.
constexpr char kOfflineFirstText[] = "offline";

// libotr-ng reads the wall clock itself: the server must agree with it on
// the profiles' expiry.
int64_t WallClock() { return static_cast<int64_t>(std::time(nullptr)); }

// Runs `f` (a LibotrNgPeer call, which throws when libotr-ng fails): false
// when it threw, so the timing state stays the caller's to restore.
template <typename F>
bool Try(F f) {
  try {
    f();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// Bob's publication of his Client Profile, Prekey Profile and one Prekey
// Message through `server` (otr-v4-prekey-server.md "Publishing Prekey
// Values", in libotr-ng's variant): DAKE-1, DAKE-2, DAKE-3 with the
// publication, Success.
bool PublishOne(prekey::Server& server, LibotrNgPeer& bob, const std::string& bob_name) {
  const std::string address = bob_name + "/bench";
  const prekey::ServerOutput dake2 =
      server.Receive(bob_name, address, bob.PrekeyPublish(true, true, 1), WallClock());
  if (dake2.replies.size() != 1) return false;
  const std::string dake3 = bob.PrekeyReceive(dake2.replies[0]);
  if (dake3.empty()) return false;
  for (const std::string& reply : server.Receive(bob_name, address, dake3, WallClock()).replies) {
    (void)bob.PrekeyReceive(reply);
  }
  return bob.prekey_events().successes == 1;
}

}  // namespace

std::unique_ptr<Implementation> NewLibotrNgImplementation() {
  return std::make_unique<LibotrNgImplementation>();
}

void LibotrNgOfflineStart(benchmark::State& state, const crypto::Backend& server_backend,
                          int step) {
  crypto::OsRandom random;
  auto key = v4::GenerateLongTermKeyPair(server_backend, random);
  if (!key.ok()) {
    state.SkipWithError("could not make the prekey server's key");
    return;
  }
  const v4::Ed448KeyPair server_key = std::move(key).value();
  // Held outside the loop so that their destruction is not timed (each is
  // reset while the timer is paused, the last after the loop).
  std::unique_ptr<prekey::MemoryStorage> storage;
  std::unique_ptr<prekey::Server> server;
  std::unique_ptr<LibotrNgPeer> alice, bob;
  uint32_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    server.reset();
    alice.reset();
    bob.reset();
    storage = std::make_unique<prekey::MemoryStorage>();
    prekey::ServerConfig config;
    config.identity = kOfflineServer;
    config.accept_libotr_ng = true;  // libotr-ng's prekey DAKE (decision 0034)
    server = std::make_unique<prekey::Server>(server_backend, random, *storage, server_key, config);
    const std::string alice_name = "alice" + std::to_string(n) + "@bench";
    const std::string bob_name = "bob" + std::to_string(n) + "@bench";
    ++n;
    // Bob publishes and goes away; Alice asks for his ensembles. The
    // server's answer (the Ensemble Retrieval message) is what she times.
    std::string retrieval;
    const bool set_up = Try([&] {
      bob = std::make_unique<LibotrNgPeer>(bob_name, alice_name, 0x2001);
      bob->UsePrekeyServer(bob_name, kOfflineServer);
      if (!PublishOne(*server, *bob, bob_name)) return;
      alice = std::make_unique<LibotrNgPeer>(alice_name, bob_name, 0x2000);
      alice->UsePrekeyServer(alice_name, kOfflineServer);
      alice->StartOfflineOnEnsembles();
      const prekey::ServerOutput out = server->Receive(
          alice_name, alice_name + "/bench", alice->PrekeyRetrieve(bob_name), WallClock());
      if (out.replies.size() == 1) retrieval = out.replies[0];
    });
    if (!set_up || retrieval.empty()) {
      state.SkipWithError("could not publish Bob's ensemble or retrieve it");
      break;
    }

    std::vector<std::string> auth, first;
    if (step != 1) state.ResumeTiming();
    // Alice: the ensemble decoded and validated, the Non-Interactive-Auth
    // made (in libotr-ng's prekey_ensembles_received callback).
    bool ok = Try([&] {
      (void)alice->PrekeyReceive(retrieval);
      auth = alice->TakeOfflineStart();
    });
    if (step == 0) state.PauseTiming();
    if (step == 1) state.ResumeTiming();
    // Bob: the Non-Interactive-Auth validated; he then waits for Alice's
    // first Data Message.
    ok = ok && Try([&] {
           for (const std::string& m : auth) benchmark::DoNotOptimize(bob->Receive(m));
         });
    if (step == 1) state.PauseTiming();
    ok = ok && Try([&] { first = alice->Send(kOfflineFirstText); });
    if (step == 1) state.ResumeTiming();
    ok = ok && Try([&] {
           for (const std::string& m : first) benchmark::DoNotOptimize(bob->Receive(m));
         });
    if (step != 0) state.PauseTiming();
    ok = ok && !auth.empty() && alice->encrypted() && bob->encrypted() &&
         !bob->displayed().empty() && bob->displayed().back() == kOfflineFirstText;
    state.ResumeTiming();
    if (!ok) {
      state.SkipWithError("libotr-ng's offline start did not encrypt both sides");
      break;
    }
  }
}
#else
std::unique_ptr<Implementation> NewLibotrNgImplementation() { return nullptr; }

void LibotrNgOfflineStart(benchmark::State& state, const crypto::Backend&, int) {
  state.SkipWithError(kLibotrNgStatus);
}
#endif

const char* LibotrNgUnavailableReason() { return kLibotrNgStatus; }

}  // namespace otr::bench
