#include <string>

#include "bench/crypto_benchmarks.h"
#include "crypto/random.h"

namespace otr::bench {

void RegisterPerBackend(Backends backends, std::string_view op, std::string_view params,
                        benchmark::TimeUnit unit, const BackendBenchmark& fn) {
  for (const crypto::Backend* backend : backends) {
    std::string name(op);
    name += '/';
    name += backend->name();
    if (!params.empty()) {
      name += '/';
      name += params;
    }
    benchmark::RegisterBenchmark(name.c_str(), [fn, backend](benchmark::State& state) {
      fn(state, *backend);
    })->Unit(unit);
  }
}

Bytes RandomBytes(size_t size) {
  Bytes out(size);
  crypto::OsRandom().Fill(out);
  return out;
}

}  // namespace otr::bench
