#include "bench/protocol_benchmarks.h"

#include <benchmark/benchmark.h>

#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "bench/heap_counter.h"
#include "bench/libotr_rekey.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "protocol/v3/keys/data_keys.h"
#include "protocol/v3/messages.h"
#include "protocol/wire/armor.h"

namespace otr::bench {
namespace {

constexpr char kSmpSecret[] = "the same secret on both sides";
constexpr size_t kMaxDeliveries = 64;  // an AKE or SMP needs fewer than 10

// Delivers `wire` from `from` to `to`, then every reply, both ways, until
// both are quiet; answers an SMP request with kSmpSecret. Delivery number
// `timed` (0 = the first message delivered), including the SMP answer it
// prompts, is the only part timed when `state` is given (the caller has
// paused timing); -1: nothing is timed here.
bool Pump(Endpoint& from, Endpoint& to, Wire wire, benchmark::State* state = nullptr,
          int timed = -1) {
  std::deque<std::pair<std::string, Endpoint*>> queue;
  for (std::string& m : wire) queue.emplace_back(std::move(m), &to);
  for (int delivery = 0; !queue.empty(); ++delivery) {
    if (delivery >= static_cast<int>(kMaxDeliveries)) return false;
    auto [message, receiver] = std::move(queue.front());
    queue.pop_front();
    Endpoint* sender = receiver == &to ? &from : &to;
    const bool timing = state != nullptr && delivery == timed;
    if (timing) state->ResumeTiming();
    Wire reply = receiver->Receive(message);
    if (receiver->smp_asked()) {
      Wire answer = receiver->RespondSmp(kSmpSecret);
      for (std::string& m : answer) reply.push_back(std::move(m));
    }
    if (timing) state->PauseTiming();
    for (std::string& m : reply) queue.emplace_back(std::move(m), sender);
  }
  return true;
}

bool Establish(Conversation& c) {
  return Pump(*c.alice, *c.bob, c.alice->StartOtr()) && c.alice->encrypted() && c.bob->encrypted();
}

// A new established conversation, or nullptr after reporting the error.
std::unique_ptr<Conversation> Established(benchmark::State& state, Implementation& impl,
                                          size_t max_message_size = 0) {
  std::unique_ptr<Conversation> c = impl.NewConversation(max_message_size);
  if (c == nullptr || !Establish(*c)) {
    state.SkipWithError("could not establish the conversation");
    return nullptr;
  }
  return c;
}

using ImplBenchmark = std::function<void(benchmark::State&, Implementation&)>;

void Register(std::span<Implementation* const> impls, std::string_view op, std::string_view params,
              benchmark::TimeUnit unit, const ImplBenchmark& fn) {
  for (Implementation* impl : impls) {
    std::string name(op);
    name += '/';
    name += impl->name();
    if (!params.empty()) {
      name += '/';
      name += params;
    }
    benchmark::RegisterBenchmark(name.c_str(), [fn, impl](benchmark::State& state) {
      fn(state, *impl);
    })->Unit(unit);
  }
}

// --- AKE ---

// Query to both ENCRYPTED; creating and forgetting the contexts is not timed.
void AkeFull(benchmark::State& state, Implementation& impl) {
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<Conversation> c = impl.NewConversation(0);
    state.ResumeTiming();
    const bool ok = c != nullptr && Establish(*c);
    state.PauseTiming();
    c.reset();
    state.ResumeTiming();
    if (!ok) {
      state.SkipWithError("AKE did not reach ENCRYPTED on both sides");
      break;
    }
  }
}

// One AKE message's processing: `step` 0 = the query received (Bob sends
// D-H Commit), 1 = D-H Commit (Alice sends D-H Key), 2 = D-H Key (Bob sends
// Reveal Signature), 3 = Reveal Signature (Alice sends Signature),
// 4 = Signature (Bob goes ENCRYPTED).
void AkeStep(benchmark::State& state, Implementation& impl, int step) {
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<Conversation> c = impl.NewConversation(0);
    const bool ok = c != nullptr && Pump(*c->alice, *c->bob, c->alice->StartOtr(), &state, step) &&
                    c->alice->encrypted() && c->bob->encrypted();
    c.reset();
    state.ResumeTiming();
    if (!ok) {
      state.SkipWithError("AKE did not reach ENCRYPTED on both sides");
      break;
    }
  }
}

// --- Data messages ---

// Send and receive of one message per iteration. Ping-pong: the direction
// alternates, so every message acknowledges the peer's newest key and both
// sides rotate (otr v3 spec, "Key Management"). Burst: always Alice to Bob.
void DataMessages(benchmark::State& state, Implementation& impl, size_t size, bool ping_pong,
                  size_t max_message_size) {
  std::unique_ptr<Conversation> c = Established(state, impl, max_message_size);
  if (c == nullptr) return;
  const std::string text(size, 'a');
  const size_t shown_before = c->alice->displayed() + c->bob->displayed();
  size_t sent = 0;
  for (auto _ : state) {
    const bool from_alice = !ping_pong || sent % 2 == 0;
    Endpoint& sender = from_alice ? *c->alice : *c->bob;
    Endpoint& receiver = from_alice ? *c->bob : *c->alice;
    for (const std::string& m : sender.Send(text)) {
      Wire replies = receiver.Receive(m);  // libotr's heartbeats: dropped
      benchmark::DoNotOptimize(replies);
    }
    ++sent;
  }
  if (c->alice->displayed() + c->bob->displayed() - shown_before != sent) {
    state.SkipWithError("a message was not displayed");
  }
  state.SetBytesProcessed(static_cast<int64_t>(sent * size));
}

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

// --- SMP ---

// A whole SMP between established sides, to success on both.
void SmpFull(benchmark::State& state, Implementation& impl) {
  std::unique_ptr<Conversation> c = Established(state, impl);
  if (c == nullptr) return;
  int runs = 0;
  for (auto _ : state) {
    if (!Pump(*c->alice, *c->bob, c->alice->StartSmp(kSmpSecret))) break;
    ++runs;
  }
  if (c->alice->smp_successes() != runs || c->bob->smp_successes() != runs) {
    state.SkipWithError("SMP did not succeed on both sides");
  }
}

// One SMP step: 0 = Alice starts (makes message 1), 1 = Bob receives
// message 1 and answers (message 2), 2 = Alice receives 2 (makes 3),
// 3 = Bob receives 3 (makes 4, learns the result), 4 = Alice receives 4.
void SmpStep(benchmark::State& state, Implementation& impl, int step) {
  std::unique_ptr<Conversation> c = Established(state, impl);
  if (c == nullptr) return;
  int runs = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (step == 0) state.ResumeTiming();
    Wire first = c->alice->StartSmp(kSmpSecret);
    if (step == 0) state.PauseTiming();
    const bool ok = Pump(*c->alice, *c->bob, std::move(first), &state, step - 1);
    state.ResumeTiming();
    if (!ok) break;
    ++runs;
  }
  if (c->alice->smp_successes() != runs || c->bob->smp_successes() != runs) {
    state.SkipWithError("SMP did not succeed on both sides");
  }
}

// --- Memory ---

// Heap bytes held per established session: `sessions` sessions as
// sessions/2 conversations (both ends live in this process), established
// and held at once; counters bytes_per_session and allocations_per_session
// (allocations made while establishing, freed or not).
void SessionMemory(benchmark::State& state, Implementation& impl, size_t sessions) {
  if (!heap::Active()) {
    state.SkipWithError("no heap counter in this build (sanitizer)");
    return;
  }
  const size_t conversations = sessions / 2;
  for (auto _ : state) {
    std::vector<std::unique_ptr<Conversation>> held;
    held.reserve(conversations);
    heap::Start();
    const int64_t before = heap::BytesInUse();
    const uint64_t allocations_before = heap::Allocations();
    for (size_t i = 0; i < conversations; ++i) {
      held.push_back(impl.NewConversation(0));
      if (held.back() == nullptr || !Establish(*held.back())) {
        heap::Stop();
        state.SkipWithError("could not establish a conversation");
        return;
      }
    }
    const int64_t after = heap::BytesInUse();
    const uint64_t allocations_after = heap::Allocations();
    heap::Stop();
    state.counters["bytes_per_session"] =
        static_cast<double>(after - before) / static_cast<double>(2 * conversations);
    state.counters["allocations_per_session"] =
        static_cast<double>(allocations_after - allocations_before) /
        static_cast<double>(2 * conversations);
    state.PauseTiming();
    held.clear();
    state.ResumeTiming();
  }
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
             [step](benchmark::State& s, Implementation& i) { AkeStep(s, i, step); });
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
  for (const size_t sessions : {size_t{2}, size_t{10000}}) {
    for (Implementation* impl : impls) {
      const std::string name =
          "BM_SessionMemory/" + std::string(impl->name()) + "/sessions:" + std::to_string(sessions);
      benchmark::RegisterBenchmark(
          name.c_str(),
          [impl, sessions](benchmark::State& s) { SessionMemory(s, *impl, sessions); })
          ->Unit(kMillisecond)
          ->Iterations(1)
          ->Repetitions(1);
    }
  }
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
