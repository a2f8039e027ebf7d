#include "bench/v4_protocol_benchmarks.h"

#include <benchmark/benchmark.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench/conversation_cases.h"
#include "protocol/wire/armor.h"

namespace otr::bench {
namespace {

constexpr size_t kRatchetMessageSize = 16;
// otrv4.md "Data Exchange": a new DH key pair on every third ratchet.
constexpr size_t kDhRatchetPeriod = 3;
constexpr size_t kSkippedKeys = 100;

// The Public DH Key (MPI) of an encoded v4 Data Message, empty if it has
// none or is not one. otrv4.md "Data Message": header (version, type 0x03,
// two instance tags), flags, pn, i, j, the ECDH key (POINT, 57 bytes), then
// the DH key, zero length except on a DH ratchet. libotr-ng's messages have
// the same layout up to there (its nonce follows the DH key) but repeat the
// current DH key in every message.
std::string DhKeyOf(const std::string& message) {
  constexpr size_t kDhOffset = 3 + 4 + 4 + 1 + 4 + 4 + 4 + 57;
  Result<Bytes> bytes = wire::DecodeArmor(message);
  if (!bytes.ok() || bytes->size() < kDhOffset + 4 || (*bytes)[2] != 0x03) return {};
  const size_t length = (size_t{(*bytes)[kDhOffset]} << 24) |
                        (size_t{(*bytes)[kDhOffset + 1]} << 16) |
                        (size_t{(*bytes)[kDhOffset + 2]} << 8) | (*bytes)[kDhOffset + 3];
  if (bytes->size() < kDhOffset + 4 + length) return {};
  return std::string(bytes->begin() + kDhOffset + 4, bytes->begin() + kDhOffset + 4 + length);
}

// Sends one 16-byte message of a ping-pong (Alice when `index` is even)
// and delivers it. Returns whether it brought a new DH key (a DH ratchet):
// one differing from the last one this side sent; `last_dh` holds both
// sides' last keys. nullopt on failure.
std::optional<bool> PingPongMessage(Conversation& c, size_t index, std::string (&last_dh)[2]) {
  Endpoint& sender = index % 2 == 0 ? *c.alice : *c.bob;
  Endpoint& receiver = index % 2 == 0 ? *c.bob : *c.alice;
  Wire wire = sender.Send(std::string(kRatchetMessageSize, 'r'));
  if (wire.size() != 1) return std::nullopt;
  Wire replies = receiver.Receive(wire.front());
  benchmark::DoNotOptimize(replies);
  std::string dh = DhKeyOf(wire.front());
  const bool new_dh = !dh.empty() && dh != last_dh[index % 2];
  if (!dh.empty()) last_dh[index % 2] = std::move(dh);
  return new_dh;
}

// Which residue of the message index modulo 3 turns the DH ratchet
// (otrv4.md: a new DH key pair on every third ratchet), from two periods
// of messages after one from each side; -1 when they do not show exactly one such residue.
int CalibrateDhPhase(Conversation& c, size_t& next, std::string (&last_dh)[2], std::string& seen) {
  // One message from each side first, so that each side's current DH key
  // is known (libotr-ng repeats it in every message).
  for (int i = 0; i < 2; ++i) {
    if (!PingPongMessage(c, next++, last_dh)) return -1;
  }
  int phase = -1;
  std::vector<std::pair<int, bool>> turns;
  for (size_t i = 0; i < 2 * kDhRatchetPeriod; ++i) {
    const int residue = static_cast<int>(next % kDhRatchetPeriod);
    const std::optional<bool> dh = PingPongMessage(c, next++, last_dh);
    if (!dh) return -1;
    seen += *dh ? 'D' : 'e';
    turns.emplace_back(residue, *dh);
    if (*dh) phase = residue;
  }
  for (const auto& [residue, dh] : turns) {
    if ((residue == phase) != dh) return -1;
  }
  return phase;
}

// One ping-pong message per iteration, every one turning the ECDH ratchet
// (each is the first after the peer's); timed only when it is a message
// that also turns the DH ratchet (`dh`) or one that does not.
void RatchetTurn(benchmark::State& state, Implementation& impl, bool dh) {
  std::unique_ptr<Conversation> c = Established(state, impl);
  if (c == nullptr) return;
  size_t next = 0;
  std::string last_dh[2];
  std::string seen;  // D: a message with a new DH key, e: without
  const int phase = CalibrateDhPhase(*c, next, last_dh, seen);
  if (phase < 0) {
    const std::string error = "no DH ratchet every third message: " + seen;
    state.SkipWithError(error.c_str());
    return;
  }
  const size_t shown_before = c->alice->displayed() + c->bob->displayed();
  size_t sent = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto wanted = [&](size_t i) { return (static_cast<int>(i % kDhRatchetPeriod) == phase) == dh; };
    bool ok = true;
    while (ok && !wanted(next)) {
      ok = PingPongMessage(*c, next++, last_dh).has_value();
      ++sent;
    }
    state.ResumeTiming();
    const std::optional<bool> turned = PingPongMessage(*c, next++, last_dh);
    ++sent;
    if (!ok || !turned || *turned != dh) {
      state.SkipWithError("the ratchet did not turn as calibrated");
      break;
    }
  }
  if (c->alice->displayed() + c->bob->displayed() - shown_before != sent) {
    state.SkipWithError("a message was not displayed");
  }
}

// Alice sends 101 messages; Bob receives the last first (timed): it derives
// and stores the 100 skipped message keys (otrv4.md "When receiving a Data
// Message": "store_message_keys"). The 100 earlier ones are then delivered
// untimed, so the stored keys never pile up.
void OutOfOrder(benchmark::State& state, Implementation& impl) {
  std::unique_ptr<Conversation> c = Established(state, impl);
  if (c == nullptr) return;
  const size_t shown_before = c->bob->displayed();
  size_t sent = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::string> wire;
    for (size_t i = 0; i <= kSkippedKeys; ++i) {
      for (std::string& m : c->alice->Send(std::string(kRatchetMessageSize, 'o'))) {
        wire.push_back(std::move(m));
      }
    }
    if (wire.size() != kSkippedKeys + 1) {
      state.SkipWithError("one transport message per data message expected");
      break;
    }
    state.ResumeTiming();
    Wire replies = c->bob->Receive(wire.back());
    benchmark::DoNotOptimize(replies);
    state.PauseTiming();
    for (size_t i = 0; i < kSkippedKeys; ++i) c->bob->Receive(wire[i]);
    sent += wire.size();
    state.ResumeTiming();
  }
  if (c->bob->displayed() - shown_before != sent) {
    state.SkipWithError("a message was not displayed");
  }
}

}  // namespace

void RegisterV4ConversationBenchmarks(std::span<Implementation* const> impls) {
  using benchmark::kMicrosecond;
  using benchmark::kMillisecond;
  Register(impls, "BM_V4DakeFull", "", kMillisecond, AkeFull);
  // otrv4.md "Interactive DAKE Overview", step by step, told apart by the
  // message type in the encoded header (version 4 and type 0x35, 0x36,
  // 0x37 give "AAQ1", "AAQ2", "AAQ3"). `start`: until the Identity message
  // exists: our Session sends it at once from StartOtr; libotr-ng sends a
  // Query Message and the peer answers it with the Identity message.
  // libotr-ng's Bob then waits for a first Data Message from Alice, which is
  // in BM_V4DakeFull only.
  Register(impls, "BM_V4DakeStep", "start", kMicrosecond,
           [](benchmark::State& s, Implementation& i) {
             AkeStep(
                 s, i, [](int, const std::string& m) { return m.rfind("?OTRv", 0) == 0; },
                 /*time_start=*/true);
           });
  const std::pair<const char*, const char*> dake_steps[] = {
      {"identity", "?OTR:AAQ1"}, {"auth_r", "?OTR:AAQ2"}, {"auth_i", "?OTR:AAQ3"}};
  for (const auto& [step, prefix] : dake_steps) {
    const std::string header = prefix;
    Register(impls, "BM_V4DakeStep", step, kMicrosecond,
             [header](benchmark::State& s, Implementation& i) {
               AkeStep(s, i,
                       [header](int, const std::string& m) { return m.rfind(header, 0) == 0; });
             });
  }
  for (const size_t size : {size_t{16}, size_t{1024}, size_t{16384}}) {
    Register(
        impls, "BM_V4Burst", std::to_string(size), kMicrosecond,
        [size](benchmark::State& s, Implementation& i) { DataMessages(s, i, size, false, 0); });
  }
  Register(impls, "BM_V4RatchetTurn", "ecdh", kMicrosecond,
           [](benchmark::State& s, Implementation& i) { RatchetTurn(s, i, false); });
  Register(impls, "BM_V4RatchetTurn", "dh", kMicrosecond,
           [](benchmark::State& s, Implementation& i) { RatchetTurn(s, i, true); });
  Register(impls, "BM_V4OutOfOrder", "skip100", kMicrosecond, OutOfOrder);
  Register(impls, "BM_V4SmpFull", "", kMillisecond, SmpFull);
  const char* const smp_steps[] = {"start", "smp1", "smp2", "smp3", "smp4"};
  for (int step = 0; step < 5; ++step) {
    Register(impls, "BM_V4SmpStep", smp_steps[step], kMicrosecond,
             [step](benchmark::State& s, Implementation& i) { SmpStep(s, i, step); });
  }
  RegisterSessionMemory(impls, "BM_V4SessionMemory");
}

}  // namespace otr::bench
