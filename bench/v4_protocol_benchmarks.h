// The OTRv4 protocol benchmarks of issue 20, registered per Implementation
// (our Session on each backend speaking v4 only, libotr-ng) under
// `BM_V4<op>/<implementation>/<params>`: the interactive DAKE whole and per
// message, same-direction data messages, the message that turns the ECDH
// ratchet and the one that also turns the DH ratchet, out-of-order receipt
// over 100 skipped keys, SMP whole and per step, the heap per session.
#ifndef OTR_BENCH_V4_PROTOCOL_BENCHMARKS_H_
#define OTR_BENCH_V4_PROTOCOL_BENCHMARKS_H_

#include <span>

#include "bench/endpoint.h"

namespace otr::bench {

void RegisterV4ConversationBenchmarks(std::span<Implementation* const> implementations);

}  // namespace otr::bench

#endif  // OTR_BENCH_V4_PROTOCOL_BENCHMARKS_H_
