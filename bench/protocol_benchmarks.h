// The protocol benchmarks of issue 9: D-H rekeying, the v3 AKE (whole and
// per message), data messages (ping-pong with rotation, one-way bursts,
// fragmented at an IRC-sized limit), SMP (whole and per step) and the heap
// held per established session. Each case is registered once per
// Implementation, named `<op>/<implementation>/<params>` with the
// implementations of one case next to each other, so that one run compares
// our Session on each crypto backend with libotr under the same load.
// bench/report.py turns the JSON into the report.
#ifndef OTR_BENCH_PROTOCOL_BENCHMARKS_H_
#define OTR_BENCH_PROTOCOL_BENCHMARKS_H_

#include <span>

#include "bench/endpoint.h"
#include "crypto/backend.h"

namespace otr::bench {

// The IRC-sized fragmentation limit (DESIGN.md: ~400 bytes per PRIVMSG).
inline constexpr size_t kIrcMessageSize = 400;

// D-H rekeying at the key level: our KeyState's steps on each backend
// (GenerateDhKeyPair, DhSharedSecret, DeriveDataKeys) and libotr's dh.h.
void RegisterRekeyBenchmarks(std::span<const crypto::Backend* const> backends);

// Everything that runs through whole conversations.
void RegisterConversationBenchmarks(std::span<Implementation* const> implementations);

// Creates and establishes one conversation per implementation, so that
// one-time costs (long-term key generation, library initialisation) are
// paid before any timing. False if an implementation cannot establish.
bool WarmUpImplementations(std::span<Implementation* const> implementations);

}  // namespace otr::bench

#endif  // OTR_BENCH_PROTOCOL_BENCHMARKS_H_
