// Prekey server publication and retrieval throughput on the SQLite storage
// of tools/prekey_server (issue 20), on this machine's disk: one Prekey
// Publication (a Client Profile, a Prekey Profile and 100 Prekey Messages,
// with the sizes of real ones) per iteration, each for a new owner; and one
// Ensemble Query Retrieval (TakeEnsembles: one ensemble taken and removed)
// per iteration. Only the storage is timed: the server DAKE and the checks
// of the server core are not in these figures.
#ifndef OTR_BENCH_PREKEY_STORAGE_BENCHMARKS_H_
#define OTR_BENCH_PREKEY_STORAGE_BENCHMARKS_H_

namespace otr::bench {

void RegisterPrekeyStorageBenchmarks();

}  // namespace otr::bench

#endif  // OTR_BENCH_PREKEY_STORAGE_BENCHMARKS_H_
