// The crypto primitive floor: Google Benchmark cases for every operation of
// crypto/backend.h that the OTR protocols spend time in. Each case is
// registered once per backend at run time, named `<op>/<backend>/<params>`
// (e.g. `BM_ModExp/openssl/1536/exp320`), so one run compares the backends
// side by side (DESIGN.md principle 4). bench/compare_backends.py turns the
// JSON output into a table.
#ifndef OTR_BENCH_CRYPTO_BENCHMARKS_H_
#define OTR_BENCH_CRYPTO_BENCHMARKS_H_

#include <benchmark/benchmark.h>

#include <functional>
#include <span>
#include <string_view>

#include "base/bytes.h"
#include "crypto/backend.h"

namespace otr::bench {

using Backends = std::span<const crypto::Backend* const>;
using BackendBenchmark = std::function<void(benchmark::State&, const crypto::Backend&)>;

// Registers `<op>/<backend>/<params>` for each backend, one after the other,
// so that the cases being compared run next to each other in time.
void RegisterPerBackend(Backends backends, std::string_view op, std::string_view params,
                        benchmark::TimeUnit unit, const BackendBenchmark& fn);

// Random input made outside the timed loop (the OS generator).
Bytes RandomBytes(size_t size);

// Calls each kind of operation once on every backend before any timing, so
// that lazily initialised library state is the same whichever cases run (a
// --benchmark_filter must not change the numbers). It matters: once
// libgcrypt's random generator is in use (the gcrypt backend's ModExp draws
// blinding nonces from it), every gcry_md_open and gcry_cipher_open also runs
// its fast entropy poll (getrusage, clock_gettime), as in any application that
// has done a key exchange.
void WarmUp(Backends backends);

// Modular exponentiation in the RFC 3526 groups and the DH shared secret.
void RegisterModExpBenchmarks(Backends backends);
// DSA sign and verify (v2/v3 long-term keys).
void RegisterDsaBenchmarks(Backends backends);
// Ed448 group operations and EdDSA (v4).
void RegisterEd448Benchmarks(Backends backends);
// Ciphers, MACs, hashes and the XOF at several message sizes.
void RegisterSymmetricBenchmarks(Backends backends);

}  // namespace otr::bench

#endif  // OTR_BENCH_CRYPTO_BENCHMARKS_H_
