// The OTRv4 constructs of protocol/v4/crypto as primitive cases (issue 16):
// BM_V4RSig, BM_V4RVrf, BM_V4Kdf, BM_V4HashToScalar, BM_V4GenerateEcdh,
// BM_V4GenerateDh, BM_V4CheckDhGroupElement, BM_V4DhSharedSecret,
// BM_V4SignClientProfile, BM_V4ValidateClientProfile, each per backend
// (README.md). //bench:v4_bench runs them alone; //bench:otr_bench prices
// the v4 protocol floors with them in the same run.
#ifndef OTR_BENCH_V4_CONSTRUCT_BENCHMARKS_H_
#define OTR_BENCH_V4_CONSTRUCT_BENCHMARKS_H_

#include "bench/crypto_benchmarks.h"

namespace otr::bench {

void RegisterV4ConstructBenchmarks(Backends backends);

}  // namespace otr::bench

#endif  // OTR_BENCH_V4_CONSTRUCT_BENCHMARKS_H_
