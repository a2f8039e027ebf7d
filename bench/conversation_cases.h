// The cases that run over whole conversations of any Implementation
// (endpoint.h): the delivery loop, handshakes whole and per message, data
// messages, SMP whole and per step, and the heap held per session. The v3
// cases (protocol_benchmarks.cc, issue 9) and the v4 ones
// (v4_protocol_benchmarks.cc, issue 20) register them under their names.
#ifndef OTR_BENCH_CONVERSATION_CASES_H_
#define OTR_BENCH_CONVERSATION_CASES_H_

#include <benchmark/benchmark.h>

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "bench/endpoint.h"

namespace otr::bench {

inline constexpr char kSmpSecret[] = "the same secret on both sides";

// Which deliveries of a Pump are timed: given the delivery's number (0 =
// the first message delivered) and the message.
using TimedDelivery = std::function<bool(int delivery, const std::string& message)>;
TimedDelivery AtDelivery(int n);

// Delivers `wire` from `from` to `to`, then every reply, both ways, until
// both are quiet; answers an SMP request with kSmpSecret. The deliveries
// `timed` selects, each with the SMP answer it prompts, are the only parts
// timed when `state` is given (the caller has paused timing).
bool Pump(Endpoint& from, Endpoint& to, Wire wire, benchmark::State* state = nullptr,
          const TimedDelivery& timed = {});
// Alice starts; true when both sides are encrypted.
bool Establish(Conversation& c);
// A new established conversation, or nullptr after reporting the error.
std::unique_ptr<Conversation> Established(benchmark::State& state, Implementation& impl,
                                          size_t max_message_size = 0);

using ImplBenchmark = std::function<void(benchmark::State&, Implementation&)>;
// Registers `<op>/<implementation>/<params>` for each implementation, next
// to each other.
void Register(std::span<Implementation* const> impls, std::string_view op, std::string_view params,
              benchmark::TimeUnit unit, const ImplBenchmark& fn);

// The whole handshake from the Query Message to both sides encrypted.
void AkeFull(benchmark::State& state, Implementation& impl);
// The processing of the handshake deliveries `timed` selects, each with
// the reply it builds; with `time_start`, also Alice's StartOtr.
void AkeStep(benchmark::State& state, Implementation& impl, const TimedDelivery& timed,
             bool time_start = false);
// Send and receive of one `size`-byte message per iteration: directions
// alternating (`ping_pong`) or always Alice to Bob.
void DataMessages(benchmark::State& state, Implementation& impl, size_t size, bool ping_pong,
                  size_t max_message_size);
// A whole SMP to success on both sides; one step of it (0 = start, 1..4 =
// the receipt of message 1..4 and the answer it makes).
void SmpFull(benchmark::State& state, Implementation& impl);
void SmpStep(benchmark::State& state, Implementation& impl, int step);
// Heap held per established session with `sessions` sessions live.
void SessionMemory(benchmark::State& state, Implementation& impl, size_t sessions);
// `<op>/<implementation>/sessions:N` for N = 2 and 10,000, one iteration.
void RegisterSessionMemory(std::span<Implementation* const> impls, std::string_view op);

}  // namespace otr::bench

#endif  // OTR_BENCH_CONVERSATION_CASES_H_
