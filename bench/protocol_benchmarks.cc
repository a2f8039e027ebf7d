#include "bench/protocol_benchmarks.h"

#include <benchmark/benchmark.h>

#include <string>
#include <variant>

#include "bench/conversation_cases.h"
#include "bench/libotr_rekey.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "protocol/v3/keys/data_keys.h"
#include "protocol/v3/messages.h"
#include "protocol/wire/armor.h"

namespace otr::bench {
namespace {

// --- Forged data messages (issue 14) ---

// `wire` (one armoured v3 Data Message) with one bit of its MAC flipped;
// empty if it is not one.
std::string ForgeMac(const std::string& wire) {
  Result<Bytes> bytes = wire::DecodeArmor(wire);
  if (!bytes.ok()) return {};
  Result<v3::Message> message = v3::DecodeMessage(*bytes);
  if (!message.ok()) return {};
  auto* data = std::get_if<v3::DataMessage>(&*message);
  if (data == nullptr) return {};
  data->mac[0] ^= 0x01;
  return wire::EncodeArmor(v3::EncodeMessage(*message));
}

// Bob receives a stream of forgeries of Alice's first Data Message (the
// genuine one is never delivered): a key pair Bob has not used yet, with a
// bad MAC. What a forger costs the receiver; no public-key work should run.
void ForgedData(benchmark::State& state, Implementation& impl) {
  std::unique_ptr<Conversation> c = Established(state, impl);
  if (c == nullptr) return;
  Wire genuine = c->alice->Send("not delivered");
  const std::string forged = genuine.size() == 1 ? ForgeMac(genuine.front()) : std::string();
  if (forged.empty()) {
    state.SkipWithError("Alice's message is not one armoured Data Message");
    return;
  }
  const size_t shown_before = c->bob->displayed();
  for (auto _ : state) {
    Wire replies = c->bob->Receive(forged);  // an error message, or nothing
    benchmark::DoNotOptimize(replies);
  }
  if (c->bob->displayed() != shown_before) state.SkipWithError("a forgery was displayed");
}

// --- Rekeying (our side) ---

void OurRekey(benchmark::State& state, const crypto::Backend& backend, bool sender_side) {
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  crypto::OsRandom random;
  auto ours = crypto::GenerateDhKeyPair(backend, group, random);
  auto theirs = crypto::GenerateDhKeyPair(backend, group, random);
  if (!ours.ok() || !theirs.ok()) {
    state.SkipWithError("GenerateDhKeyPair failed");
    return;
  }
  for (auto _ : state) {
    Result<crypto::DhKeyPair> fresh = sender_side
                                          ? crypto::GenerateDhKeyPair(backend, group, random)
                                          : Result<crypto::DhKeyPair>(ours.value());
    if (!fresh.ok()) {
      state.SkipWithError("GenerateDhKeyPair failed");
      break;
    }
    auto s = crypto::DhSharedSecret(backend, group, fresh.value().secret, theirs.value().pub);
    if (!s.ok()) {
      state.SkipWithError("DhSharedSecret failed");
      break;
    }
    v3::DataKeys keys =
        v3::DeriveDataKeys(backend, fresh.value().pub, theirs.value().pub, s.value());
    benchmark::DoNotOptimize(keys);
  }
}

}  // namespace

void RegisterRekeyBenchmarks(std::span<const crypto::Backend* const> backends) {
  for (const bool sender : {true, false}) {
    const std::string op = sender ? "BM_RekeySender" : "BM_RekeyReceiver";
    for (const crypto::Backend* backend : backends) {
      benchmark::RegisterBenchmark(
          (op + "/" + std::string(backend->name())).c_str(),
          [backend, sender](benchmark::State& state) { OurRekey(state, *backend, sender); })
          ->Unit(benchmark::kMicrosecond);
    }
    benchmark::RegisterBenchmark((op + "/libotr").c_str(), [sender](benchmark::State& state) {
      LibotrRekey(state, sender);
    })->Unit(benchmark::kMicrosecond);
  }
}

void RegisterConversationBenchmarks(std::span<Implementation* const> impls) {
  using benchmark::kMicrosecond;
  using benchmark::kMillisecond;
  Register(impls, "BM_AkeFull", "", kMillisecond, AkeFull);
  const char* const ake_steps[] = {"query", "dh_commit", "dh_key", "reveal_signature", "signature"};
  for (int step = 0; step < 5; ++step) {
    Register(impls, "BM_AkeStep", ake_steps[step], kMicrosecond,
             [step](benchmark::State& s, Implementation& i) { AkeStep(s, i, AtDelivery(step)); });
  }
  for (const size_t size : {size_t{16}, size_t{1024}, size_t{16384}}) {
    const std::string params = std::to_string(size);
    Register(impls, "BM_PingPong", params, kMicrosecond,
             [size](benchmark::State& s, Implementation& i) { DataMessages(s, i, size, true, 0); });
    Register(
        impls, "BM_Burst", params, kMicrosecond,
        [size](benchmark::State& s, Implementation& i) { DataMessages(s, i, size, false, 0); });
    Register(impls, "BM_PingPongFragmented", params + "/max400", kMicrosecond,
             [size](benchmark::State& s, Implementation& i) {
               DataMessages(s, i, size, true, kIrcMessageSize);
             });
    Register(impls, "BM_BurstFragmented", params + "/max400", kMicrosecond,
             [size](benchmark::State& s, Implementation& i) {
               DataMessages(s, i, size, false, kIrcMessageSize);
             });
  }
  Register(impls, "BM_ForgedData", "", kMicrosecond, ForgedData);
  Register(impls, "BM_SmpFull", "", kMillisecond, SmpFull);
  const char* const smp_steps[] = {"start", "smp1", "smp2", "smp3", "smp4"};
  for (int step = 0; step < 5; ++step) {
    Register(impls, "BM_SmpStep", smp_steps[step], kMicrosecond,
             [step](benchmark::State& s, Implementation& i) { SmpStep(s, i, step); });
  }
  RegisterSessionMemory(impls, "BM_SessionMemory");
}

bool WarmUpImplementations(std::span<Implementation* const> impls) {
  for (Implementation* impl : impls) {
    std::unique_ptr<Conversation> c = impl->NewConversation(0);
    if (c == nullptr || !Establish(*c)) return false;
    if (!Pump(*c->alice, *c->bob, c->alice->StartSmp(kSmpSecret))) return false;
  }
  return true;
}

}  // namespace otr::bench
