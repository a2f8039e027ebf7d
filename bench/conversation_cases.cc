#include "bench/conversation_cases.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "bench/heap_counter.h"

namespace otr::bench {
namespace {

constexpr size_t kMaxDeliveries = 64;  // an AKE, DAKE or SMP needs fewer than 10

// Newlines in a /proc file, read with no heap allocation (the heap counter
// is running where this is called).
size_t CountLines(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  size_t lines = 0;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
    for (ssize_t i = 0; i < n; ++i) lines += buffer[i] == '\n' ? 1 : 0;
  }
  ::close(fd);
  return lines;
}

// Resident set size (/proc/self/statm, in pages): what the process holds in
// memory whatever allocated it, so also libotr-ng's libsodium guarded pages
// (mmap, outside the malloc hook) beside the heap.
int64_t ResidentBytes() {
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buffer[128] = {};
  const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  if (n <= 0) return 0;
  char* rest = nullptr;
  std::strtoull(buffer, &rest, 10);  // size
  const unsigned long long pages = std::strtoull(rest, nullptr, 10);
  return static_cast<int64_t>(pages) * static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
}

size_t MaxMapCount() {
  const int fd = ::open("/proc/sys/vm/max_map_count", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buffer[32] = {};
  const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  return n > 0 ? static_cast<size_t>(std::strtoull(buffer, nullptr, 10)) : 0;
}

}  // namespace

TimedDelivery AtDelivery(int n) {
  return [n](int delivery, const std::string&) { return delivery == n; };
}

bool Pump(Endpoint& from, Endpoint& to, Wire wire, benchmark::State* state,
          const TimedDelivery& timed) {
  std::deque<std::pair<std::string, Endpoint*>> queue;
  for (std::string& m : wire) queue.emplace_back(std::move(m), &to);
  for (int delivery = 0; !queue.empty(); ++delivery) {
    if (delivery >= static_cast<int>(kMaxDeliveries)) return false;
    auto [message, receiver] = std::move(queue.front());
    queue.pop_front();
    Endpoint* sender = receiver == &to ? &from : &to;
    const bool timing = state != nullptr && timed && timed(delivery, message);
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
                                          size_t max_message_size) {
  std::unique_ptr<Conversation> c = impl.NewConversation(max_message_size);
  if (c == nullptr || !Establish(*c)) {
    state.SkipWithError("could not establish the conversation");
    return nullptr;
  }
  return c;
}

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
void AkeStep(benchmark::State& state, Implementation& impl, const TimedDelivery& timed,
             bool time_start) {
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<Conversation> c = impl.NewConversation(0);
    if (c != nullptr && time_start) state.ResumeTiming();
    Wire first = c != nullptr ? c->alice->StartOtr() : Wire{};
    if (c != nullptr && time_start) state.PauseTiming();
    const bool ok = c != nullptr && Pump(*c->alice, *c->bob, std::move(first), &state, timed) &&
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
  if (!ping_pong) {
    // Untimed: the first message of a burst may turn a ratchet (OTRv4's
    // first Data Message after the DAKE); the case is the ones after it.
    for (const std::string& m : c->alice->Send(text)) c->bob->Receive(m);
  }
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
  const size_t timed = sent;
  // Heap allocations per message (the sender's Send plus the receiver's
  // Receive), counted after the timed loop so that the timed messages do not
  // pay for the hook: kCounted more messages of the same kind.
  if (heap::Active()) {
    constexpr size_t kCounted = 16;
    uint64_t on_send = 0;
    uint64_t on_receive = 0;
    for (size_t i = 0; i < kCounted; ++i) {
      const bool from_alice = !ping_pong || sent % 2 == 0;
      Endpoint& sender = from_alice ? *c->alice : *c->bob;
      Endpoint& receiver = from_alice ? *c->bob : *c->alice;
      heap::Start();
      const uint64_t before_send = heap::Allocations();
      Wire wire = sender.Send(text);
      const uint64_t after_send = heap::Allocations();
      for (const std::string& m : wire) {
        Wire replies = receiver.Receive(m);
        benchmark::DoNotOptimize(replies);
      }
      const uint64_t after_receive = heap::Allocations();
      heap::Stop();
      on_send += after_send - before_send;
      on_receive += after_receive - after_send;
      ++sent;
    }
    state.counters["allocs_per_message"] = static_cast<double>(on_send + on_receive) / kCounted;
    state.counters["allocs_send"] = static_cast<double>(on_send) / kCounted;
    state.counters["allocs_receive"] = static_cast<double>(on_receive) / kCounted;
  }
  if (c->alice->displayed() + c->bob->displayed() - shown_before != sent) {
    state.SkipWithError("a message was not displayed");
  }
  state.SetBytesProcessed(static_cast<int64_t>(timed * size));
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
    const bool ok = Pump(*c->alice, *c->bob, std::move(first), &state, AtDelivery(step - 1));
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
    int64_t created = 0;  // the part of it made by NewConversation
    const size_t maps_before = CountLines("/proc/self/maps");
    const int64_t resident_before = ResidentBytes();
    for (size_t i = 0; i < conversations; ++i) {
      const int64_t before_new = heap::BytesInUse();
      held.push_back(impl.NewConversation(0));
      created += heap::BytesInUse() - before_new;
      if (held.back() == nullptr || !Establish(*held.back())) {
        heap::Stop();
        state.SkipWithError("could not establish a conversation");
        return;
      }
      if (i == 0 && conversations > 1) {
        // libotr-ng holds its secrets in libsodium's guarded allocations
        // (sodium_malloc: a mapping with guard pages each), and its
        // otrng_secure_alloc writes to what sodium_malloc returns without a
        // NULL check: past the kernel's vm.max_map_count the process
        // crashes. Projected from the first conversation, refused instead.
        const size_t per_conversation = CountLines("/proc/self/maps") - maps_before;
        const size_t needed = maps_before + per_conversation * conversations;
        const size_t limit = MaxMapCount();
        if (limit != 0 && needed + needed / 10 > limit) {
          heap::Stop();
          char reason[256];
          std::snprintf(reason, sizeof reason,
                        "needs about %zu memory mappings (%zu per conversation), above "
                        "vm.max_map_count %zu: raise it (sysctl vm.max_map_count)",
                        needed, per_conversation, limit);
          state.SkipWithError(reason);
          return;
        }
      }
    }
    const int64_t after = heap::BytesInUse();
    const int64_t resident_after = ResidentBytes();
    const uint64_t allocations_after = heap::Allocations();
    heap::Stop();
    state.counters["bytes_per_session"] =
        static_cast<double>(after - before) / static_cast<double>(2 * conversations);
    // Resident memory growth: meaningful for many sessions (pages, and the
    // allocator may reuse pages earlier cases freed).
    state.counters["resident_bytes_per_session"] =
        static_cast<double>(resident_after - resident_before) /
        static_cast<double>(2 * conversations);
    state.counters["allocations_per_session"] =
        static_cast<double>(allocations_after - allocations_before) /
        static_cast<double>(2 * conversations);
    // What the endpoints hold before any message: for libotr-ng a client
    // each, with its keys and profiles; for ours the Session object.
    state.counters["created_bytes_per_session"] =
        static_cast<double>(created) / static_cast<double>(2 * conversations);
    state.PauseTiming();
    held.clear();
    state.ResumeTiming();
  }
}

void RegisterSessionMemory(std::span<Implementation* const> impls, std::string_view op) {
  for (const size_t sessions : {size_t{2}, size_t{10000}}) {
    for (Implementation* impl : impls) {
      const std::string name = std::string(op) + "/" + std::string(impl->name()) +
                               "/sessions:" + std::to_string(sessions);
      benchmark::RegisterBenchmark(
          name.c_str(),
          [impl, sessions](benchmark::State& s) { SessionMemory(s, *impl, sessions); })
          ->Unit(benchmark::kMillisecond)
          ->Iterations(1)
          ->Repetitions(1);
    }
  }
}

}  // namespace otr::bench
