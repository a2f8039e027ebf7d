// libotr 4.1.1's D-H rekeying through its public dh.h: one sender-side
// rotation (new key pair, then otrl_dh_session: shared secret, AES and MAC
// keys) and one receiver-side rotation (otrl_dh_session with the peer's new
// public key).
#ifndef OTR_BENCH_LIBOTR_REKEY_H_
#define OTR_BENCH_LIBOTR_REKEY_H_

#include <benchmark/benchmark.h>

namespace otr::bench {

void LibotrRekey(benchmark::State& state, bool sender_side);

}  // namespace otr::bench

#endif  // OTR_BENCH_LIBOTR_REKEY_H_
