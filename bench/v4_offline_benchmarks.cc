#include "bench/v4_offline_benchmarks.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench/libotr_ng_endpoint.h"
#include "crypto/random.h"
#include "protocol/api/output.h"
#include "protocol/session/session.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/engine/identity.h"
#include "protocol/v4/engine/prekey_store.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "tests/session/v4_fixture.h"

namespace otr::bench {
namespace {

constexpr uint64_t kNow = 1000;  // a fixed clock, as our_endpoint.cc

struct Party {
  Party(const crypto::Backend& backend, const v4::Identity& identity, v4::PrekeyStore& store) {
    SessionConfig config;
    config.backend = &backend;
    config.policy = Policy::V4Standalone();
    config.our_tag = identity.client_profile.owner_instance_tag;
    config.identity.v4 = &identity;
    config.prekey_store = &store;
    auto s = Session::Create(config, random);
    if (s.ok()) session.emplace(std::move(s).value());
  }
  crypto::OsRandom random;
  std::optional<Session> session;
};

// Bob's side of "Publishing Prekey Ensembles": a Prekey Profile (its
// shared prekey's secret in `store`) and one Prekey Message (its secrets
// in `store`); the ensemble a prekey server would hand out.
std::optional<v4::dake::PrekeyEnsembleValues> PublishOne(const crypto::Backend& backend,
                                                         const v4::Identity& identity,
                                                         v4::InMemoryPrekeyStore& store) {
  crypto::OsRandom random;
  auto d = v4::GenerateSharedPrekeyPair(backend, random);
  if (!d.ok()) return std::nullopt;
  const int64_t expiration = v4::profile::ExpirationFrom(static_cast<int64_t>(kNow));
  v4::profile::PrekeyProfileParams params;
  params.owner_instance_tag = identity.client_profile.owner_instance_tag;
  params.expiration = expiration;
  params.shared_prekey = d->pub;
  auto profile = v4::profile::CreatePrekeyProfile(backend, identity.long_term.sym_key, params);
  if (!profile.ok()) return std::nullopt;
  const int64_t keep_until = expiration + v4::profile::kRecommendedExtraValidity;
  store.AddPrekeyProfile(v4::OurPrekeyProfile{*profile, d->secret}, keep_until);
  auto messages = v4::GeneratePrekeyMessages(backend, store, params.owner_instance_tag, 1,
                                             keep_until, static_cast<int64_t>(kNow), random);
  if (!messages.ok() || messages->size() != 1) return std::nullopt;
  return v4::dake::PrekeyEnsembleValues{identity.client_profile, *profile, messages->front()};
}

// `step`: 0 = Alice's StartOffline (the ensemble validated, the
// Non-Interactive-Auth message made), 1 = Bob's receipt of it, 2 = both.
void OfflineStart(benchmark::State& state, const crypto::Backend& backend, int step) {
  const std::unique_ptr<v4::Identity> alice_id =
      testing::MakeV4Identity(backend, 11, 0x3001, kNow, "4");
  const std::unique_ptr<v4::Identity> bob_id =
      testing::MakeV4Identity(backend, 12, 0x3002, kNow, "4");
  for (auto _ : state) {
    state.PauseTiming();
    v4::InMemoryPrekeyStore alice_store, bob_store;
    const std::optional<v4::dake::PrekeyEnsembleValues> ensemble =
        PublishOne(backend, *bob_id, bob_store);
    Party alice(backend, *alice_id, alice_store);
    Party bob(backend, *bob_id, bob_store);
    if (!ensemble || !alice.session || !bob.session) {
      state.SkipWithError("could not publish or create the sessions");
      break;
    }
    if (step != 1) state.ResumeTiming();
    Output sent = alice.session->StartOffline(kNow, {*ensemble});
    if (step == 0) state.PauseTiming();
    if (step == 1) state.ResumeTiming();
    bool received = false;
    for (const std::string& m : sent.to_send) {
      Output out = bob.session->Receive(kNow, m);
      benchmark::DoNotOptimize(out);
      received = true;
    }
    if (step != 0) state.PauseTiming();
    const bool ok = received && alice.session->state() == ConversationState::kEncrypted &&
                    bob.session->state() == ConversationState::kEncrypted;
    state.ResumeTiming();
    if (!ok) {
      state.SkipWithError("the offline start did not encrypt both sides");
      break;
    }
  }
}

}  // namespace

void RegisterV4OfflineBenchmarks(Backends backends) {
  const char* const steps[] = {"start_offline", "receive_auth", "full"};
  for (int step = 0; step < 3; ++step) {
    RegisterPerBackend(
        backends, "BM_V4OfflineStart", steps[step], benchmark::kMicrosecond,
        [step](benchmark::State& s, const crypto::Backend& b) { OfflineStart(s, b, step); });
    // libotr-ng's row next to ours; the prekey server runs on the first
    // backend (its work is not timed).
    if (backends.empty()) continue;
    const crypto::Backend* server_backend = backends.front();
    benchmark::RegisterBenchmark(
        (std::string("BM_V4OfflineStart/libotr-ng/") + steps[step]).c_str(),
        [step, server_backend](benchmark::State& s) {
          LibotrNgOfflineStart(s, *server_backend, step);
        })
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace otr::bench
